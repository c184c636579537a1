import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DurationError, durationProblem, formatDuration, formatDurationMs, parseDuration, parseDurationMs } from './duration.ts';

describe('parseDurationMs: Prometheus duration grammar', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['1m1ms', 60_001],
    ['2w3d4h5m6s7ms', (2 * 7 + 3) * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6000 + 7],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each([
    ['5 min', 'no spaces allowed'],
    [' 5m', 'no spaces allowed'],
    ['5', 'a unit is required (5s?)'],
    ['1.5h', 'fractions are not allowed (1h30m?)'],
    ['0.5s', 'fractions are not allowed (500ms?)'],
    ['-5m', 'cannot be negative'],
    ['5x', 'unknown unit "x"'],
    ['5min', 'unknown unit "min"'],
    ['30m1h', 'largest unit first (1h30m?)'],
    ['1h1h', 'each unit at most once'],
    ['', 'is empty'],
    ['99999999999999999999d', 'too large'],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => parseDurationMs(text)).toThrow(DurationError);
    expect(() => parseDurationMs(text)).toThrow(reason);
    expect(durationProblem(text)).toContain(`invalid duration "${text}"`);
  });

  it('names the accepted forms in a message it has no better hint for', () => {
    expect(durationProblem('soon')).toBe('invalid duration "soon": use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w');
  });

  it('accepts exactly what durationProblem accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^[0-9]{1,3}(y|w|d|h|m|s|ms){1,3}$/)), (s) => {
        const problem = durationProblem(s);
        if (problem === null) expect(Number.isSafeInteger(parseDurationMs(s))).toBe(true);
        else expect(() => parseDurationMs(s)).toThrow(problem);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseDuration (seconds)', () => {
  it('is parseDurationMs in seconds', () => {
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('1500ms')).toBe(1.5);
    expect(() => parseDuration('90')).toThrow('a unit is required (90s?)');
  });
});

describe('formatDuration / formatDurationMs', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [120, '2m'],
    [5400, '1h30m'],
    [7200, '2h'],
    [172_800, '2d'],
    [691_200, '1w1d'],
    [90_061, '1d1h1m1s'],
  ])('%i s → %s', (sec, text) => {
    expect(formatDuration(sec)).toBe(text);
  });

  it('writes milliseconds the same way', () => {
    expect(formatDurationMs(1500)).toBe('1s500ms');
    expect(formatDurationMs(30_000)).toBe('30s');
  });

  it('round-trips through the parser', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });
});
