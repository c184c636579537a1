import { describe, expect, it } from 'vitest';
import { validSnapshot } from '../server/test-support.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createStoreOnlyCore } from './store-only-core.ts';

const received = new Date('2026-11-25T17:20:00.000Z');

describe('createStoreOnlyCore', () => {
  it('stores a new snapshot and reports it accepted, with no alerts or actions', async () => {
    const store = createMemoryStore();
    const core = createStoreOnlyCore(store);
    expect(await core.ingest(validSnapshot(), received)).toEqual({ accepted: true, alerts: [], actions: [] });
    const [row] = await store.listSnapshots('ds01');
    expect(row).toEqual({
      host: 'ds01',
      snapshotId: 'ds01@2026-11-25T17:17:49.467Z',
      takenAt: '2026-11-25T17:17:49.467Z',
      receivedAt: '2026-11-25T17:20:00.000Z',
      body: JSON.stringify(validSnapshot()),
    });
  });

  it('reports a duplicate (host, id) as not accepted and stores it once', async () => {
    const store = createMemoryStore();
    const core = createStoreOnlyCore(store);
    await core.ingest(validSnapshot(), received);
    expect(await core.ingest(validSnapshot(), new Date('2026-11-25T17:21:00.000Z'))).toEqual({ accepted: false, alerts: [], actions: [] });
    expect(await store.listSnapshots('ds01')).toHaveLength(1);
    expect((await store.getHost('ds01'))?.lastSeenAt).toBe('2026-11-25T17:20:00.000Z');
  });

  it('records when the host was last seen; an older snapshot never moves lastTakenAt back', async () => {
    const store = createMemoryStore();
    const core = createStoreOnlyCore(store);
    await core.ingest(validSnapshot({ takenAt: '2026-11-25T17:19:00.000Z' }), received);
    const later = new Date('2026-11-25T17:22:00.000Z');
    await core.ingest(validSnapshot({ takenAt: '2026-11-25T17:10:00.000Z' }), later);
    expect(await store.getHost('ds01')).toEqual({
      host: 'ds01',
      lastSeenAt: '2026-11-25T17:22:00.000Z',
      lastTakenAt: '2026-11-25T17:19:00.000Z',
      tracked: '{}',
    });
  });

  it('keeps the tracked state another core left', async () => {
    const store = createMemoryStore();
    await store.commitEvaluation({
      hostRecord: { host: 'ds01', lastSeenAt: '2026-11-25T17:00:00.000Z', lastTakenAt: '2026-11-25T17:00:00.000Z', tracked: '{"n":1}' },
      upsert: [],
      remove: [],
    });
    await createStoreOnlyCore(store).ingest(validSnapshot(), received);
    expect((await store.getHost('ds01'))?.tracked).toBe('{"n":1}');
  });

  it('tick does nothing and resolves', async () => {
    const store = createMemoryStore();
    await expect(createStoreOnlyCore(store).tick(received)).resolves.toBeUndefined();
    expect(await store.listHosts()).toEqual([]);
  });
});
