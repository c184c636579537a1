import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  boolValue,
  cpuQuotaValue,
  describeValue,
  durationValue,
  enumValue,
  limitValue,
  nameListValue,
  numberValue,
  optionalTextValue,
  parseSizeBytes,
  scalarValue,
  sizeValue,
  textValue,
} from './values.ts';

/** The parsed value, or the one issue message. */
function run<T>(schema: z.ZodType<T>, v: unknown): { value: T } | { message: string } {
  const r = schema.safeParse(v);
  if (r.success) return { value: r.data };
  expect(r.error.issues).toHaveLength(1);
  return { message: r.error.issues[0]?.message ?? '' };
}

const GiB = 2 ** 30;

describe('describeValue', () => {
  it('names each YAML value the way a message should show it', () => {
    expect(describeValue('a day')).toBe('"a day"');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('null');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({ a: 1 })).toBe('a mapping');
    expect(describeValue(new Date('2026-01-01T00:00:00Z'))).toBe('the date 2026-01-01T00:00:00.000Z');
  });
});

describe('limitValue (null = unlimited)', () => {
  const gpueq = limitValue({ what: 'a number of GPU-equivalents' });
  const slots = limitValue({ what: 'a number of GPU slots', integer: true });

  it('accepts numbers, null and "unlimited"', () => {
    expect(run(gpueq, 2.5)).toEqual({ value: 2.5 });
    expect(run(gpueq, 0)).toEqual({ value: 0 });
    expect(run(gpueq, null)).toEqual({ value: null });
    expect(run(gpueq, 'Unlimited')).toEqual({ value: null });
  });

  it('rejects words, negatives, fractions where whole numbers are needed', () => {
    expect(run(gpueq, 'two')).toEqual({ message: 'expected a number of GPU-equivalents or null (unlimited), got "two"' });
    expect(run(gpueq, -1)).toEqual({ message: 'must be at least 0, got -1' });
    expect(run(slots, 1.5)).toEqual({ message: 'expected a number of GPU slots (a whole number), got 1.5' });
    expect(run(slots, [1])).toEqual({ message: 'expected a number of GPU slots or null (unlimited), got a list' });
    expect(run(gpueq, Number.POSITIVE_INFINITY)).toEqual({ message: 'expected a number of GPU-equivalents, got Infinity' });
  });
});

describe('numberValue (must be set)', () => {
  const pct = numberValue({ what: 'a GPU utilisation percentage', max: 100 });
  const window = numberValue({ what: 'a number of consecutive checks', integer: true, min: 1 });

  it('checks range and integrality; null is not a number here', () => {
    expect(run(pct, 5)).toEqual({ value: 5 });
    expect(run(pct, 101)).toEqual({ message: 'must be at most 100, got 101' });
    expect(run(pct, null)).toEqual({ message: 'expected a GPU utilisation percentage, got null' });
    expect(run(window, 0)).toEqual({ message: 'must be at least 1, got 0' });
    expect(run(window, 3)).toEqual({ value: 3 });
  });
});

describe('durationValue (unit in the key suffix)', () => {
  const hours = durationValue('h');

  it('takes bare numbers', () => {
    expect(run(hours, 0.5)).toEqual({ value: 0.5 });
    expect(run(hours, 168)).toEqual({ value: 168 });
    expect(run(durationValue('m'), 30)).toEqual({ value: 30 });
  });

  it('null / never / indefinite / None mean no limit (any case)', () => {
    for (const v of [null, 'never', 'indefinite', 'None', 'NEVER', ' none ']) expect(run(hours, v)).toEqual({ value: null });
  });

  it('rejects text, units in the value, and negatives', () => {
    expect(run(hours, 'a day')).toEqual({
      message: 'expected a number of hours (the unit is the key\'s _h suffix) or null/"never" for no limit, got "a day"',
    });
    expect(run(durationValue('m'), '30m')).toEqual({
      message: 'expected a number of minutes (the unit is the key\'s _m suffix) or null/"never" for no limit, got "30m"',
    });
    expect(run(durationValue('s'), true)).toEqual({
      message: 'expected a number of seconds (the unit is the key\'s _s suffix) or null/"never" for no limit, got true',
    });
    expect(run(hours, -2)).toEqual({ message: 'must be at least 0, got -2' });
  });
});

