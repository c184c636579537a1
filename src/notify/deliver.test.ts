import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../alerts/alert.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createDeliveryWorker, type DeliveryDeps } from './deliver.ts';
import { planChanges, type Recipient } from './plan.ts';
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
const recipient: Recipient = {
  receiver: 'team-slack', audience: 'user', user: 'alice', destination: { kind: 'slack', mention: null }, channelKey: 'slack:team-slack', groupKey: 'user:alice', groupLabels: { user: 'alice' },
  groupWaitMs: 0, groupIntervalMs: 60_000, repeatIntervalMs: 3_600_000, repeatBackoff: null, sendResolved: true,
};

/** A memory store, a fake clock and a scripted sender; alerts queued as the pipeline would. */
async function setup(script: (SendResult | 'ok')[] = []) {
  const store = createMemoryStore();
  let now = T0;
  const sent: { at: number; group: MessageGroup }[] = [];
  let n = 0;
  const deps: DeliveryDeps = {
    store,
    clock: () => new Date(now),
    destinationOf: (): Destination => ({ kind: 'slack', webhookUrl: 'http://127.0.0.1:9/hook', mention: null }),
    send: async (group) => {
      sent.push({ at: now, group });
      const next = script.shift() ?? 'ok';
      return next === 'ok' ? { ok: true } : next;
    },
    mutedBy: async (a) => (a.labels.container === 'muted' ? { status: 'silenced', detail: 'silence s1' } : null),
    minGapMs: (key) => (key.startsWith('slack:') ? 1000 : 0),
    retry: { baseMs: 2000, maxMs: 60_000, maxAttempts: 3 },
  };
  const worker = createDeliveryWorker(deps);
  const queue = async (...alerts: Alert[]) => {
    const changes: AlertChange[] = alerts.map((a) => ({ fingerprint: a.fingerprint, from: 'pending', to: a.state, escalated: false, alert: a }));
    const plan = planChanges(changes, () => [recipient], new Map(), new Date(now), () => `o${++n}`);
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: plan.outbox, log: plan.log });
  };
  return { store, sent, worker, queue, advance: (ms: number) => (now += ms) };
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

  it('retries with backoff and honours Retry-After, then delivers', async () => {
    const { worker, queue, sent, advance, store } = await setup([
      { ok: false, retry: true, retryAfterMs: 5000, error: 'HTTP 429' },
      { ok: false, retry: true, retryAfterMs: null, error: 'HTTP 500' },
    ]);
    await queue(alert('c1'));
    await worker.tick();
    advance(4999);
    expect(await worker.tick()).toBe(0);
    advance(1);
    await worker.tick(); // 500: next try after 2^1 × 2 s
    advance(3999);
    expect(await worker.tick()).toBe(0);
    advance(1);
    expect(await worker.tick()).toBe(1);
    expect(sent.map((s) => s.at - T0)).toEqual([0, 5000, 9000]);
    expect((await store.listNotifications({})).map((l) => l.status).reverse()).toEqual(['queued', 'retried', 'retried', 'sent']);
  });

  it('gives up on a permanent failure and after maxAttempts, logging why', async () => {
    const { worker, queue, store, advance } = await setup([{ ok: false, retry: false, retryAfterMs: null, error: 'HTTP 404 (no_service)' }]);
    await queue(alert('c1'));
    await worker.tick();
    advance(3_600_000);
    expect(await worker.tick()).toBe(0);
    expect((await store.listNotifications({}))[0]).toMatchObject({ status: 'failed', detail: 'HTTP 404 (no_service)' });
  });

  it('drops muted alerts with a silenced log line and sends the rest', async () => {
    const { worker, queue, sent, store } = await setup();
    await queue(alert('muted', { labels: { host: 'ds01', user: 'alice', container: 'muted' } }), alert('c2'));
    await worker.tick();
    expect(sent[0]?.group.alerts.map((a) => a.alert.fingerprint)).toEqual(['c2']);
    expect((await store.listNotifications({})).filter((l) => l.status === 'silenced').map((l) => l.detail)).toEqual(['silence s1']);
  });
});
