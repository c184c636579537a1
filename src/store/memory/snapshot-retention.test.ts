import { describe, expect, it } from 'vitest';
import { sampleSnapshot } from '../contract.test-suite.ts';
import { compareSnapshotsNewestFirst, DEFAULT_SNAPSHOTS_KEPT_PER_HOST, resolveSnapshotsKept } from './snapshot-retention.ts';

describe('resolveSnapshotsKept', () => {
  it('defaults to 100', () => {
    expect(resolveSnapshotsKept(undefined)).toBe(100);
    expect(DEFAULT_SNAPSHOTS_KEPT_PER_HOST).toBe(100);
  });

  it('accepts whole numbers from 1', () => {
    expect(resolveSnapshotsKept(1)).toBe(1);
    expect(resolveSnapshotsKept(10_000)).toBe(10_000);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s in a plain sentence', (bad) => {
    expect(() => resolveSnapshotsKept(bad)).toThrow(`snapshotsKeptPerHost must be a whole number of at least 1, got ${String(bad)}.`);
  });
});

describe('compareSnapshotsNewestFirst', () => {
  it('orders by takenAt descending, then snapshotId descending', () => {
    const rows = [
      sampleSnapshot('h', 'a', '2026-11-25T10:00:00.000Z'),
      sampleSnapshot('h', 'z', '2026-11-25T09:00:00.000Z'),
      sampleSnapshot('h', 'b', '2026-11-25T10:00:00.000Z'),
    ];
    expect(rows.sort(compareSnapshotsNewestFirst).map((r) => r.snapshotId)).toEqual(['b', 'a', 'z']);
  });
});
