import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { container, gpu, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { createCore } from './ingest.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const kinds: [string, () => Promise<Store>][] = [
  ['memory store', async () => createMemoryStore()],
  ['SQLite file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-usage-'));
    dirs.push(dir);
    return openSqliteStore(join(dir, 'state.db'));
  }],
];

// alice holds GPU 0 (busy) and GPU 1 (idle); bob holds nothing.
const parts = {
  gpus: [gpu(0, { utilizationPct: 90 }), gpu(1, { utilizationPct: 0 })],
  containers: [container('busy', 'alice', { devices: ['GPU-0'] }), container('idle', 'alice', { devices: ['GPU-1'] }), container('cpu', 'bob')],
};
const day = { from: t(-60), to: t(60), stepS: 300 as const };

describe.each(kinds)('usage history at ingest (%s)', (_name, open) => {
  async function setup(): Promise<{ store: Store; core: ReturnType<typeof createCore> }> {
    const store = await open();
    stores.push(store);
    // probe interval 30 s: at most 90 s are credited per snapshot.
    return { store, core: createCore({ store, rules: DEFAULT_PACK, limits: testLimits() }) };
  }

  it("records what each user held between evaluations (not the host's first), idle part included", async () => {
    const { store, core } = await setup();
    await core.ingest(snapshot(t(0), parts), new Date(t(0)));
    expect(await store.usageHistory(day)).toEqual([]);
    await core.ingest(snapshot(t(0.5), parts), new Date(t(0.5)));
    await core.ingest(snapshot(t(1), parts), new Date(t(1)));
    const buckets = await store.usageHistory(day);
    // 60 s × 2 GPU-equivalents; GPU 1 idle from its first sighting on: idle counted from the second snapshot on.
    expect(buckets).toEqual([{ user: 'alice', host: 'ds01', start: t(0), gpuSeconds: 120, idleGpuSeconds: 60 }]);
    expect(await store.usageHistory({ ...day, stepS: 3600 })).toEqual([{ user: 'alice', host: 'ds01', start: t(0), gpuSeconds: 120, idleGpuSeconds: 60 }]);
  });

  it('credits at most 3 probe intervals across a gap in snapshots', async () => {
    const { store, core } = await setup();
    await core.ingest(snapshot(t(0), parts), new Date(t(0)));
    await core.ingest(snapshot(t(20), parts), new Date(t(20)));
    // 20 minutes apart: only the last 90 s (t(18.5)..t(20)) count, all in the 10:15 bucket.
    const buckets = await store.usageHistory(day);
    expect(buckets.map((b) => [b.start, b.gpuSeconds])).toEqual([[t(15), 180]]);
    expect(buckets.reduce((n, b) => n + b.gpuSeconds, 0)).toBe(2 * 90);
  });

  it('records nothing for an interval whose Docker or GPU collector failed, and resumes after', async () => {
    const { store, core } = await setup();
    await core.ingest(snapshot(t(0), parts), new Date(t(0)));
    await core.ingest(snapshot(t(0.5), { ...parts, errors: [{ source: 'docker', message: 'connect ENOENT /var/run/docker.sock' }] }), new Date(t(0.5)));
    await core.ingest(snapshot(t(1), { ...parts, errors: [{ source: 'gpu', message: 'nvidia-smi timed out' }] }), new Date(t(1)));
    expect(await store.usageHistory(day)).toEqual([]);
    await core.ingest(snapshot(t(1.5), parts), new Date(t(1.5)));
    // Only t(1)..t(1.5): the intervals the failed snapshots closed stay empty, never zero-filled or guessed.
    expect((await store.usageHistory(day)).map((b) => b.gpuSeconds)).toEqual([60]);
  });

  it('records nothing for an out-of-order, duplicate or too-old snapshot', async () => {
    const { store, core } = await setup();
    await core.ingest(snapshot(t(0), parts), new Date(t(0)));
    await core.ingest(snapshot(t(1), parts), new Date(t(1)));
    const before = await store.usageHistory(day);
    await core.ingest(snapshot(t(0.5), parts), new Date(t(1.2))); // older than the last: not evaluated
    await core.ingest(snapshot(t(1), parts), new Date(t(1.3))); // duplicate
    await core.ingest(snapshot(t(-600), parts), new Date(t(1.4))); // 10 h old on arrival: not evaluated
    expect(await store.usageHistory(day)).toEqual(before);
    expect(before.map((b) => b.gpuSeconds)).toEqual([2 * 60]);
  });

  it('the tick prunes 5-minute buckets older than 48 h', async () => {
    const { store, core } = await setup();
    await core.ingest(snapshot(t(0), parts), new Date(t(0)));
    await core.ingest(snapshot(t(1), parts), new Date(t(1)));
    await core.tick(new Date(t(49 * 60)));
    expect(await store.usageHistory(day)).toEqual([]);
    expect(await store.usageHistory({ ...day, stepS: 3600 })).toHaveLength(1);
  });
});
