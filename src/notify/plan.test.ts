import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../alerts/alert.ts';
import type { GroupState } from '../store/store.ts';
import { groupStateKey, planActionNotices, planChanges, planRepeats, type PlannedRecipient, repeatDelayMs } from './plan.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const MIN = 60_000;

function alert(over: Partial<Alert> = {}): Alert {
  return {
    fingerprint: 'fp1', rule: 'idle-gpu-container', host: 'ds01', severity: 'warning', stage: null,
    labels: { host: 'ds01', user: 'alice', container: 'c1' }, annotations: { summary: 's', description: 'd' }, notify: ['owner', 'admins'],
    state: 'firing', activeSince: '2026-11-25T09:00:00.000Z', firedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null,
    lastMatchedAt: NOW.toISOString(), updatedAt: NOW.toISOString(), ...over,
  };
}
function recipient(over: Partial<PlannedRecipient> = {}): PlannedRecipient {
  return {
    receiver: 'users-email', audience: 'user', user: 'alice', destination: { kind: 'email', to: ['alice@example.org'] }, channelKey: 'email:users-email', groupKey: 'user:alice', groupLabels: { user: 'alice' },
    groupWaitMs: 30_000, groupIntervalMs: 5 * MIN, repeatIntervalMs: 240 * MIN, repeatBackoff: null, sendResolved: true, ...over,
  };
}
const change = (from: AlertChange['from'], a: Alert, escalated = false): AlertChange => ({ fingerprint: a.fingerprint, from, to: a.state, escalated, alert: a });
let n = 0;
const newId = () => `id${++n}`;

describe('planChanges', () => {
  it('an alert resolved because its source stayed unreadable: one group per admin receiver and host, nothing to its owner', () => {
    const admins = recipient({ receiver: 'ops-slack', audience: 'admin', user: null, channelKey: 'slack:ops-slack', groupKey: 'alertname:x', groupLabels: { alertname: 'x' }, sendResolved: false });
    const gone = (fp: string, rule: string, user: string) =>
      alert({ fingerprint: fp, rule, labels: { host: 'ds01', user }, state: 'resolved', resolvedAt: NOW.toISOString(), resolvedReason: 'source-unavailable', stale: { since: '2026-11-25T09:30:00.000Z', sources: ['docker'] } });
    const changes = [change('firing', gone('a', 'gpu-quota', 'alice')), change('firing', gone('b', 'idle-gpu-container', 'bob')), change('firing', gone('c', 'gpu-quota', 'carol'))];
    const plan = planChanges(changes, (a) => [recipient({ user: a.labels.user ?? null }), admins, { ...admins, groupKey: 'other' }], new Map(), NOW, newId);
    expect(plan.outbox.map((o) => [o.receiver, o.groupKey])).toEqual([
      ['ops-slack', 'source-unavailable/ds01'],
      ['ops-slack', 'source-unavailable/ds01'],
      ['ops-slack', 'source-unavailable/ds01'],
    ]);
    // Sent although the route does not send resolved notices: it is news to the admins, not a resolution.
    expect(new Set(plan.outbox.map((o) => o.nextAttemptAt)).size).toBe(1);
  });

  it('queues a firing change for every recipient after group_wait, with a queued log line', () => {
    const admins = recipient({ receiver: 'ops-slack', audience: 'admin', user: null, channelKey: 'slack:ops-slack', groupKey: 'alertname:idle-gpu-container', groupWaitMs: 5 * MIN });
    const plan = planChanges([change('pending', alert())], () => [recipient(), admins], new Map(), NOW, newId);
    expect(plan.outbox.map((o) => [o.receiver, o.nextAttemptAt, o.groupKey])).toEqual([
      ['users-email', '2026-11-25T10:00:30.000Z', 'user:alice'],
      ['ops-slack', '2026-11-25T10:05:00.000Z', 'alertname:idle-gpu-container'],
    ]);
    expect(JSON.parse(plan.outbox[0]?.payload ?? '{}')).toMatchObject({ reason: 'firing', audience: 'user', user: 'alice', alert: { fingerprint: 'fp1' } });
    expect(plan.log.map((l) => [l.status, l.detail])).toEqual([
      ['queued', 'firing idle-gpu-container (warning) for user alice'],
      ['queued', 'firing idle-gpu-container (warning) for admins'],
    ]);
  });

  it('waits for group_interval after the group was last told', () => {
    const state: GroupState = { receiver: 'users-email', groupKey: 'user:alice', lastDigest: '', lastSentAt: new Date(NOW.getTime() - 2 * MIN).toISOString(), repeats: 0 };
    const plan = planChanges([change('pending', alert())], () => [recipient()], new Map([[groupStateKey('users-email', 'user:alice'), state]]), NOW, newId);
    expect(plan.outbox[0]?.nextAttemptAt).toBe('2026-11-25T10:03:00.000Z');
  });

  it('notifies escalations and resolutions, not pending alerts or de-escalations; honours send_resolved', () => {
    const esc = alert({ severity: 'critical', stage: 'limit' });
    const resolved = alert({ state: 'resolved', resolvedAt: NOW.toISOString() });
    const pending = alert({ state: 'pending', firedAt: null });
    const deesc = alert({ severity: 'warning' });
    const plan = planChanges([change('firing', esc, true), change('firing', resolved), change('inactive', pending), change('firing', deesc, false)], () => [recipient()], new Map(), NOW, newId);
    expect(plan.outbox.map((o) => JSON.parse(o.payload).reason)).toEqual(['escalated', 'resolved']);
    const quiet = planChanges([change('firing', resolved)], () => [recipient({ sendResolved: false })], new Map(), NOW, newId);
    expect(quiet.outbox).toEqual([]);
  });

  it('gives the same state change the same dedup key (at most once), a new episode or stage a new one', () => {
    const a = planChanges([change('pending', alert())], () => [recipient()], new Map(), NOW, newId);
    const b = planChanges([change('pending', alert())], () => [recipient()], new Map(), NOW, newId);
    expect(a.outbox[0]?.dedupKey).toBe(b.outbox[0]?.dedupKey);
    const later = planChanges([change('pending', alert({ activeSince: '2026-11-25T09:30:00.000Z' }))], () => [recipient()], new Map(), NOW, newId);
    const staged = planChanges([change('firing', alert({ stage: 'final' }), true)], () => [recipient()], new Map(), NOW, newId);
    expect(new Set([a.outbox[0]?.dedupKey, later.outbox[0]?.dedupKey, staged.outbox[0]?.dedupKey]).size).toBe(3);
  });
});

