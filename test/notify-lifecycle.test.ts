// The notification lifecycle of one alert through the real pipeline (default rule pack, memory store, createCore with
// `recipientsOf`) and the real delivery worker, on a FAKE clock that the snapshots' takenAt, the core and the worker
// all share. Nothing goes on the network: `send` records what would have been sent. Each step asserts exactly which
// messages (receiver, reasons, fingerprints) went out, and when.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.ts';
import { createDeliveryWorker } from '../src/notify/deliver.ts';
import type { PlannedRecipient } from '../src/notify/plan.ts';
import type { NotifyReason } from '../src/notify/types.ts';
import { createCore } from '../src/service/ingest.ts';
import { muteCheck, SLACK_MIN_GAP_MS } from '../src/service/notifications.ts';
import type { Gpu, GpuProcess } from '../src/snapshot/schema.ts';
import { createMemoryStore } from '../src/store/memory/memory-store.ts';
import { DEFAULT_PACK, testLimits } from './support/pack.ts';
import { gpu, proc, snapshot } from './support/snapshot-factory.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const FAR_FUTURE = '2100-01-01T00:00:00.000Z';

/** One message as the recording `send` saw it. */
interface Sent {
  /** Minutes after T0 (fake clock) when it was sent. */
  atMin: number;
  receiver: string;
  reasons: NotifyReason[];
  fingerprints: string[];
  /** Severity/stage of each alert as carried in the message. */
  severities: string[];
  stages: (string | null)[];
}

/** Timing and resolved-notice settings of the two recipients. */
interface RecipientOptions {
  repeatIntervalMs?: number;
  repeatBackoff?: PlannedRecipient['repeatBackoff'];
  adminSendResolved?: boolean;
  userSendResolved?: boolean;
}

/**
 * The pipeline and the worker on one fake clock. Admins hear of every alert (Slack, grouped per rule); the person in
 * the alert's `user` label hears of it too (email, grouped per person). group_wait 0, group_interval 60 s,
 * repeat_interval 1 h, send_resolved true unless changed.
 */
function lifecycle(opts: RecipientOptions = {}) {
  let now = T0;
  const clock = () => new Date(now);
  const store = createMemoryStore();
  const common = {
    groupWaitMs: 0,
    groupIntervalMs: 60 * SEC,
    repeatIntervalMs: opts.repeatIntervalMs ?? HOUR,
    repeatBackoff: opts.repeatBackoff ?? null,
  };
  const recipientsOf = (alert: Alert): PlannedRecipient[] => {
    const admin: PlannedRecipient = {
      receiver: 'admins-slack', audience: 'admin', user: null, destination: { kind: 'slack', mention: null }, channelKey: 'slack:admins-slack',
      groupKey: `{alertname="${alert.rule}"}`, groupLabels: { alertname: alert.rule }, ...common, sendResolved: opts.adminSendResolved ?? true,
    };
    const user = alert.labels.user;
    if (user === undefined) return [admin];
    return [
      admin,
      {
        receiver: 'users-email', audience: 'user', user, destination: { kind: 'email', to: [`${user}@example.org`] }, channelKey: 'email:users-email',
        groupKey: `{user="${user}"}`, groupLabels: { user }, ...common, sendResolved: opts.userSendResolved ?? true,
      },
    ];
  };
  let ids = 0;
  const coreLog: string[] = [];
  const core = createCore({
    store, rules: DEFAULT_PACK, limits: testLimits(), recipientsOf, clock,
    newId: () => `o${String(++ids).padStart(5, '0')}`, log: (l) => coreLog.push(l),
  });
  const sent: Sent[] = [];
  const workerLog: string[] = [];
  const worker = createDeliveryWorker({
    store,
    clock,
    destinationOf: (_receiver, stored) => (stored.kind === 'slack' ? { kind: 'slack', webhookUrl: 'https://hooks.slack.invalid/services/T/B/unused', mention: stored.mention } : { kind: 'email', to: stored.kind === 'email' ? stored.to : [] }),
    send: async (group) => {
      sent.push({
        atMin: (now - T0) / MIN,
        receiver: group.receiver,
        reasons: group.alerts.map((a) => a.reason),
        fingerprints: group.alerts.map((a) => a.alert.fingerprint),
        severities: group.alerts.map((a) => a.alert.severity),
        stages: group.alerts.map((a) => a.alert.stage),
      });
      return { ok: true };
    },
    mutedBy: muteCheck(store),
    minGapMs: (key) => (key.startsWith('slack:') ? SLACK_MIN_GAP_MS : 0),
    log: (l) => workerLog.push(l),
  });

  /** Drain what is due now (one message per channel per pass; the clock does not move). */
  const deliver = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) if ((await worker.tick()) === 0) return;
  };
  let mark = 0;
  return {
    store,
    sent,
    workerLog,
    coreLog,
    /** Move the fake clock to `ms` after T0. */
    setTime: (ms: number) => {
      expect(T0 + ms).toBeGreaterThanOrEqual(now);
      now = T0 + ms;
    },
    nowMs: () => now - T0,
    /** A snapshot taken now (takenAt from the fake clock), ingested now, then a delivery pass. */
    observe: async (parts: { gpuProcesses?: GpuProcess[]; gpus?: Gpu[] }) => {
      const result = await core.ingest(snapshot(new Date(now).toISOString(), parts), new Date(now));
      expect(result.accepted).toBe(true);
      await deliver();
    },
    /** The scheduled tick (host rules on time alone, repeats) at the fake now, then a delivery pass. */
    tick: async () => {
      await core.tick(new Date(now));
      await deliver();
    },
    /** Messages sent since the last call, sorted by receiver within the same minute. */
    newlySent: (): Sent[] => {
      const out = sent.slice(mark).sort((a, b) => a.atMin - b.atMin || a.receiver.localeCompare(b.receiver));
      mark = sent.length;
      return out;
    },
    /** Outbox items still queued, whenever due. */
    queued: () => store.dueOutbox(FAR_FUTURE, 1000),
    fingerprintOf: async (rule: string): Promise<string> => {
      const alerts = await store.listAlerts({ rule });
      expect(alerts).toHaveLength(1);
      return alerts[0]?.fingerprint ?? '';
    },
    alertOf: async (rule: string): Promise<Alert | undefined> => (await store.listAlerts({ rule }))[0],
  };
}

