import { describe, expect, it } from 'vitest';
import type { UsageIncrement } from '../usage/history.ts';
import type { OpenStore } from './contract-outbox.test-suite.ts';

/** A usage increment of `user` on `host` over [from, to) holding `gpuEquivalents` (`idle` of them idle). */
export function sampleUsage(from: string, to: string, overrides: Partial<UsageIncrement> = {}): UsageIncrement {
  return { host: 'gpu1', user: 'alice', from, to, gpuEquivalents: 1, idleGpuEquivalents: 0, ...overrides };
}

const commitUsage = (usage: UsageIncrement[]) => ({ hostRecord: null, upsert: [], remove: [], usage });

/** The usage-history part of the Store contract. */
export function describeUsageContract(open: OpenStore): void {
  describe('usage history', () => {
    it('adds an increment into every 5-minute and hourly bucket it spans, by seconds in each', async () => {
      const store = await open();
      await store.commitEvaluation(commitUsage([sampleUsage('2026-11-25T10:58:00Z', '2026-11-25T11:02:00Z', { gpuEquivalents: 2, idleGpuEquivalents: 0.5 })]));
      expect(await store.usageHistory({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T12:00:00Z', stepS: 300 })).toEqual([
        { user: 'alice', host: 'gpu1', start: '2026-11-25T10:55:00.000Z', gpuSeconds: 240, idleGpuSeconds: 60 },
        { user: 'alice', host: 'gpu1', start: '2026-11-25T11:00:00.000Z', gpuSeconds: 240, idleGpuSeconds: 60 },
      ]);
      expect(await store.usageHistory({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T12:00:00Z', stepS: 3600 })).toEqual([
        { user: 'alice', host: 'gpu1', start: '2026-11-25T10:00:00.000Z', gpuSeconds: 240, idleGpuSeconds: 60 },
        { user: 'alice', host: 'gpu1', start: '2026-11-25T11:00:00.000Z', gpuSeconds: 240, idleGpuSeconds: 60 },
      ]);
    });

    it('accumulates successive commits into the same bucket', async () => {
      const store = await open();
      await store.commitEvaluation(commitUsage([sampleUsage('2026-11-25T10:00:00Z', '2026-11-25T10:00:30Z')]));
      await store.commitEvaluation(commitUsage([sampleUsage('2026-11-25T10:00:30Z', '2026-11-25T10:01:00Z', { idleGpuEquivalents: 1 })]));
      const [bucket] = await store.usageHistory({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T10:05:00Z', stepS: 300 });
      expect(bucket).toEqual({ user: 'alice', host: 'gpu1', start: '2026-11-25T10:00:00.000Z', gpuSeconds: 60, idleGpuSeconds: 30 });
    });

    it('filters by user and host, orders by start then host then user, and keeps to the range', async () => {
      const store = await open();
      await store.commitEvaluation(commitUsage([
        sampleUsage('2026-11-25T10:10:00Z', '2026-11-25T10:11:00Z', { user: 'bob', host: 'gpu2' }),
        sampleUsage('2026-11-25T10:10:00Z', '2026-11-25T10:11:00Z', { user: 'alice', host: 'gpu2' }),
        sampleUsage('2026-11-25T10:00:00Z', '2026-11-25T10:01:00Z', { user: 'bob', host: 'gpu1' }),
        sampleUsage('2026-11-25T10:20:00Z', '2026-11-25T10:21:00Z', { user: 'alice', host: 'gpu1' }),
      ]));
      const key = (b: { user: string; host: string; start: string }): string => `${b.start.slice(11, 16)} ${b.host} ${b.user}`;
      const range = { from: '2026-11-25T10:00:00Z', to: '2026-11-25T10:20:00Z', stepS: 300 as const };
      expect((await store.usageHistory(range)).map(key)).toEqual(['10:00 gpu1 bob', '10:10 gpu2 alice', '10:10 gpu2 bob']);
      expect((await store.usageHistory({ ...range, user: 'bob' })).map(key)).toEqual(['10:00 gpu1 bob', '10:10 gpu2 bob']);
      expect((await store.usageHistory({ ...range, user: 'bob', host: 'gpu2' })).map(key)).toEqual(['10:10 gpu2 bob']);
      // A range starting mid-bucket includes that bucket.
      expect((await store.usageHistory({ ...range, from: '2026-11-25T10:12:00Z', to: '2026-11-25T10:30:00Z' })).map(key)).toEqual(['10:10 gpu2 alice', '10:10 gpu2 bob', '10:20 gpu1 alice']);
      expect(await store.usageHistory({ ...range, user: 'carol' })).toEqual([]);
    });

    it('writes nothing for a zero holding, and rejects a bad increment with the whole commit', async () => {
      const store = await open();
      await store.commitEvaluation(commitUsage([sampleUsage('2026-11-25T10:00:00Z', '2026-11-25T10:01:00Z', { gpuEquivalents: 0 })]));
      expect(await store.usageHistory({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T11:00:00Z', stepS: 300 })).toEqual([]);
      await expect(store.commitEvaluation({
        ...commitUsage([sampleUsage('2026-11-25T10:00:00Z', '2026-11-25T10:01:00Z'), sampleUsage('2026-11-25T10:00:00Z', '2026-11-25T10:01:00Z', { gpuEquivalents: -1 })]),
        hostRecord: { host: 'gpu9', lastSeenAt: '2026-11-25T10:01:00Z', lastTakenAt: '2026-11-25T10:01:00Z', tracked: '' },
      })).rejects.toThrow(/gpuEquivalents/);
      expect(await store.usageHistory({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T11:00:00Z', stepS: 300 })).toEqual([]);
      expect(await store.getHost('gpu9')).toBeNull();
    });

    it('prunes 5-minute buckets after 48 h and hourly buckets after 90 days, counting what went', async () => {
      const store = await open();
      await store.commitEvaluation(commitUsage([
        sampleUsage('2026-08-01T00:00:00Z', '2026-08-01T00:01:00Z'), // 1 five-minute + 1 hourly, both old
        sampleUsage('2026-11-23T09:00:00Z', '2026-11-23T09:01:00Z'), // five-minute past 48 h, hourly kept
        sampleUsage('2026-11-25T09:00:00Z', '2026-11-25T09:01:00Z'), // both kept
      ]));
      expect(await store.pruneUsage('2026-11-25T10:00:00.000Z')).toBe(3);
      const five = await store.usageHistory({ from: '2026-07-01T00:00:00Z', to: '2026-11-26T00:00:00Z', stepS: 300 });
      const hourly = await store.usageHistory({ from: '2026-07-01T00:00:00Z', to: '2026-11-26T00:00:00Z', stepS: 3600 });
      expect(five.map((b) => b.start)).toEqual(['2026-11-25T09:00:00.000Z']);
      expect(hourly.map((b) => b.start)).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-25T09:00:00.000Z']);
      expect(await store.pruneUsage('2026-11-25T10:00:00.000Z')).toBe(0);
    });
  });
}
