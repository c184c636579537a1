import type { Alert } from '../alerts/alert.ts';
import type { GroupState, NotificationLogEntry, OutboxItem, Store } from '../store/store.ts';
import type { OutboxPayload } from './plan.ts';
import type { Destination, MessageGroup, SendResult, StoredDestination } from './types.ts';

/** What the delivery worker needs; all injected. */
export interface DeliveryDeps {
  store: Store;
  clock: () => Date;
  /** The full destination (secret included) of a receiver and a stored destination; null = receiver gone (failed). */
  destinationOf: (receiver: string, stored: StoredDestination) => Destination | null;
  /** Render and send one message. */
  send: (group: MessageGroup, destination: Destination) => Promise<SendResult>;
  /** Whether an alert is muted now (silence or inhibition); the reason goes to the log. */
  mutedBy: (alert: Alert, now: Date) => Promise<{ status: 'silenced' | 'inhibited'; detail: string } | null>;
  /** Minimum gap between two messages on a channel (Slack webhooks: 1000 ms). */
  minGapMs: (channelKey: string) => number;
  retry?: { baseMs: number; maxMs: number; maxAttempts: number };
  log?: (line: string) => void;
}

const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 10 * 60_000, maxAttempts: 20 };
/** Due items read per pass: large, so a group is not split across passes (the store caps it at 1,000). */
const BATCH = 1000;

/**
 * Drains the outbox: due items grouped by (receiver, group) become one message, muted alerts are logged and
 * dropped, per-channel gaps and Retry-After are honoured, failures are retried with exponential backoff. Every
 * outcome is written to the notification log. Delivery is at most once per dedup key except for the window
 * between a successful send and its `completeOutbox` commit (a crash there resends that message once).
 */
export function createDeliveryWorker(deps: DeliveryDeps) {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const channelFreeAt = new Map<string, number>();
  let running: Promise<number> | null = null;

  const entry = (item: OutboxItem, status: NotificationLogEntry['status'], detail: string, at: Date, fingerprints?: string[]): NotificationLogEntry => ({
    id: `${item.id}:${status}:${item.attempts}`,
    at: at.toISOString(),
    receiver: item.receiver,
    groupKey: item.groupKey,
    fingerprints: fingerprints ?? [(JSON.parse(item.payload) as OutboxPayload).alert.fingerprint],
    status,
    detail,
  });

  async function deliverGroup(items: OutboxItem[], now: Date): Promise<number> {
    const first = items[0];
    if (first === undefined) return 0;
    const free = channelFreeAt.get(first.channelKey) ?? 0;
    if (free > now.getTime()) return 0; // rate limit: leave them due, the next run takes them
    const live: { item: OutboxItem; payload: OutboxPayload }[] = [];
    for (const item of items) {
      const payload = JSON.parse(item.payload) as OutboxPayload;
      const muted = payload.reason === 'resolved' ? null : await deps.mutedBy(payload.alert, now);
      if (muted === null) live.push({ item, payload });
      else await deps.store.completeOutbox(item.id, entry(item, muted.status, muted.detail, now));
    }
    const head = live[0];
    if (head === undefined) return 0;
    const destination = deps.destinationOf(first.receiver, head.payload.destination);
    if (destination === null) {
      for (const { item } of live) await deps.store.completeOutbox(item.id, entry(item, 'failed', `no destination for ${head.payload.user ?? first.receiver}`, now));
      return 0;
    }
    const group: MessageGroup = {
      receiver: first.receiver,
      audience: head.payload.audience,
      user: head.payload.user,
      groupKey: first.groupKey,
      groupLabels: head.payload.groupLabels,
      alerts: live.map(({ payload }) => ({ alert: payload.alert, reason: payload.reason })),
    };
    const fingerprints = live.map(({ payload }) => payload.alert.fingerprint);
    const result = await deps.send(group, destination);
    const after = deps.clock();
    channelFreeAt.set(first.channelKey, after.getTime() + deps.minGapMs(first.channelKey));
    if (result.ok) {
      for (const { item } of live) await deps.store.completeOutbox(item.id, entry(item, 'sent', `${live.length} alert(s) in one message`, after, fingerprints));
      const prev = await deps.store.getGroupState(first.receiver, first.groupKey);
      const onlyRepeats = live.every(({ payload }) => payload.reason === 'repeat');
      const state: GroupState = {
        receiver: first.receiver,
        groupKey: first.groupKey,
        lastDigest: fingerprints.sort().join(','),
        lastSentAt: after.toISOString(),
        repeats: onlyRepeats ? (prev?.repeats ?? 0) + 1 : 0,
      };
      await deps.store.putGroupState(state);
      return 1;
    }
    if (result.retryAfterMs !== null) channelFreeAt.set(first.channelKey, after.getTime() + result.retryAfterMs);
    for (const { item } of live) {
      const attempts = item.attempts + 1;
      if (!result.retry || attempts >= retry.maxAttempts) {
        await deps.store.completeOutbox(item.id, entry({ ...item, attempts }, 'failed', `${result.error}${result.retry ? ' (gave up)' : ''}`, after));
        continue;
      }
      const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1));
      const wait = Math.max(backoff, result.retryAfterMs ?? 0);
      await deps.store.retryOutbox(item.id, new Date(after.getTime() + wait).toISOString(), entry({ ...item, attempts }, 'retried', result.error, after));
    }
    deps.log?.(`notify: ${first.receiver}: ${result.error}${result.retry ? ' (will retry)' : ''}`);
    return 0;
  }

  /** One pass over what is due now; returns the number of messages sent. */
  async function runOnce(): Promise<number> {
    const now = deps.clock();
    const due = await deps.store.dueOutbox(now.toISOString(), BATCH);
    const groups = new Map<string, OutboxItem[]>();
    for (const item of due) {
      const key = `${item.receiver}\u0000${item.groupKey}`;
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [item]);
      else list.push(item);
    }
    let sent = 0;
    for (const items of groups.values()) sent += await deliverGroup(items, now);
    return sent;
  }

  return {
    /** Run one pass unless one is already running (timer ticks never overlap). */
    async tick(): Promise<number> {
      if (running !== null) return 0;
      running = runOnce();
      try {
        return await running;
      } finally {
        running = null;
      }
    },
  };
}
