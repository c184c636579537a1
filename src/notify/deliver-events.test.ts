// Each message the delivery worker sends, or gives up on, is one event of the event log (never one per retry).
import { expect, it } from 'vitest';
import type { Alert, AlertChange } from '../alerts/alert.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createDeliveryWorker } from './deliver.ts';
import { planChanges, type PlannedRecipient } from './plan.ts';
import type { SendResult } from './types.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const alert = (fp: string, host = 'ds01'): Alert => ({
  fingerprint: fp, rule: 'idle-gpu-container', host, severity: 'warning', stage: null,
  labels: { host, user: 'alice', container: fp }, annotations: { summary: `idle ${fp}`, description: 'd' }, notify: ['owner'],
  state: 'firing', activeSince: '2026-11-25T09:00:00.000Z', firedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null,
  lastMatchedAt: '2026-11-25T09:00:00.000Z', updatedAt: '2026-11-25T09:00:00.000Z',
});
const recipient: PlannedRecipient = {
  receiver: 'team-slack', audience: 'user', user: 'alice', destination: { kind: 'slack', mention: null }, channelKey: 'slack:team-slack', groupKey: 'user:alice', groupLabels: { user: 'alice' },
  groupWaitMs: 0, groupIntervalMs: 60_000, repeatIntervalMs: 3_600_000, repeatBackoff: null, sendResolved: true,
};

async function run(results: SendResult[], ...alerts: Alert[]) {
  const store = createMemoryStore();
  let now = T0;
  const worker = createDeliveryWorker({
    store,
    clock: () => new Date(now),
    destinationOf: () => ({ kind: 'slack', webhookUrl: 'http://127.0.0.1:9/hook', mention: null }),
    send: async () => results.shift() ?? { ok: true },
    mutedBy: async () => null,
    minGapMs: () => 0,
    retry: { baseMs: 1000, maxMs: 1000, giveUpAfterMs: 3_600_000 },
  });
  const changes: AlertChange[] = alerts.map((a) => ({ fingerprint: a.fingerprint, from: 'pending', to: 'firing', escalated: false, alert: a }));
  let n = 0;
  const plan = planChanges(changes, () => [recipient], new Map(), new Date(now), () => `o${++n}`);
  await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: plan.outbox, log: plan.log });
  for (let i = 0; i < 5; i++) {
    await worker.tick();
    now += 2000;
  }
  return (await store.listEvents({ type: 'notification' })).events;
}

it('a message of two alerts is one notification.sent event: group key, user, the one host, how many', async () => {
  const events = await run([{ ok: false, retry: true, retryAfterMs: null, error: 'HTTP 500' }], alert('a'), alert('b'));
  expect(events.map((e) => [e.type, e.host, e.user, e.subject, e.at])).toEqual([['notification.sent', 'ds01', 'alice', 'user:alice', new Date(T0 + 2000).toISOString()]]);
  expect(events[0]?.details).toEqual({ receiver: 'team-slack', alerts: 2, rules: ['idle-gpu-container'], detail: '2 alert(s) in one message' });
});

it('a permanent failure is one notification.failed event with why; alerts of two hosts name no host', async () => {
  const events = await run([{ ok: false, retry: false, retryAfterMs: null, error: 'HTTP 404 (no_service)' }], alert('a', 'ds01'), alert('b', 'ds02'));
  expect(events.map((e) => [e.type, e.host, e.details['detail']])).toEqual([['notification.failed', undefined, 'HTTP 404 (no_service)']]);
});