describe('sizes', () => {
  it('parses Docker and systemd sizes to bytes, 1024-based', () => {
    expect(parseSizeBytes('32g')).toEqual({ ok: true, value: 32 * GiB });
    expect(parseSizeBytes('96G')).toEqual({ ok: true, value: 96 * GiB });
    expect(parseSizeBytes('512M')).toEqual({ ok: true, value: 512 * 2 ** 20 });
    expect(parseSizeBytes('1T')).toEqual({ ok: true, value: 2 ** 40 });
    expect(parseSizeBytes('64k')).toEqual({ ok: true, value: 65536 });
    expect(parseSizeBytes('1.5g')).toEqual({ ok: true, value: 1.5 * GiB });
    expect(parseSizeBytes('2GiB')).toEqual({ ok: true, value: 2 * GiB });
    expect(parseSizeBytes('100')).toEqual({ ok: true, value: 100 });
    expect(parseSizeBytes(4096)).toEqual({ ok: true, value: 4096 });
  });

  it('null and infinity mean no limit', () => {
    expect(parseSizeBytes(null)).toEqual({ ok: true, value: null });
    expect(parseSizeBytes('infinity')).toEqual({ ok: true, value: null });
  });

  it('rejects words, unknown units and fractional bytes', () => {
    const msg = (got: string) => `expected a size such as 32g, 96G or 512M (units k, m, g, t; 1024-based) or null, got ${got}`;
    expect(run(sizeValue, '32 gigs')).toEqual({ message: msg('"32 gigs"') });
    expect(run(sizeValue, '32x')).toEqual({ message: msg('"32x"') });
    expect(run(sizeValue, 'g')).toEqual({ message: msg('"g"') });
    expect(run(sizeValue, true)).toEqual({ message: msg('true') });
    expect(run(sizeValue, 1.5)).toEqual({ message: 'expected a size in bytes (a whole number), got 1.5' });
  });
});

describe('cpuQuotaValue', () => {
  it('reads systemd percentages', () => {
    expect(run(cpuQuotaValue, '9600%')).toEqual({ value: 9600 });
    expect(run(cpuQuotaValue, '50.5%')).toEqual({ value: 50.5 });
    expect(run(cpuQuotaValue, null)).toEqual({ value: null });
  });

  it('rejects a bare number (systemd needs the %)', () => {
    expect(run(cpuQuotaValue, 9600)).toEqual({ message: 'expected a systemd CPU quota such as "9600%" (100% = one CPU) or null, got 9600' });
    expect(run(cpuQuotaValue, '96 cpus')).toHaveProperty('message');
  });
});

describe('boolValue, textValue, lists, enums, scalars', () => {
  it('booleans are booleans only', () => {
    expect(run(boolValue, true)).toEqual({ value: true });
    expect(run(boolValue, 'sometimes')).toEqual({ message: 'expected true or false, got "sometimes"' });
    expect(run(boolValue, null)).toEqual({ message: 'expected true or false, got null' });
  });

  it('text takes strings and numbers (a numeric user name), not lists', () => {
    expect(run(textValue, 'student')).toEqual({ value: 'student' });
    expect(run(textValue, 228755)).toEqual({ value: '228755' });
    expect(run(textValue, ['a'])).toEqual({ message: 'expected text, got a list' });
    expect(run(optionalTextValue, null)).toEqual({ value: null });
    expect(run(optionalTextValue, 7)).toEqual({ value: '7' });
    expect(run(optionalTextValue, {})).toEqual({ message: 'expected text or null, got a mapping' });
  });

  it('name lists trim, turn numbers into names, read null as empty', () => {
    expect(run(nameListValue, [' alice ', 228755])).toEqual({ value: ['alice', '228755'] });
    expect(run(nameListValue, null)).toEqual({ value: [] });
    expect(run(nameListValue, 'alice')).toEqual({ message: 'expected a list of names, got "alice"' });
    expect(run(nameListValue, ['a', { b: 1 }])).toEqual({ message: 'item 2 must be a name, got a mapping' });
    expect(run(nameListValue, ['a', ''])).toEqual({ message: 'item 2 must be a name, got ""' });
  });

  it('enums list the choices and suggest the near one', () => {
    const mode = enumValue(['disabled', 'monitoring', 'full']);
    expect(run(mode, 'full')).toEqual({ value: 'full' });
    expect(run(mode, 'ful')).toEqual({ message: 'expected one of disabled, monitoring, full, got "ful" (did you mean full?)' });
    expect(run(mode, false)).toEqual({ message: 'expected one of disabled, monitoring, full, got false' });
  });

  it('scalars are kept as written', () => {
    expect(run(scalarValue, '1h')).toEqual({ value: '1h' });
    expect(run(scalarValue, null)).toEqual({ value: null });
    expect(run(scalarValue, [1])).toEqual({ message: 'expected a single value, got a list' });
  });
});
