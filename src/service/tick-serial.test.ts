// The scheduled tick and a snapshot of the same host must not interleave: each reads the host's alerts, steps the
// state machine and commits, so a commit landing between the other's read and write is lost (or overwrites it).
// A store with latency on every call (as D1 or a busy SQLite has) forces the interleaving; the outcome must equal
// one of the two sequential orders.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { snapshot, t } from '../../test/support/snapshot-factory.ts';
import type { Alert } from '../alerts/alert.ts';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.ts';
import type { Store } from '../store/store.ts';
import { createCore } from './ingest.ts';

/** The store with `ms` of latency before each call of the named methods (the others answer at once). */
function withLatency(store: MemoryStore, ms: Partial<Record<keyof Store, number>>): MemoryStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      const delay = ms[key as keyof Store];
      if (typeof value !== 'function' || delay === undefined) return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** ds01 reported at t(0) and then fell silent; at t(10) it reports again while the tick runs. */
async function silentHost(store: Store): Promise<ReturnType<typeof createCore>> {
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), clock: () => new Date(t(10)) });
  await core.ingest(snapshot(t(0)), new Date(t(0)));
  return core;
}
const back = snapshot(t(10));

/** The host's alerts and record, comparable across stores. */
async function stateOf(store: Store): Promise<{ alerts: Alert[]; lastSeenAt: string | undefined }> {
  const alerts = (await store.alertsForHost('ds01')).sort((x, y) => x.fingerprint.localeCompare(y.fingerprint));
  return { alerts, lastSeenAt: (await store.getHost('ds01'))?.lastSeenAt };
}

/** The two sequential outcomes: the tick, then the snapshot; and the snapshot, then the tick. */
async function sequentialOutcomes(): Promise<unknown[]> {
  const tickFirst = createMemoryStore();
  const a = await silentHost(tickFirst);
  await a.tick(new Date(t(10)));
  await a.ingest(back, new Date(t(10)));
  const ingestFirst = createMemoryStore();
  const b = await silentHost(ingestFirst);
  await b.ingest(back, new Date(t(10)));
  await b.tick(new Date(t(10)));
  const outcomes = [await stateOf(tickFirst), await stateOf(ingestFirst)];
  // The two orders differ (host-silent kept firing vs never raised), so the test can tell an interleaving apart.
  expect(outcomes[0]).not.toEqual(outcomes[1]);
  return outcomes;
}

describe('the tick and a snapshot of the same host', () => {
  for (const [name, latency] of [
    ['slow reads and commits', { alertsForHost: 5, commitEvaluation: 20 }],
    ['slow commits', { commitEvaluation: 20 }],
    ['every call slow', { alertsForHost: 2, commitEvaluation: 2, getHost: 2, hasSnapshot: 2, listHosts: 2, expireActions: 2, listActions: 2, dueActions: 2 }],
  ] as const) {
    it(`never interleave (${name}): the outcome is one of the two sequential orders`, async () => {
      const expected = await sequentialOutcomes();
      const store = createMemoryStore();
      const core = await silentHost(withLatency(store, latency));
      await Promise.all([core.tick(new Date(t(10))), core.ingest(back, new Date(t(10)))]);
      expect(expected).toContainEqual(await stateOf(store));
    });

    it(`never interleave (${name}), the snapshot arriving while the tick is under way`, async () => {
      const expected = await sequentialOutcomes();
      const store = createMemoryStore();
      const core = await silentHost(withLatency(store, latency));
      const tick = core.tick(new Date(t(10)));
      await new Promise((resolve) => setTimeout(resolve, 3));
      await Promise.all([tick, core.ingest(back, new Date(t(10)))]);
      expect(expected).toContainEqual(await stateOf(store));
    });
  }
});

describe('the tick in parts (each host ticking itself, the fleet-wide rest apart)', () => {
  it('tickHost raises host-silent for its host only, and says false for a host it does not know', async () => {
    const store = createMemoryStore();
    const core = await silentHost(store);
    await core.ingest(snapshot(t(0), { host: 'ds02' }), new Date(t(0)));
    expect(await core.tickHost('ds01', new Date(t(10)))).toBe(true);
    expect((await store.alertsForHost('ds01')).map((a) => [a.rule, a.state])).toEqual([['host-silent', 'firing']]);
    expect(await store.alertsForHost('ds02')).toEqual([]);
    expect(await core.tickHost('nobody', new Date(t(10)))).toBe(false);
  });

  it('tickFleet evaluates no host rule but repeats what is firing', async () => {
    const store = createMemoryStore();
    const seen: string[] = [];
    const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), clock: () => new Date(t(10)), recipientsOf: (a) => (seen.push(a.rule), []) });
    await core.ingest(snapshot(t(0)), new Date(t(0)));
    await core.tickFleet(new Date(t(10)));
    expect(await store.alertsForHost('ds01')).toEqual([]);
    await core.tickHost('ds01', new Date(t(10)));
    seen.length = 0;
    await core.tickFleet(new Date(t(11)));
    expect(seen).toEqual(['host-silent']);
  });
});
