import { describe, expect, it } from 'vitest';
import { formatTimeFromNow, formatUtcMinute } from './time-words.ts';

const NOW = new Date('2026-12-03T13:00:00.000Z');

describe('formatUtcMinute', () => {
  it('writes the weekday, date and minute in UTC, whatever the offset given', () => {
    expect(formatUtcMinute('2026-12-04T17:00:00.000Z')).toBe('Fri 2026-12-04 17:00 UTC');
    expect(formatUtcMinute('2026-12-07T00:30:59+01:00')).toBe('Sun 2026-12-06 23:30 UTC');
    expect(formatUtcMinute('soon')).toBe('soon');
  });
});

describe('formatTimeFromNow', () => {
  it('says how far ahead or behind the time is, in two units', () => {
    expect(formatTimeFromNow('2026-12-04T17:00:00.000Z', NOW)).toBe('Fri 2026-12-04 17:00 UTC (in 1 d 4 h)');
    expect(formatTimeFromNow('2026-12-03T10:00:00.000Z', NOW)).toBe('Thu 2026-12-03 10:00 UTC (3 h ago)');
    expect(formatTimeFromNow('2026-12-03T13:00:10.000Z', NOW)).toBe('Thu 2026-12-03 13:00 UTC (now)');
    expect(formatTimeFromNow('2026-12-03T13:05:00.000Z', NOW)).toBe('Thu 2026-12-03 13:05 UTC (in 5 min)');
  });

  it('reads a far-future time as permanent and leaves text that is no time alone', () => {
    expect(formatTimeFromNow('9999-12-31T23:59:59.999Z', NOW)).toBe('permanent');
    expect(formatTimeFromNow('later', NOW)).toBe('later');
  });
});
