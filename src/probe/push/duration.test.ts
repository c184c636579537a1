import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it('reads ms, s, m and h', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs(' 10s ')).toBe(10_000);
  });

  it('refuses a bare number, an unknown unit, zero and negatives with a hint', () => {
    expect(() => parseDurationMs('30')).toThrow('use a number and a unit, like 500ms, 30s or 5m');
    expect(() => parseDurationMs('30d')).toThrow(RangeError);
    expect(() => parseDurationMs('-5s')).toThrow(RangeError);
    expect(() => parseDurationMs('0s')).toThrow('not a positive duration');
    expect(() => parseDurationMs('0.1ms')).toThrow('not a positive duration');
    expect(() => parseDurationMs('')).toThrow(RangeError);
  });
});

describe('formatDurationMs', () => {
  it('uses the largest whole unit', () => {
    expect(formatDurationMs(30_000)).toBe('30s');
    expect(formatDurationMs(300_000)).toBe('5m');
    expect(formatDurationMs(3_600_000)).toBe('1h');
    expect(formatDurationMs(1500)).toBe('1500ms');
  });

  it('round-trips through parseDurationMs', () => {
    for (const ms of [1, 999, 1000, 61_000, 90 * 60_000]) expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
  });
});
