import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DurationError, durationProblem, formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['0s', 0],
    ['30s', 30],
    ['5m', 300],
    ['2h', 7200],
    ['1d', 86_400],
    ['90m', 5400],
  ])('%s → %i s', (text, sec) => {
    expect(parseDuration(text)).toBe(sec);
  });

  it.each([
    ['5 min', 'no spaces allowed'],
    [' 5m', 'no spaces allowed'],
    ['5', 'a unit is required'],
    ['1.5h', 'fractions are not allowed'],
    ['-5m', 'cannot be negative'],
    ['05m', 'no leading zeros'],
    ['5w', 'unknown unit "w"'],
    ['5ms', 'unknown unit "ms"'],
    ['', 'use a whole number'],
    ['1h30m', 'use a whole number'],
    ['99999999999999999999d', 'too large'],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(reason);
    expect(durationProblem(text)).toContain(`invalid duration "${text}"`);
  });

  it('names the accepted forms in every message', () => {
    expect(durationProblem('soon')).toBe('invalid duration "soon": use a whole number and one unit s, m, h or d, e.g. 0s, 30s, 5m, 2h, 1d');
  });

  it('accepts exactly what durationProblem accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (s) => {
        const problem = durationProblem(s);
        if (problem === null) expect(Number.isSafeInteger(parseDuration(s))).toBe(true);
        else expect(() => parseDuration(s)).toThrow(problem);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [120, '2m'],
    [5400, '90m'],
    [7200, '2h'],
    [172_800, '2d'],
  ])('%i s → %s', (sec, text) => {
    expect(formatDuration(sec)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (sec) => {
        expect(parseDuration(formatDuration(sec))).toBe(sec);
      }),
    );
  });
});
