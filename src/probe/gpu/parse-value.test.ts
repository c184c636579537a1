import { describe, expect, it } from 'vitest';
import { cleanText, normalisePciBusId, parseIntOrNull, parseNumberWithUnit } from './parse-value.ts';

describe('parseNumberWithUnit', () => {
  it.each([
    ['40960 MiB', 40960],
    ['38 C', 38],
    ['40.71 W', 40.71],
    ['100 %', 100],
    ['100.00 %', 100],
    ['100.00%', 100],
    ['1980 MHz', 1980],
    ['0 us', 0],
    ['9139 KB/s', 9139],
    ['16x', 16],
    ['-8 C', -8],
    ['  22 MiB  ', 22],
    ['\t5\n', 5],
    ['4000', 4000],
    ['433.78', 433.78],
    ['0', 0],
  ])('reads %j as %d', (text, expected) => {
    expect(parseNumberWithUnit(text)).toBe(expected);
  });

  it.each([
    'N/A',
    '[N/A]',
    '[Not Supported]',
    '[Function Not Found]',
    'Requested functionality has been deprecated',
    '[Requested functionality has been deprecated]',
    '',
    '   ',
    'Enabled',
    '0x233010DE',
    '1e5',
    '12 apples',
    '12 MiB extra',
    '1.2.3',
    '--5',
    'Infinity',
    'NaN',
  ])('maps %j to null, never 0', (text) => {
    expect(parseNumberWithUnit(text)).toBeNull();
  });

  it('accepts finite numbers and rejects other types', () => {
    expect(parseNumberWithUnit(12.5)).toBe(12.5);
    expect(parseNumberWithUnit(Number.NaN)).toBeNull();
    expect(parseNumberWithUnit(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseNumberWithUnit(null)).toBeNull();
    expect(parseNumberWithUnit(undefined)).toBeNull();
    expect(parseNumberWithUnit({ value: 1 })).toBeNull();
    expect(parseNumberWithUnit(['1'])).toBeNull();
  });
});

describe('parseIntOrNull', () => {
  it('reads bare integers, trimmed', () => {
    expect(parseIntOrNull('21180')).toBe(21180);
    expect(parseIntOrNull(' 0 ')).toBe(0);
    expect(parseIntOrNull('0001')).toBe(1);
    expect(parseIntOrNull('-3')).toBe(-3);
    expect(parseIntOrNull(7)).toBe(7);
  });

  it('rejects units, decimals, placeholders and unsafe values', () => {
    expect(parseIntOrNull('2296 MiB')).toBeNull();
    expect(parseIntOrNull('1.5')).toBeNull();
    expect(parseIntOrNull('N/A')).toBeNull();
    expect(parseIntOrNull('')).toBeNull();
    expect(parseIntOrNull('99999999999999999999')).toBeNull();
    expect(parseIntOrNull(1.5)).toBeNull();
    expect(parseIntOrNull(null)).toBeNull();
  });
});

describe('normalisePciBusId', () => {
  it('shortens the 8-hex nvidia-smi domain to the 4-hex sysfs form, lowercase', () => {
    expect(normalisePciBusId('00000000:01:00.0')).toBe('0000:01:00.0');
    expect(normalisePciBusId('00000000:0C:00.0')).toBe('0000:0c:00.0');
    expect(normalisePciBusId('00000000:00:1E.0')).toBe('0000:00:1e.0');
    expect(normalisePciBusId('00000000:C1:00.0')).toBe('0000:c1:00.0');
  });

  it('keeps 4-hex ids and domains that need more digits', () => {
    expect(normalisePciBusId('0000:83:00.0')).toBe('0000:83:00.0');
    expect(normalisePciBusId('0001:00:00.0')).toBe('0001:00:00.0');
    expect(normalisePciBusId('00010000:3B:00.0')).toBe('10000:3b:00.0');
    expect(normalisePciBusId(' 00000000:04:00.0 ')).toBe('0000:04:00.0');
  });

  it('rejects anything that is not a bus id', () => {
    expect(normalisePciBusId('N/A')).toBeNull();
    expect(normalisePciBusId('')).toBeNull();
    expect(normalisePciBusId('00000000:01:00')).toBeNull();
    expect(normalisePciBusId('00000000:01:00.8')).toBeNull();
    expect(normalisePciBusId('zz:01:00.0')).toBeNull();
    expect(normalisePciBusId(42)).toBeNull();
  });
});

describe('cleanText', () => {
  it('trims and maps every placeholder form to null', () => {
    expect(cleanText('  NVIDIA A10G ')).toBe('NVIDIA A10G');
    expect(cleanText('')).toBeNull();
    expect(cleanText('   ')).toBeNull();
    expect(cleanText('N/A')).toBeNull();
    expect(cleanText('[N/A]')).toBeNull();
    expect(cleanText('[Not Found]')).toBeNull();
    expect(cleanText('[Insufficient Permissions]')).toBeNull();
    expect(cleanText(undefined)).toBeNull();
  });

  it('keeps values that merely contain brackets', () => {
    expect(cleanText('C:\\Program Files (x86)\\app.exe')).toBe('C:\\Program Files (x86)\\app.exe');
    expect(cleanText('[kthread] worker')).toBe('[kthread] worker');
  });
});