describe('planRepeats', () => {
  it('does not repeat a stale alert: it is not known to be still firing', () => {
    const state: GroupState = { receiver: 'users-email', groupKey: 'user:alice', lastDigest: '', lastSentAt: new Date(NOW.getTime() - 300 * MIN).toISOString(), repeats: 0 };
    const states = new Map([[groupStateKey('users-email', 'user:alice'), state]]);
    expect(planRepeats([alert()], () => [recipient()], states, NOW, newId).outbox).toHaveLength(1);
    expect(planRepeats([alert({ stale: { since: NOW.toISOString(), sources: ['gpu'] } })], () => [recipient()], states, NOW, newId).outbox).toEqual([]);
  });

  const told = (minutesAgo: number, repeats = 0): Map<string, GroupState> =>
    new Map([[groupStateKey('users-email', 'user:alice'), { receiver: 'users-email', groupKey: 'user:alice', lastDigest: '', lastSentAt: new Date(NOW.getTime() - minutesAgo * MIN).toISOString(), repeats }]]);

  it('repeats a still-firing alert once repeat_interval has passed since the group was told', () => {
    expect(planRepeats([alert()], () => [recipient()], told(239), NOW, newId).outbox).toEqual([]);
    const plan = planRepeats([alert()], () => [recipient()], told(240), NOW, newId);
    expect(plan.outbox.map((o) => [JSON.parse(o.payload).reason, o.nextAttemptAt])).toEqual([['repeat', NOW.toISOString()]]);
    expect(planRepeats([alert({ state: 'resolved' })], () => [recipient()], told(500), NOW, newId).outbox).toEqual([]);
    expect(planRepeats([alert()], () => [recipient()], new Map(), NOW, newId).outbox).toEqual([]);
  });

  it('backs off exponentially up to the cap', () => {
    const r = recipient({ repeatIntervalMs: 60 * MIN, repeatBackoff: { factor: 2, maxMs: 6 * 60 * MIN } });
    expect([0, 1, 2, 3, 4].map((k) => repeatDelayMs(r, k) / MIN)).toEqual([60, 120, 240, 360, 360]);
    expect(planRepeats([alert()], () => [r], told(119, 1), NOW, newId).outbox).toEqual([]);
    expect(planRepeats([alert()], () => [r], told(120, 1), NOW, newId).outbox).toHaveLength(1);
  });
});

describe('planActionNotices', () => {
  const admins = recipient({ receiver: 'ops', audience: 'admin', user: null, channelKey: 'slack:ops', groupKey: 'g' });
  const note = (type: 'stop-container' | 'warn', state: string) => ({ id: `a-${type}-${state}`, type, state, remove: true, notBefore: NOW.toISOString(), at: NOW.toISOString(), detail: 'x' });
  const plan = (notes: ReturnType<typeof note>[]) =>
    planActionNotices(notes.map((action, i) => alert({ fingerprint: `fp${i}`, action })), () => [recipient(), admins], new Map(), NOW, newId).outbox.map((o) => `${o.receiver}:${o.dedupKey.split('|').slice(-2).join(':')}`);

  it('tells the person what was done or would have been, and only admins about refusals, vetoes, failures and expiries', () => {
    expect(plan([note('stop-container', 'done'), note('stop-container', 'dry-run')])).toEqual([
      'users-email:a-stop-container-done:done', 'ops:a-stop-container-done:done', 'users-email:a-stop-container-dry-run:dry-run', 'ops:a-stop-container-dry-run:dry-run',
    ]);
    expect(plan(['vetoed', 'failed', 'target-changed', 'expired', 'refused'].map((s) => note('stop-container', s)))).toEqual(
      ['vetoed', 'failed', 'target-changed', 'expired', 'refused'].map((s) => `ops:a-stop-container-${s}:${s}`),
    );
  });

  it('the outcome of a terminal warning is told to nobody (an old probe that never reports would make every one expire)', () => {
    expect(plan(['done', 'dry-run', 'failed', 'expired', 'refused'].map((s) => note('warn', s)))).toEqual([]);
  });
});
