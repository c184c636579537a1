import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, testLimits } from '../../test/support/pack.ts';
import { container, snapshot, t } from '../../test/support/snapshot-factory.ts';
import type { Alert } from '../alerts/alert.ts';
import type { ActionResult, PlannedAction } from '../enforcement/action.ts';
import type { PlannedRecipient } from '../notify/plan.ts';
import type { OutboxPayload } from '../notify/plan.ts';
import { renderMessage } from '../notify/render/render.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import type { Grant } from '../enforcement/grant.ts';
import { createRuleSet } from './rule-set-from-pack.ts';
import { createCore } from './ingest.ts';

function recipient(audience: 'user' | 'admin', user: string | null): PlannedRecipient {
  return {
    receiver: audience === 'user' ? 'owner' : 'admins', audience, user, destination: { kind: 'slack', mention: null }, channelKey: `slack:${audience}`,
    groupKey: 'g', groupLabels: {}, groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 3_600_000, repeatBackoff: null, sendResolved: true,
  };
}

/** A container created 2 h ago and never started: created-never-started fires at once and asks to remove it. */
const stuck = container('stuck', 'alice', { state: 'created', createdAt: t(-120), startedAt: null, pid: null });

function setup(rules = DEFAULT_RULES, grants: Grant[] = []) {
  const store = createMemoryStore();
  const logs: string[] = [];
  const recipientsOf = (a: Alert): PlannedRecipient[] => [recipient('user', a.labels.user ?? null), recipient('admin', null)];
  const core = createCore({ store, rules: createRuleSet(rules), limits: testLimits(), recipientsOf, log: (l) => logs.push(l), grants: async () => grants });
  let n = 0;
  const ingest = async (minutes: number, actionResults?: ActionResult[]) =>
    core.ingest({ ...snapshot(t(minutes), { containers: [stuck] }), id: `ds01@${++n}`, ...(actionResults === undefined ? {} : { actionResults }) }, new Date(t(minutes)));
  /** Rendered text of the queued notices about actions, per receiver. */
  const notices = async (): Promise<string[]> =>
    (await store.dueOutbox('2100-01-01T00:00:00.000Z', 100))
      .map((o) => [o.receiver, JSON.parse(o.payload) as OutboxPayload] as const)
      .filter(([, p]) => p.reason === 'action' || p.alert.action !== undefined)
      .map(([receiver, p]) => `${receiver}: ${p.reason}: ${renderMessage({ receiver, audience: p.audience, user: p.user, groupKey: 'g', groupLabels: {}, alerts: [{ alert: p.alert, reason: p.reason }] }).email.text}`);
  return { store, core, ingest, notices, logs };
}

