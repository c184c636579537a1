import { expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createCore } from './ingest.ts';

it('writes alert.pending, alert.firing, alert.resolved events with the alerts, one per change, none for a repeat', async () => {
  const store = createMemoryStore();
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), log: () => {} });
  const hostProc = proc(4242);
  await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0)));
  await core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(1)));
  await core.ingest(snapshot(t(1.5), { gpuProcesses: [hostProc] }), new Date(t(1.5)));
  await core.ingest(snapshot(t(2)), new Date(t(2)));
  await core.ingest(snapshot(t(3)), new Date(t(3)));
  const alert = await store.listEvents({ type: 'alert' });
  expect(alert.events.map((e) => [e.type, e.host, e.at, e.details['rule'], e.details['from']])).toEqual([
    ['alert.pending', 'ds01', t(0), 'untracked-host-gpu-process', 'inactive'],
    ['alert.firing', 'ds01', t(1), 'untracked-host-gpu-process', 'pending'],
    ['alert.resolved', 'ds01', t(3), 'untracked-host-gpu-process', 'firing'],
  ]);
  const [first] = alert.events;
  expect(first?.subject).toBe((await store.listAlerts({}))[0]?.fingerprint);
});

it('the tick prunes the event log by age and by count (deps.eventRetention), at most every 10 minutes', async () => {
  const store = createMemoryStore();
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), log: () => {}, eventRetention: { maxAgeMs: 3_600_000, maxCount: 2 } });
  const reload = (id: string, at: string) => store.addEvent({ id, at, type: 'config.reload', details: {} });
  await reload('old', t(-120));
  for (const id of ['a', 'b', 'c']) await reload(id, t(0));
  await core.tick(new Date(t(1)));
  expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['b', 'c']);
  await reload('d', t(2));
  await core.tick(new Date(t(5)));
  expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['b', 'c', 'd']);
  await core.tick(new Date(t(11)));
  expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['c', 'd']);
});
