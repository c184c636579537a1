import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../alerts/alert.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createDeliveryWorker, type DeliveryDeps } from './deliver.ts';
import { planChanges, type PlannedRecipient } from './plan.ts';
import type { Destination, MessageGroup, SendResult } from './types.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

function alert(fp: string, over: Partial<Alert> = {}): Alert {
  return {
    fingerprint: fp, rule: 'idle-gpu-container', host: 'ds01', severity: 'warning', stage: null,
    labels: { host: 'ds01', user: 'alice', container: fp }, annotations: { summary: `idle ${fp}`, description: 'd' }, notify: ['owner'],
    state: 'firing', activeSince: '2026-11-25T09:00:00.000Z', firedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null,
    lastMatchedAt: '2026-11-25T09:00:00.000Z', updatedAt: '2026-11-25T09:00:00.000Z', ...over,
  };
}
const recipient: PlannedRecipient = {
  receiver: 'team-slack', audience: 'user', user: 'alice', destination: { kind: 'slack', mention: null }, channelKey: 'slack:team-slack', groupKey: 'user:alice', groupLabels: { user: 'alice' },
  groupWaitMs: 0, groupIntervalMs: 60_000, repeatIntervalMs: 3_600_000, repeatBackoff: null, sendResolved: true,
};

/** The same person's other group on the same webhook (same channel key), and a group on another webhook. */
const sameChannel: PlannedRecipient = { ...recipient, groupKey: 'user:alice:2', groupLabels: { user: 'alice', n: '2' } };
const otherChannel: PlannedRecipient = { ...recipient, receiver: 'ops-slack', channelKey: 'slack:ops-slack', groupKey: 'ops', groupLabels: {} };
const RETRY = { baseMs: 2000, maxMs: 60_000, giveUpAfterMs: 3_600_000 };
const fail500: SendResult = { ok: false, retry: true, retryAfterMs: null, error: 'HTTP 500' };

/**
 * A memory store, a fake clock and a scripted sender (while `ctl.down` is set, every send answers that); alerts
 * queued as the pipeline would, to `recipient` unless `queueTo` names another.
 */
async function setup(script: (SendResult | 'ok')[] = [], opts: { retry?: DeliveryDeps['retry'] } = {}) {
  const store = createMemoryStore();
  let now = T0;
  const sent: { at: number; group: MessageGroup }[] = [];
  const ctl: { down: SendResult | null } = { down: null };
  let n = 0;
  const deps: DeliveryDeps = {
    store,
    clock: () => new Date(now),
    destinationOf: (): Destination => ({ kind: 'slack', webhookUrl: 'http://127.0.0.1:9/hook', mention: null }),
    send: async (group) => {
      sent.push({ at: now, group });
      if (ctl.down !== null) return ctl.down;
      const next = script.shift() ?? 'ok';
      return next === 'ok' ? { ok: true } : next;
    },
    mutedBy: async (a) => (a.labels.container === 'muted' ? { status: 'silenced', detail: 'silence s1' } : null),
    minGapMs: (key) => (key.startsWith('slack:') ? 1000 : 0),
    retry: opts.retry ?? RETRY,
  };
  const worker = createDeliveryWorker(deps);
  const queueTo = async (to: PlannedRecipient, ...alerts: Alert[]) => {
    const changes: AlertChange[] = alerts.map((a) => ({ fingerprint: a.fingerprint, from: 'pending', to: a.state, escalated: false, alert: a }));
    const plan = planChanges(changes, () => [to], new Map(), new Date(now), () => `o${String(++n).padStart(3, '0')}`);
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: plan.outbox, log: plan.log });
  };
  const queue = (...alerts: Alert[]) => queueTo(recipient, ...alerts);
  /** Log entries of one alert (or all), oldest first, as [ms after T0, status, detail]. */
  const story = async (fp?: string) =>
    (await store.listNotifications({ limit: 1000 })).filter((e) => fp === undefined || e.fingerprints.includes(fp)).reverse().map((e) => [Date.parse(e.at) - T0, e.status, e.detail]);
  /** A tick every second until `untilMs` after T0 (the clock ends there). */
  const runUntil = async (untilMs: number) => {
    while (now - T0 < untilMs) {
      await worker.tick();
      now += 1000;
    }
  };
  /** Seconds after T0 of the sends to one receiver. */
  const sendsTo = (receiver: string) => sent.filter((s) => s.group.receiver === receiver).map((s) => (s.at - T0) / 1000);
  return {
    store, sent, worker, queue, queueTo, story, runUntil, sendsTo, ctl, advance: (ms: number) => (now += ms),
    queued: () => store.dueOutbox('2100-01-01T00:00:00.000Z', 1000),
  };
}