describe('enforcement round trip in the core', () => {
  it('plans the removal once, announces it, hands it to the host when due, and says it was done only after the result', async () => {
    const { store, ingest, notices } = setup();
    const first = await ingest(0);
    expect(first.actions).toEqual([]); // planned, due only after the 5 min grace
    const [planned] = await store.listActions({});
    expect(planned).toMatchObject({ state: 'scheduled', action: { type: 'stop-container', params: { remove: true }, notBefore: t(5), target: { name: 'stuck', state: 'created' } } });
    const announced = await notices();
    expect(announced.join('\n')).toContain('Scheduled: stop and remove the container, not before 2026-11-25 10:05 UTC. Nothing has been done yet.');
    expect(announced.join('\n')).not.toMatch(/Done|removed at/);

    expect((await ingest(4)).actions).toEqual([]);
    const due = await ingest(5);
    expect(due.actions.map((a: PlannedAction) => a.id)).toEqual([planned?.action.id]);
    expect((await ingest(5.5)).actions.map((a) => a.id)).toEqual([planned?.action.id]); // again, until a result comes
    expect(await store.listActions({})).toHaveLength(1); // never re-planned while the alert keeps firing

    const id = planned?.action.id ?? '';
    const after = await ingest(6, [{ id, outcome: 'done', detail: 'stopped and removed', at: t(5.75) }]);
    expect(after.actions).toEqual([]);
    expect((await store.getActions([id]))[0]).toMatchObject({ state: 'done', result: { detail: 'stopped and removed' } });
    const told = (await notices()).filter((n) => n.includes(': action: '));
    expect(told).toHaveLength(2);
    for (const n of told) expect(n).toContain('Done at 2026-11-25 10:05 UTC: stopped and removed.');
  });

  it('a dry run is told as a dry run; a veto reaches the admins only; a result for another host or an unknown id changes nothing', async () => {
    const { store, ingest, notices, logs } = setup();
    await ingest(0);
    const id = (await store.listActions({}))[0]?.action.id ?? '';
    await ingest(6, [{ id: 'nope', outcome: 'done', detail: 'x', at: t(6) }]);
    expect(logs.join('\n')).toContain('result done for action nope ignored: no such action');
    await ingest(7, [{ id, outcome: 'vetoed', detail: 'container is protected on this host (ds01.protected=true)', at: t(7) }]);
    const told = (await notices()).filter((n) => n.includes(': action: '));
    expect(told).toEqual([expect.stringMatching(/^admins: action: .*Not done \(vetoed\) at 2026-11-25 10:07 UTC: container is protected on this host/s)]);
    await ingest(8, [{ id, outcome: 'done', detail: 'late', at: t(8) }]);
    expect((await store.getActions([id]))[0]?.state).toBe('vetoed');
  });

  it('dry run: the person reads that nothing was done', async () => {
    const { store, ingest, notices } = setup();
    await ingest(0);
    const id = (await store.listActions({}))[0]?.action.id ?? '';
    await ingest(6, [{ id, outcome: 'dry-run', detail: 'would have removed container stuck (it is not running)', at: t(6) }]);
    const user = (await notices()).filter((n) => n.startsWith('owner: action:'));
    expect(user.join('\n')).toContain('Dry run at 2026-11-25 10:06 UTC: nothing was done; the probe would have removed container stuck (it is not running).');
  });

  it('a granted user gets no action; approve: true holds the action until approved', async () => {
    const grant: Grant = { id: 'g1', user: 'alice', rule: 'created-never-started', until: t(600), reason: 'moving data', createdBy: 'bob', createdAt: t(-1), revokedAt: null, source: 'admin' };
    const granted = setup(DEFAULT_RULES, [grant]);
    await granted.ingest(0);
    expect(await granted.store.listActions({})).toEqual([]);
    const fyi = await granted.notices();
    expect(fyi.join('\n')).toBe('');
    const all = (await granted.store.dueOutbox('2100-01-01T00:00:00.000Z', 100)).map((o) => JSON.parse(o.payload) as OutboxPayload);
    expect(all.map((p) => p.alert.grant?.id)).toEqual(['g1', 'g1']);
    const owner = all.find((p) => p.audience === 'user');
    const text = renderMessage({ receiver: 'owner', audience: 'user', user: 'alice', groupKey: 'g', groupLabels: {}, alerts: [{ alert: owner!.alert, reason: 'firing' }] }).email;
    expect(text.subject).toMatch(/^\[gpuwarden\] NOTICE: /);
    expect(text.text).toContain('Exemption: you are exempt from this rule until 2026-11-25 20:00 UTC (moving data): for your information only; nothing will be done.');

    const approve = setup(DEFAULT_RULES.map((r) => (r.id === 'created-never-started' ? { ...r, approve: true } : r)));
    await approve.ingest(0);
    const [held] = await approve.store.listActions({});
    expect(held?.state).toBe('awaiting-approval');
    expect((await approve.ingest(10)).actions).toEqual([]);
    expect(await approve.store.approveAction(held?.action.id ?? '', 'bob', t(11))).toBe('approved');
    expect((await approve.ingest(12)).actions.map((a) => a.id)).toEqual([held?.action.id]);
  });

  it('a scheduled stop is cancelled, never handed out, once its alert resolves before it was carried out', async () => {
    const { store, core, logs, ingest } = setup();
    const started = { ...stuck, state: 'running', startedAt: t(1), pid: 100 };
    await ingest(0);
    const [planned] = await store.listActions({});
    // The container started: created-never-started resolves (keep_firing_for: two probe intervals) before notBefore.
    for (const m of [2, 3, 4]) await core.ingest({ ...snapshot(t(m), { containers: [started] }), id: `ds01@late-${m}` }, new Date(t(m)));
    const reply = await core.ingest({ ...snapshot(t(6), { containers: [started] }), id: 'ds01@late-6' }, new Date(t(6)));
    expect(reply.actions).toEqual([]);
    expect((await store.getActions([planned?.action.id ?? '']))[0]).toMatchObject({ state: 'expired', result: { detail: 'cancelled: its alert resolved before it was carried out' } });
    expect(logs.join('\n')).toContain('cancelled: its alert resolved before it was carried out');
  });

  it('the snapshot that reports a removal also shows the container gone: the result is kept, not cancelled', async () => {
    const { store, core, ingest } = setup();
    await ingest(0);
    const id = (await store.listActions({}))[0]?.action.id ?? '';
    await core.ingest({ ...snapshot(t(6)), id: 'ds01@gone', actionResults: [{ id, outcome: 'done', detail: 'removed (it was not running)', at: t(5.5) }] }, new Date(t(6)));
    expect((await store.getActions([id]))[0]).toMatchObject({ state: 'done', result: { detail: 'removed (it was not running)' } });
  });

  it('the tick expires an action nobody reported on, and tells the admins', async () => {
    const { store, core, ingest, notices } = setup();
    await ingest(0);
    await core.tick(new Date(t(70)));
    expect((await store.listActions({}))[0]).toMatchObject({ state: 'expired', result: { detail: `the host reported no result before ${t(65)}` } });
    expect((await notices()).filter((n) => n.includes(': action: '))).toEqual([expect.stringMatching(/^admins: action: .*Not done \(expired\)/s)]);
  });
});