const RULE = 'untracked-host-gpu-process';
/** alice's python3 running on GPU 0 outside any container. */
const BARE = proc(4242, { user: 'alice', kind: 'host', containerId: null });

/** A compact expected message. */
function msg(atMin: number, receiver: string, reason: NotifyReason, fingerprint: string) {
  return expect.objectContaining({ atMin, receiver, reasons: [reason], fingerprints: [fingerprint] });
}

describe('notification lifecycle of one alert (fake clock, default pack, memory store)', () => {
  it('pending → firing → still firing → repeat → resolved: exactly one message per recipient at each change', async () => {
    const l = lifecycle();

    // Pending: the first snapshot with the process. Nothing is sent, nothing is queued.
    await l.observe({ gpuProcesses: [BARE] });
    expect((await l.alertOf(RULE))?.state).toBe('pending');
    expect(l.newlySent()).toEqual([]);
    expect(await l.queued()).toEqual([]);

    // Firing: 30 s later (`for: 30s`): one firing message to the admins and one to alice.
    l.setTime(30 * SEC);
    await l.observe({ gpuProcesses: [BARE] });
    const fp = await l.fingerprintOf(RULE);
    expect((await l.alertOf(RULE))?.state).toBe('firing');
    expect(l.newlySent()).toEqual([msg(0.5, 'admins-slack', 'firing', fp), msg(0.5, 'users-email', 'firing', fp)]);

    // Still firing: a snapshot and a scheduled tick every minute for the rest of the hour: nothing new.
    for (let m = 1; m <= 59; m++) {
      l.setTime(30 * SEC + m * MIN);
      await l.observe({ gpuProcesses: [BARE] });
      await l.tick();
    }
    expect(l.newlySent()).toEqual([]);
    expect(await l.queued()).toEqual([]);

    // Repeat: past repeat_interval (1 h after the firing message) the tick queues one repeat per recipient.
    l.setTime(30 * SEC + 60 * MIN + 30 * SEC);
    await l.observe({ gpuProcesses: [BARE] });
    expect(l.newlySent()).toEqual([]); // a snapshot alone never repeats: the tick does
    await l.tick();
    expect(l.newlySent()).toEqual([msg(61, 'admins-slack', 'repeat', fp), msg(61, 'users-email', 'repeat', fp)]);
    // The same tick again, and a minute of snapshots and ticks: no second repeat.
    await l.tick();
    l.setTime(62 * MIN);
    await l.observe({ gpuProcesses: [BARE] });
    await l.tick();
    expect(l.newlySent()).toEqual([]);

    // Resolved: the process is gone; the alert keeps firing for keep_firing_for (two 30 s intervals), quietly,
    // then one resolved message per recipient.
    l.setTime(63 * MIN);
    await l.observe({ gpuProcesses: [] });
    l.setTime(63 * MIN + 30 * SEC);
    await l.observe({ gpuProcesses: [] });
    expect((await l.alertOf(RULE))?.state).toBe('firing');
    expect(l.newlySent()).toEqual([]);
    l.setTime(64 * MIN);
    await l.observe({ gpuProcesses: [] });
    expect((await l.alertOf(RULE))?.state).toBe('resolved');
    expect(l.newlySent()).toEqual([msg(64, 'admins-slack', 'resolved', fp), msg(64, 'users-email', 'resolved', fp)]);

    // And then silence: more snapshots and ticks (well past the repeat interval) send nothing.
    for (let m = 65; m <= 65 + 120; m += 5) {
      l.setTime(m * MIN);
      await l.observe({ gpuProcesses: [] });
      await l.tick();
    }
    expect(l.newlySent()).toEqual([]);

    // The whole story, exactly.
    expect(l.sent.map((s) => [s.atMin, s.receiver, s.reasons, s.fingerprints]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [
        [0.5, 'admins-slack', ['firing'], [fp]],
        [0.5, 'users-email', ['firing'], [fp]],
        [61, 'admins-slack', ['repeat'], [fp]],
        [61, 'users-email', ['repeat'], [fp]],
        [64, 'admins-slack', ['resolved'], [fp]],
        [64, 'users-email', ['resolved'], [fp]],
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    // The log tells the same story: six queued, six sent, nothing else.
    const log = await l.store.listNotifications({ limit: 1000 });
    expect(log.filter((e) => e.status === 'queued')).toHaveLength(6);
    expect(log.filter((e) => e.status === 'sent')).toHaveLength(6);
    expect(log.every((e) => e.status === 'queued' || e.status === 'sent')).toBe(true);
    expect(log.every((e) => e.fingerprints.length === 1 && e.fingerprints[0] === fp)).toBe(true);
    expect(l.workerLog).toEqual([]);
  });

  it('an escalation (gpu-temperature 87 °C → 93 °C, both `for` durations held) sends one escalated message', async () => {
    const l = lifecycle();
    const hot = (c: number) => ({ gpus: [gpu(0, { temperatureC: c })] });

    // 87 °C from minute 0: pending until `for: 5m` has passed, then firing (warning) → admins only (no user label).
    for (let m = 0; m <= 5; m++) {
      l.setTime(m * MIN);
      await l.observe(hot(87));
    }
    const fp = await l.fingerprintOf('gpu-temperature');
    expect(l.newlySent()).toEqual([expect.objectContaining({ atMin: 5, receiver: 'admins-slack', reasons: ['firing'], fingerprints: [fp], severities: ['warning'], stages: [null] })]);

    // 93 °C from minute 6 to minute 12 (well past the critical stage's `for: 2m`): one escalated message, critical.
    for (let m = 6; m <= 12; m++) {
      l.setTime(m * MIN);
      await l.observe(hot(93));
      await l.tick();
    }
    const escalated = l.newlySent();
    expect(escalated).toEqual([expect.objectContaining({ receiver: 'admins-slack', reasons: ['escalated'], fingerprints: [fp], severities: ['critical'], stages: ['critical'] })]);
    // Sent while 93 °C held, at most group_interval after the stage's `for` was satisfied (minute 8).
    expect(escalated[0]?.atMin).toBeGreaterThanOrEqual(6);
    expect(escalated[0]?.atMin).toBeLessThanOrEqual(9);
    const alert = await l.alertOf('gpu-temperature');
    expect(alert).toMatchObject({ state: 'firing', severity: 'critical', stage: 'critical' });

    // Cooling down resolves it once it has stayed cool for keep_firing_for: one resolved message; nothing else was ever sent.
    l.setTime(13 * MIN);
    await l.observe(hot(60));
    expect(l.newlySent()).toEqual([]);
    l.setTime(14 * MIN);
    await l.observe(hot(60));
    expect(l.newlySent()).toEqual([expect.objectContaining({ atMin: 14, receiver: 'admins-slack', reasons: ['resolved'], fingerprints: [fp] })]);
    expect(l.sent.map((s) => s.reasons[0])).toEqual(['firing', 'escalated', 'resolved']);
  });

  // A stage's `for` counts from when the stage's own conditions began to hold (Alert.pendingStage), not from the
  // alert's activeSince. gpu-temperature is "> 85 °C for 5 min; > 90 °C for 2 min": a single 93 °C sample on a GPU that has been above
  // 85 °C for 5 minutes must not escalate (nor page the admins) before the critical stage has held for its 2 minutes.
  it('a single 93 °C sample does not escalate before the critical stage has held for 2 min', async () => {
    const l = lifecycle();
    for (let m = 0; m <= 5; m++) {
      l.setTime(m * MIN);
      await l.observe({ gpus: [gpu(0, { temperatureC: 87 })] });
    }
    expect(l.newlySent().map((s) => s.reasons)).toEqual([['firing']]);
    l.setTime(6 * MIN);
    await l.observe({ gpus: [gpu(0, { temperatureC: 93 })] }); // one spike…
    l.setTime(7 * MIN);
    await l.observe({ gpus: [gpu(0, { temperatureC: 87 })] }); // …and back
    // Expected: still warning, no escalation (93 °C held for 0 of 2 minutes). Actual: one 'escalated' message at minute 6.
    expect(l.newlySent()).toEqual([]);
  });

  it('repeat backoff (factor 2) doubles the delay between repeats, up to its maximum', async () => {
    const l = lifecycle({ repeatIntervalMs: HOUR, repeatBackoff: { factor: 2, maxMs: 4 * HOUR } });
    await l.observe({ gpuProcesses: [BARE] });
    l.setTime(30 * SEC);
    await l.observe({ gpuProcesses: [BARE] }); // firing at 0.5 min
    const fp = await l.fingerprintOf(RULE);
    // A snapshot and a tick every 5 minutes (aligned with the firing time) for 13 hours.
    for (let m = 5; m <= 13 * 60; m += 5) {
      l.setTime(30 * SEC + m * MIN);
      await l.observe({ gpuProcesses: [BARE] });
      await l.tick();
    }
    for (const receiver of ['admins-slack', 'users-email']) {
      const mine = l.sent.filter((s) => s.receiver === receiver);
      expect(mine.every((s) => s.fingerprints.length === 1 && s.fingerprints[0] === fp)).toBe(true);
      expect(mine.map((s) => s.reasons[0])).toEqual(['firing', 'repeat', 'repeat', 'repeat', 'repeat']);
      const times = mine.map((s) => s.atMin);
      const gapsH = times.slice(1).map((t, i) => (t - (times[i] ?? 0)) / 60);
      // 1 h, then 2 h, then 4 h, then capped at 4 h (max).
      expect(gapsH).toEqual([1, 2, 4, 4]);
    }
  });

  it('without backoff, repeats keep the plain repeat_interval', async () => {
    const l = lifecycle();
    await l.observe({ gpuProcesses: [BARE] });
    l.setTime(30 * SEC);
    await l.observe({ gpuProcesses: [BARE] });
    for (let m = 5; m <= 4 * 60; m += 5) {
      l.setTime(30 * SEC + m * MIN);
      await l.observe({ gpuProcesses: [BARE] });
      await l.tick();
    }
    const admin = l.sent.filter((s) => s.receiver === 'admins-slack').map((s) => [s.atMin, s.reasons[0]]);
    expect(admin).toEqual([[0.5, 'firing'], [60.5, 'repeat'], [120.5, 'repeat'], [180.5, 'repeat'], [240.5, 'repeat']]);
  });

  it('send_resolved false sends no resolved message (per recipient)', async () => {
    const l = lifecycle({ adminSendResolved: false, userSendResolved: true });
    await l.observe({ gpuProcesses: [BARE] });
    l.setTime(30 * SEC);
    await l.observe({ gpuProcesses: [BARE] });
    const fp = await l.fingerprintOf(RULE);
    expect(l.newlySent()).toEqual([msg(0.5, 'admins-slack', 'firing', fp), msg(0.5, 'users-email', 'firing', fp)]);

    l.setTime(5 * MIN);
    await l.observe({ gpuProcesses: [] });
    l.setTime(6 * MIN);
    await l.observe({ gpuProcesses: [] });
    expect(l.newlySent()).toEqual([msg(6, 'users-email', 'resolved', fp)]);
    // Nothing was even queued for the admins: no 'resolved' entry for them in the log, and the outbox is empty.
    const adminLog = await l.store.listNotifications({ receiver: 'admins-slack', limit: 1000 });
    expect(adminLog.filter((e) => e.detail.startsWith('resolved'))).toEqual([]);
    expect(await l.queued()).toEqual([]);

    const none = lifecycle({ adminSendResolved: false, userSendResolved: false });
    await none.observe({ gpuProcesses: [BARE] });
    none.setTime(30 * SEC);
    await none.observe({ gpuProcesses: [BARE] });
    none.setTime(5 * MIN);
    await none.observe({ gpuProcesses: [] });
    none.setTime(6 * MIN);
    await none.observe({ gpuProcesses: [] });
    expect((await none.alertOf(RULE))?.state).toBe('resolved');
    expect(none.sent.map((s) => s.reasons[0])).toEqual(['firing', 'firing']);
    expect(await none.queued()).toEqual([]);
  });

  it('a pending alert that stops matching before `for` has passed is never notified', async () => {
    const l = lifecycle();
    await l.observe({ gpuProcesses: [BARE] });
    l.setTime(20 * SEC);
    await l.observe({ gpuProcesses: [] });
    l.setTime(2 * HOUR);
    await l.observe({ gpuProcesses: [] });
    await l.tick();
    expect(l.sent).toEqual([]);
    expect(await l.store.listNotifications({ limit: 1000 })).toEqual([]);
  });
});
