import { describe, expect, it } from 'vitest';
import { parseDockerTime } from './docker-time.ts';

describe('parseDockerTime', () => {
  it('truncates 9 fractional digits to milliseconds', () => {
    expect(parseDockerTime('2025-03-11T17:01:05.751972661Z')).toBe('2025-03-11T17:01:05.751Z');
  });

  it('accepts 7 fractional digits (older engines)', () => {
    expect(parseDockerTime('2019-04-04T20:28:32.5710901Z')).toBe('2019-04-04T20:28:32.571Z');
  });

  it('accepts no fraction and short fractions', () => {
    expect(parseDockerTime('2026-02-16T15:30:00Z')).toBe('2026-02-16T15:30:00.000Z');
    expect(parseDockerTime('2026-02-16T15:30:00.5Z')).toBe('2026-02-16T15:30:00.500Z');
  });

  it('converts offsets to UTC', () => {
    expect(parseDockerTime('2026-02-16T17:30:00.000000000+02:00')).toBe('2026-02-16T15:30:00.000Z');
  });

  it("maps Docker's zero time to null", () => {
    expect(parseDockerTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseDockerTime('0001-01-01T00:00:00.000000000Z')).toBeNull();
  });

  it('reads unix seconds (list endpoint Created)', () => {
    expect(parseDockerTime(1554925882)).toBe('2019-04-10T19:51:22.000Z');
    expect(parseDockerTime(0)).toBeNull();
    expect(parseDockerTime(-5)).toBeNull();
    expect(parseDockerTime(1e300)).toBeNull();
    expect(parseDockerTime(Number.NaN)).toBeNull();
  });

  it('rejects impossible calendar fields that Date.parse would roll over', () => {
    expect(parseDockerTime('2026-02-30T00:00:00Z')).toBeNull();
    expect(parseDockerTime('2026-02-28T24:00:00Z')).toBeNull();
    expect(parseDockerTime('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseDockerTime('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('rejects garbage instead of guessing', () => {
    for (const bad of ['', 'yesterday', 'Mar 3 2020', '2026-02-16', '2026-02-16 15:30:00Z', '2026-13-01T00:00:00Z', '2026-02-16T15:30:00.1234567890Z']) {
      expect(parseDockerTime(bad), bad).toBeNull();
    }
    expect(parseDockerTime(null)).toBeNull();
    expect(parseDockerTime(undefined)).toBeNull();
    expect(parseDockerTime({})).toBeNull();
  });
});
