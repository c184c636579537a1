// Enforcement actions in the event log: planned once, then the host's result (done / vetoed); ignored results are not events.
import { expect, it } from 'vitest';
import { DEFAULT_RULES, testLimits } from '../../test/support/pack.ts';
import { container, snapshot, t } from '../../test/support/snapshot-factory.ts';
import type { ActionResult } from '../enforcement/action.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createRuleSet } from './rule-set-from-pack.ts';
import { createCore } from './ingest.ts';

/** A container created 2 h ago and never started: created-never-started fires at once and asks to remove it. */
const stuck = container('stuck', 'alice', { state: 'created', createdAt: t(-120), startedAt: null, pid: null });

async function story(result: Omit<ActionResult, 'id'>) {
  const store = createMemoryStore();
  const core = createCore({ store, rules: createRuleSet(DEFAULT_RULES), limits: testLimits(), log: () => {} });
  let n = 0;
  const ingest = (minutes: number, actionResults?: ActionResult[]) =>
    core.ingest({ ...snapshot(t(minutes), { containers: [stuck] }), id: `ds01@${++n}`, ...(actionResults === undefined ? {} : { actionResults }) }, new Date(t(minutes)));
  await ingest(0);
  await ingest(1);
  const id = (await store.listActions({}))[0]?.action.id ?? '';
  await ingest(6, [{ id, ...result }, { id: 'nope', ...result }]);
  await ingest(7, [{ id, ...result }]);
  return { id, events: (await store.listEvents({ type: 'action' })).events };
}

it('action.planned once when planned, action.done with the outcome once the host reports it (ignored results are not events)', async () => {
  const { id, events } = await story({ outcome: 'done', detail: 'stopped and removed', at: t(5.75) });
  expect(events.map((e) => [e.type, e.host, e.user, e.subject, e.at])).toEqual([
    ['action.planned', 'ds01', 'alice', id, t(0)],
    ['action.done', 'ds01', 'alice', id, t(6)],
  ]);
  expect(events[1]?.details).toEqual({ actionType: 'stop-container', outcome: 'done', detail: 'stopped and removed', rule: 'created-never-started' });
});

it('a veto is action.vetoed; a failure action.failed', async () => {
  expect((await story({ outcome: 'vetoed', detail: 'protected', at: t(6) })).events.map((e) => e.type)).toEqual(['action.planned', 'action.vetoed']);
  expect((await story({ outcome: 'failed', detail: 'docker said no', at: t(6) })).events.map((e) => e.type)).toEqual(['action.planned', 'action.failed']);
});