describe('delivery worker', () => {
  it('sends what is due in one message per group and records it', async () => {
    const { worker, queue, sent, store } = await setup();
    await queue(alert('c1'), alert('c2'));
    expect(await worker.tick()).toBe(1);
    expect(sent.map((s) => s.group.alerts.map((a) => a.alert.fingerprint))).toEqual([['c1', 'c2']]);
    expect(await store.dueOutbox(new Date(T0 + 3_600_000).toISOString(), 10)).toEqual([]);
    const log = await store.listNotifications({});
    expect(log.map((l) => l.status).sort()).toEqual(['queued', 'queued', 'sent', 'sent']);
    expect((await store.getGroupState('team-slack', 'user:alice'))?.lastSentAt).toBe(new Date(T0).toISOString());
  });

  it('never sends twice for the same state change (dedup key), even when the pipeline queues it again', async () => {
    const { worker, queue, sent } = await setup();
    await queue(alert('c1'));
    await worker.tick();
    await queue(alert('c1'));
    expect(await worker.tick()).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('keeps at most one message per second on a Slack webhook', async () => {
    const { worker, queue, sent, advance } = await setup();
    await queue(alert('c1'));
    await worker.tick();
    await queue(alert('c2', { labels: { host: 'ds01', user: 'alice', container: 'c2' }, activeSince: '2026-11-25T09:30:00.000Z' }));
    advance(60_000);
    await queue(alert('c3'));
    expect(await worker.tick()).toBe(1);
    expect(await worker.tick()).toBe(0); // same second: the channel is busy
    advance(999);
    expect(await worker.tick()).toBe(0);
    expect(sent.map((s) => s.at - T0)).toEqual([0, 60_000]);
  });

  it('a retryable failure backs off the channel (base × 2^(failures−1), Retry-After when longer); the item keeps its nextAttemptAt, then delivers', async () => {
    const { worker, queue, sent, advance, store, queued } = await setup([
      { ok: false, retry: true, retryAfterMs: 5000, error: 'HTTP 429' },
      { ok: false, retry: true, retryAfterMs: null, error: 'HTTP 500' },
    ]);
    await queue(alert('c1'));
    const [before] = await queued();
    await worker.tick(); // 429 with Retry-After 5 s, longer than the first backoff (2 s)
    expect(await queued()).toEqual([{ ...before, attempts: 1 }]);
    advance(4999);
    expect(await worker.tick()).toBe(0);
    advance(1);
    await worker.tick(); // 500, the channel's second failure: 2 × 2 s
    expect(await queued()).toEqual([{ ...before, attempts: 2 }]);
    advance(3999);
    expect(await worker.tick()).toBe(0);
    advance(1);
    expect(await worker.tick()).toBe(1);
    expect(sent.map((s) => s.at - T0)).toEqual([0, 5000, 9000]);
    expect((await store.listNotifications({})).map((l) => l.status).reverse()).toEqual(['queued', 'retried', 'retried', 'sent']);
  });

  it('a failing channel holds back every group on it (not other channels), probes with the head of its queue, and drains in order once it answers', async () => {
    const { queue, queueTo, sent, ctl, queued, story, runUntil, sendsTo } = await setup();
    ctl.down = fail500;
    await queue(alert('c1'));
    await runUntil(10_000);
    await queueTo(sameChannel, alert('c2', { labels: { host: 'ds01', user: 'alice', container: 'c2' } }));
    await queueTo(otherChannel, alert('c3'));
    await runUntil(200_000);
    // Probes after 2, 4, 8, 16, 32, 60 (capped), 60 s, each with c1, the oldest; c2 (same webhook, its own group)
    // waits behind it, untried; c3 is on another webhook, on its own backoff from 10 s.
    expect(sendsTo('team-slack')).toEqual([0, 2, 6, 14, 30, 62, 122, 182]);
    expect(sent.filter((s) => s.group.receiver === 'team-slack').every((s) => s.group.groupKey === 'user:alice' && s.group.alerts.length === 1 && s.group.alerts[0]?.alert.fingerprint === 'c1')).toBe(true);
    expect(sendsTo('ops-slack')).toEqual([10, 12, 16, 24, 40, 72, 132, 192]);
    expect((await story('c2')).map((e) => e[1])).toEqual(['queued']);
    expect((await queued()).map((q) => [q.id, q.attempts, Date.parse(q.nextAttemptAt) - T0])).toEqual([
      ['o001', 8, 0],
      ['o002', 0, 10_000],
      ['o003', 8, 10_000],
    ]);

    // Back at 200 s: team-slack's next probe (242 s) delivers c1, then c2 after the 1 s gap; ops-slack's (252 s) c3.
    ctl.down = null;
    const from = sent.length;
    await runUntil(300_000);
    expect(sent.slice(from).map((s) => [(s.at - T0) / 1000, s.group.alerts.map((a) => a.alert.fingerprint)])).toEqual([
      [242, ['c1']],
      [243, ['c2']],
      [252, ['c3']],
    ]);
    expect(await queued()).toEqual([]);
  });

  it('the failure count of a channel resets when it answers: the next outage starts again at the base delay', async () => {
    const { queue, ctl, runUntil, sendsTo } = await setup();
    ctl.down = fail500;
    await queue(alert('c1'));
    await runUntil(20_000);
    expect(sendsTo('team-slack')).toEqual([0, 2, 6, 14]);
    ctl.down = null;
    await runUntil(31_000);
    expect(sendsTo('team-slack')).toEqual([0, 2, 6, 14, 30]); // delivered at the next probe
    ctl.down = fail500;
    await queue(alert('c2', { labels: { host: 'ds01', user: 'alice', container: 'c2' }, activeSince: '2026-11-25T09:30:00.000Z' }));
    await runUntil(40_000);
    // The channel's gap after the success (1 s), then failures 2 s and 4 s apart, not the 32 s the outage had reached.
    expect(sendsTo('team-slack')).toEqual([0, 2, 6, 14, 30, 31, 33, 37]);
  });

  it('gives up on a permanent failure at once, logging why', async () => {
    const { worker, queue, store, advance, sent, queued } = await setup([{ ok: false, retry: false, retryAfterMs: null, error: 'HTTP 404 (no_service)' }]);
    await queue(alert('c1'));
    await worker.tick();
    expect((await store.listNotifications({}))[0]).toMatchObject({ status: 'failed', detail: 'HTTP 404 (no_service)', at: new Date(T0).toISOString() });
    expect(await queued()).toEqual([]);
    advance(3_600_000);
    expect(await worker.tick()).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('gives up on an item still undelivered giveUpAfterMs after it was queued, at the first probe from then on', async () => {
    const { queue, ctl, story, runUntil, queued, sendsTo } = await setup();
    ctl.down = fail500;
    await queue(alert('c1'));
    await runUntil(3_600_000 + 120_000);
    // Probes at 0, 2, 6, 14, 30 s, then every 60 s from 62 s: … 3542 s (retried, < 1 h); at 1 h it is given up on the
    // first delivery pass, without another attempt.
    const entries = await story('c1');
    expect(entries[0]).toEqual([0, 'queued', expect.any(String)]);
    expect(entries.slice(1, 7).map((e) => e[0])).toEqual([0, 2000, 6000, 14_000, 30_000, 62_000]);
    expect(entries.at(-2)).toEqual([3_542_000, 'retried', 'HTTP 500']);
    expect(entries.at(-1)?.[1]).toBe('failed');
    expect(entries.at(-1)?.[2]).toBe('not delivered in time (gave up)');
    expect(entries.at(-1)?.[0]).toBeGreaterThanOrEqual(3_600_000);
    expect(entries.at(-1)?.[0]).toBeLessThan(3_602_000);
    expect(entries.filter((e) => e[1] === 'retried')).toHaveLength(5 + 59);
    expect(await queued()).toEqual([]);
    expect(sendsTo('team-slack').at(-1)).toBe(3542); // no attempt once it is too old
  });

  it('drops muted alerts with a silenced log line and sends the rest', async () => {
    const { worker, queue, sent, store } = await setup();
    await queue(alert('muted', { labels: { host: 'ds01', user: 'alice', container: 'muted' } }), alert('c2'));
    await worker.tick();
    expect(sent[0]?.group.alerts.map((a) => a.alert.fingerprint)).toEqual(['c2']);
    expect((await store.listNotifications({})).filter((l) => l.status === 'silenced').map((l) => l.detail)).toEqual(['silence s1']);
  });

  // Every due item's age is checked on each pass, not only the one tried: items queued behind the head of a failing
  // channel are given up on time too, and never sent late. c1 and c2 (two groups on one webhook) are queued at 0 s;
  // the webhook is down until 3630 s (giveUpAfterMs: 1 h).
  it('an item waiting behind the head of a failing channel is given up too once giveUpAfterMs has passed, never sent late', async () => {
    const { queue, queueTo, ctl, story, runUntil, sent } = await setup();
    ctl.down = fail500;
    await queue(alert('c1'));
    await queueTo(sameChannel, alert('c2', { labels: { host: 'ds01', user: 'alice', container: 'c2' } }));
    await runUntil(3_630_000);
    ctl.down = null;
    await runUntil(3_700_000);
    for (const fp of ['c1', 'c2']) {
      const last = (await story(fp)).at(-1);
      expect(last?.slice(1)).toEqual(['failed', 'not delivered in time (gave up)']);
      expect(last?.[0]).toBeGreaterThanOrEqual(3_600_000);
      expect(last?.[0]).toBeLessThan(3_602_000);
    }
    expect(sent.filter((s) => s.group.alerts.some((a) => a.alert.fingerprint === 'c2'))).toEqual([]);
  });

  // After a retryable failure the channel waits for the longer of the backoff, Retry-After and its minimum gap, so a
  // retry base shorter than Slack's 1 s gap never makes requests come closer together.
  it('after a failed message the channel still keeps its minimum gap when the retry base is shorter', async () => {
    const { worker, queue, ctl, advance, sendsTo } = await setup([], { retry: { baseMs: 200, maxMs: 5_000, giveUpAfterMs: 3_600_000 } });
    ctl.down = fail500;
    await queue(alert('c1'));
    await worker.tick();
    for (let t = 0; t < 10; t++) {
      advance(100);
      await worker.tick();
    }
    // Actual: [0, 0.2, 0.6] (backoffs of 200 and 400 ms on a webhook allowing one message per second).
    expect(sendsTo('team-slack')).toEqual([0, 1]);
  });
});
