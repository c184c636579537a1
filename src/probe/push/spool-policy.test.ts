import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_SPOOL_BOUNDS, planDrops, replayOrder, spoolFileName, spoolSeqOf } from './spool-policy.ts';

describe('spool file names', () => {
  it('are takenAt in UTC to the millisecond, then a padded sequence number', () => {
    expect(spoolFileName('2026-11-25T17:17:49.467Z', 42)).toBe('20261125T171749467Z-0000000042.json');
    expect(spoolFileName('2026-11-25T18:17:49.467+01:00', 0)).toBe('20261125T171749467Z-0000000000.json');
  });

  it('refuses a takenAt that is not a time', () => {
    expect(() => spoolFileName('yesterday', 1)).toThrow('is not a time');
  });

  it('give the sequence back, and null for other names', () => {
    expect(spoolSeqOf('20261125T171749467Z-0000000042.json')).toBe(42);
    expect(spoolSeqOf('dropped.json')).toBeNull();
    expect(spoolSeqOf('.tmp-20261125T171749467Z-0000000042.json')).toBeNull();
  });

  it('sort oldest first, ties broken by sequence, across the default 10 digits', () => {
    const names = [
      spoolFileName('2026-11-25T10:00:01.000Z', 3),
      spoolFileName('2026-11-25T10:00:00.000Z', 9),
      spoolFileName('2026-11-25T10:00:00.000Z', 10),
      spoolFileName('2025-12-31T23:59:59.999Z', 11),
      'dropped.json',
      'rejected',
    ];
    expect(replayOrder(names)).toEqual([
      '20251231T235959999Z-0000000011.json',
      '20261125T100000000Z-0000000009.json',
      '20261125T100000000Z-0000000010.json',
      '20261125T100001000Z-0000000003.json',
    ]);
  });
});

describe('planDrops', () => {
  const entries = (sizes: number[]): { name: string; sizeBytes: number }[] => sizes.map((sizeBytes, i) => ({ name: `f${i}`, sizeBytes }));

  it('drops nothing within the bounds', () => {
    expect(planDrops(entries([10, 10, 10]), { maxFiles: 3, maxBytes: 30 })).toEqual([]);
  });

  it('drops the oldest beyond maxFiles', () => {
    expect(planDrops(entries([1, 1, 1, 1, 1]), { maxFiles: 2, maxBytes: 1000 })).toEqual(['f0', 'f1', 'f2']);
  });

  it('drops the oldest beyond maxBytes', () => {
    expect(planDrops(entries([50, 10, 10, 10]), { maxFiles: 100, maxBytes: 30 })).toEqual(['f0']);
    expect(planDrops(entries([10, 10, 10, 10]), { maxFiles: 100, maxBytes: 25 })).toEqual(['f0', 'f1']);
  });

  it('never drops the newest, even when it alone exceeds maxBytes', () => {
    expect(planDrops(entries([10, 500]), { maxFiles: 100, maxBytes: 100 })).toEqual(['f0']);
    expect(planDrops(entries([500]), { maxFiles: 0, maxBytes: 0 })).toEqual([]);
  });

  it('defaults to 24 h at 30 s and 256 MiB', () => {
    expect(DEFAULT_SPOOL_BOUNDS).toEqual({ maxFiles: 2880, maxBytes: 268_435_456 });
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('is 0 before any failure and never overflows', () => {
    expect(backoffMs(0, 1000, 30_000)).toBe(0);
    expect(backoffMs(10_000, 1000, 30_000)).toBe(30_000);
  });
});
