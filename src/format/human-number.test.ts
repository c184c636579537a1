import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from './human-number.ts';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [2, '2'],
    [1.714285714, '1.71'],
    [0.5, '0.5'],
    [1.0000001, '1'],
    [12.345, '12.3'],
    [170.59, '171'],
    [10903.47, '10903'],
    [-0.001, '0'],
    [-3.456, '-3.46'],
    [Number.NaN, 'unknown'],
  ])('%s → %s', (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });

  it('property: never more than 2 decimals, never an exponent for ordinary values', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (n) => {
        const text = formatNumber(n);
        expect(text).toMatch(/^-?\d+(\.\d{1,2})?$/);
        expect(Math.abs(Number(text) - n)).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatPercent', () => {
  it.each([
    [87, '87%'],
    [95.6789, '96%'],
    [2.345, '2.3%'],
    [0, '0%'],
    [-0.01, '0%'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('%s → %s', (n, text) => {
    expect(formatPercent(n)).toBe(text);
  });
});
