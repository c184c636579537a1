import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, DEFAULT_RULES, testLimits } from '../../test/support/pack.ts';
import { proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createCore } from './ingest.ts';
import { createRuleSet } from './rule-set-from-pack.ts';

const UNTRACKED = 'untracked-host-gpu-process';
const withoutUntracked = createRuleSet(DEFAULT_RULES.filter((r) => r.id !== UNTRACKED));

function setup() {
  const store = createMemoryStore();
  const logs: string[] = [];
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), log: (l) => logs.push(l) });
  return { store, core, logs };
}

describe('reconfigure (a reload swapping the core config)', () => {
  it('drops the unresolved alerts of a rule the new pack lacks (never resolved: nothing checked that), and never raises them again', async () => {
    const { core, store } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [proc(4242)] }), new Date(t(0)));
    await core.ingest(snapshot(t(1), { gpuProcesses: [proc(4242)] }), new Date(t(1)));
    expect((await store.listAlerts({})).map((a) => [a.rule, a.state])).toEqual([[UNTRACKED, 'firing']]);

    const dropped = await core.reconfigure({ rules: withoutUntracked, limits: testLimits() }, new Date(t(1.5)));
    expect(dropped.map((a) => [a.rule, a.state])).toEqual([[UNTRACKED, 'firing']]);
    expect(await store.listAlerts({})).toEqual([]);
    const after = await core.ingest(snapshot(t(2), { gpuProcesses: [proc(4242)] }), new Date(t(2)));
    expect(after.alerts).toEqual([]);
  });

  it('a rule the new pack adds applies from the next snapshot; alerts of kept rules keep their state', async () => {
    const { core, store } = setup();
    const base = createCore({ store, rules: withoutUntracked, limits: testLimits() });
    await base.ingest(snapshot(t(0), { gpuProcesses: [proc(4242)] }), new Date(t(0)));
    expect(await store.listAlerts({})).toEqual([]);
    expect(await base.reconfigure({ rules: DEFAULT_PACK, limits: testLimits() }, new Date(t(0.5)))).toEqual([]);
    const next = await base.ingest(snapshot(t(1), { gpuProcesses: [proc(4242)] }), new Date(t(1)));
    expect(next.alerts.map((a) => [a.rule, a.state])).toEqual([[UNTRACKED, 'pending']]);
    // The same pack again changes nothing: the pending alert stays, its `for` still counting from t(1).
    expect(await core.reconfigure({ rules: DEFAULT_PACK, limits: testLimits() }, new Date(t(1.2)))).toEqual([]);
    expect((await store.listAlerts({})).map((a) => [a.state, a.activeSince])).toEqual([['pending', t(1)]]);
  });
});
