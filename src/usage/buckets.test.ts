import { describe, expect, it } from 'vitest';
import { bucketAdds, bucketRange, splitIntoBuckets, usagePruneCutoffs } from './buckets.ts';
import { usageIncrementSchema } from './history.ts';

const ms = (iso: string): number => Date.parse(iso);
const s = (iso: string): number => Date.parse(iso) / 1000;

describe('splitIntoBuckets', () => {
  it('splits an interval across the 5-minute buckets it spans, partial ends included', () => {
    expect(splitIntoBuckets(ms('2026-11-25T10:03:00Z'), ms('2026-11-25T10:12:30Z'), 300)).toEqual([
      { startS: s('2026-11-25T10:00:00Z'), seconds: 120 },
      { startS: s('2026-11-25T10:05:00Z'), seconds: 300 },
      { startS: s('2026-11-25T10:10:00Z'), seconds: 150 },
    ]);
  });

  it('keeps an interval inside one hourly bucket whole, and gives nothing for an empty interval', () => {
    expect(splitIntoBuckets(ms('2026-11-25T10:03:00Z'), ms('2026-11-25T10:12:30Z'), 3600)).toEqual([{ startS: s('2026-11-25T10:00:00Z'), seconds: 570 }]);
    expect(splitIntoBuckets(ms('2026-11-25T10:03:00Z'), ms('2026-11-25T10:03:00Z'), 300)).toEqual([]);
  });

  it('ends exactly on a boundary without an empty bucket after it', () => {
    expect(splitIntoBuckets(ms('2026-11-25T10:55:00Z'), ms('2026-11-25T11:00:00Z'), 3600)).toEqual([{ startS: s('2026-11-25T10:00:00Z'), seconds: 300 }]);
  });

  it('loses no second: the shares always add up to the interval', () => {
    const from = ms('2026-11-25T09:58:17.250Z');
    const to = ms('2026-11-25T11:07:03.500Z');
    for (const step of [300, 3600]) {
      const total = splitIntoBuckets(from, to, step).reduce((n, b) => n + b.seconds, 0);
      expect(total).toBeCloseTo((to - from) / 1000, 6);
    }
  });
});

describe('bucketAdds', () => {
  it('adds GPU-equivalents × seconds (and the idle part) at both resolutions', () => {
    const adds = bucketAdds([{ host: 'gpu1', user: 'alice', from: '2026-11-25T10:04:00Z', to: '2026-11-25T10:06:00Z', gpuEquivalents: 2, idleGpuEquivalents: 0.5 }]);
    expect(adds).toEqual([
      { stepS: 300, host: 'gpu1', user: 'alice', startS: s('2026-11-25T10:00:00Z'), gpuSeconds: 120, idleGpuSeconds: 30 },
      { stepS: 300, host: 'gpu1', user: 'alice', startS: s('2026-11-25T10:05:00Z'), gpuSeconds: 120, idleGpuSeconds: 30 },
      { stepS: 3600, host: 'gpu1', user: 'alice', startS: s('2026-11-25T10:00:00Z'), gpuSeconds: 240, idleGpuSeconds: 60 },
    ]);
  });

  it('writes nothing for a user who held nothing', () => {
    expect(bucketAdds([{ host: 'gpu1', user: 'bob', from: '2026-11-25T10:00:00Z', to: '2026-11-25T10:01:00Z', gpuEquivalents: 0, idleGpuEquivalents: 0 }])).toEqual([]);
  });
});

describe('retention and ranges', () => {
  it('prunes 5-minute buckets that ended more than 48 h ago and hourly ones that ended more than 90 days ago', () => {
    const c = usagePruneCutoffs('2026-11-25T10:00:00Z');
    expect(c[300]).toBe(s('2026-11-23T09:55:00Z'));
    expect(c[3600]).toBe(s('2026-08-27T09:00:00Z'));
  });

  it('widens the start of a range to its bucket', () => {
    expect(bucketRange('2026-11-25T10:07:00Z', '2026-11-25T12:00:00Z', 300)).toEqual({ fromS: s('2026-11-25T10:05:00Z'), toS: s('2026-11-25T12:00:00Z') });
  });
});

describe('usageIncrementSchema', () => {
  it('names the field of a bad increment', () => {
    const bad = usageIncrementSchema.safeParse({ host: 'gpu1', user: 'alice', from: '2026-11-25T10:00:00Z', to: '2026-11-25T09:00:00Z', gpuEquivalents: 1, idleGpuEquivalents: 2 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['idleGpuEquivalents', 'to']);
  });
});
