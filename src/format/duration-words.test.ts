import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationBetween, formatDurationHours, formatDurationMinutes, formatDurationSeconds } from './duration-words.ts';

describe('formatDurationSeconds', () => {
  it.each([
    [0, '0 s'],
    [0.4, '0 s'],
    [1, '1 s'],
    [45, '45 s'],
    [59.4, '59 s'],
    [60, '1 min'],
    [170.59, '2 min 51 s'],
    [170, '2 min 50 s'],
    [3599.4, '59 min 59 s'],
    [3599.6, '1 h'],
    [3_900, '1 h 5 min'],
    [7_200, '2 h'],
    [86_399, '1 d'],
    [86_400 * 7 + 13 * 3_600 + 43 * 60, '7 d 14 h'],
    [86_400 * 7 + 13 * 3_600 + 20 * 60, '7 d 13 h'],
    [86_400 * 400, '400 d'],
    [-90, '-1 min 30 s'],
    [Number.NaN, 'unknown'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('%s s → %s', (s, words) => {
    expect(formatDurationSeconds(s)).toBe(words);
  });

  it('minutes and hours share the same words', () => {
    expect(formatDurationMinutes(10903.47)).toBe('7 d 14 h');
    expect(formatDurationMinutes(48)).toBe('48 min');
    expect(formatDurationMinutes(59.995)).toBe('1 h');
    expect(formatDurationHours(24)).toBe('1 d');
    expect(formatDurationHours(17.2)).toBe('17 h 12 min');
    expect(formatDurationHours(0.5)).toBe('30 min');
  });

  it('durationBetween: words between two ISO times, null for a non-time', () => {
    expect(durationBetween('2026-11-25T16:02:10.000Z', '2026-11-25T17:17:49.467Z')).toBe('1 h 16 min');
    expect(durationBetween('soon', '2026-11-25T17:17:49.467Z')).toBeNull();
    expect(durationBetween('2026-11-25T18:00:00Z', '2026-11-25T17:00:00Z')).toBe('0 s');
  });

  it('property: at most two units, each a whole number, in falling order, no zero unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (s) => {
        const words = formatDurationSeconds(s);
        const parts = words.split(' ');
        expect(parts.length === 2 || parts.length === 4).toBe(true);
        const units = parts.filter((_, i) => i % 2 === 1);
        const order = ['d', 'h', 'min', 's'];
        const ranks = units.map((u) => order.indexOf(u));
        for (const r of ranks) expect(r).toBeGreaterThanOrEqual(0);
        if (ranks.length === 2) expect(ranks[1]).toBe((ranks[0] ?? 0) + 1);
        for (const [i, n] of parts.filter((_, j) => j % 2 === 0).entries()) {
          expect(Number.isInteger(Number(n))).toBe(true);
          if (i === 1 || s >= 1) expect(Number(n)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: off by at most one unit of the smallest unit shown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (s) => {
        const words = formatDurationSeconds(s);
        const size: Record<string, number> = { d: 86_400, h: 3_600, min: 60, s: 1 };
        const parts = words.split(' ');
        let total = 0;
        for (let i = 0; i < parts.length; i += 2) total += Number(parts[i]) * (size[parts[i + 1] ?? 's'] ?? 1);
        const resolution = size[parts[parts.length - 1] ?? 's'] ?? 1;
        expect(Math.abs(total - s)).toBeLessThanOrEqual(resolution);
      }),
      { numRuns: 300 },
    );
  });
});
