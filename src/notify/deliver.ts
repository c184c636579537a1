import type { Alert } from '../alerts/alert.ts';
import type { GroupState, NotificationLogEntry, OutboxItem, Store } from '../store/store.ts';
import { yieldToIo } from '../scheduling/turn-gate.ts';
import type { OutboxPayload } from './plan.ts';
import { notificationEvent } from '../events/notification-events.ts';
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
  /**
   * Retrying: a failing channel (a webhook, an SMTP server) backs off as a whole, base × 2^failures up to max, so its
   * queued messages keep their order; a message still undelivered `giveUpAfterMs` after it was queued is dropped
   * (logged as failed).
   */
  retry?: { baseMs: number; maxMs: number; giveUpAfterMs: number };
  log?: (line: string) => void;
}

const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 5 * 60_000, giveUpAfterMs: 24 * 3_600_000 };
/** Due items read per pass: large, so a group is not split across passes (the store caps it at 1,000). */
const BATCH = 1000;
/** Outbox items read (parsed, mute-checked) per event-loop turn. */
const ITEMS_PER_TURN = 100;
/** How often a delivery pass also prunes the notification log (sent keys > 7 days, entries > 30 days). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Drains the outbox: due items grouped by (receiver, group) become one message, muted alerts are logged and
 * dropped, per-channel gaps and Retry-After are honoured, failures are retried with exponential backoff. Every
 * outcome is written to the notification log. Delivery is at most once per dedup key except for the window
 * between a successful send and its `completeOutbox` commit (a crash there resends that message once).
 */
export function createDeliveryWorker(deps: DeliveryDeps) {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const channelFreeAt = new Map<string, number>();
  const channelFailures = new Map<string, number>();
  let running: Promise<number> | null = null;
  let lastPruneMs = Number.NEGATIVE_INFINITY;

  // Each item's entry names its own alert only: a message of N alerts writes N entries of one fingerprint each
  // (never N × N), and the whole group completes in one transaction.
  const entry = (item: OutboxItem, status: NotificationLogEntry['status'], detail: string, at: Date): NotificationLogEntry => ({
    id: `${item.id}:${status}:${item.attempts}`,
    at: at.toISOString(),
    receiver: item.receiver,
    groupKey: item.groupKey,
    fingerprints: [(JSON.parse(item.payload) as OutboxPayload).alert.fingerprint],
    status,
    detail,
  });
  const done = (items: readonly OutboxItem[], status: NotificationLogEntry['status'], detail: (item: OutboxItem) => string, at: Date): Promise<void> =>
    items.length === 0 ? Promise.resolve() : deps.store.completeOutbox(items.map((item) => ({ id: item.id, entry: entry(item, status, detail(item), at) })));

  // One event per message, in a commit of its own after the outbox one (a crash between loses the event, never the message).
  const record = async (type: 'notification.sent' | 'notification.failed', items: readonly OutboxItem[], detail: string, at: Date): Promise<void> => {
    const event = notificationEvent(type, items, detail, at);
    if (event !== null) await deps.store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], events: [event] });
  };

  async function deliverGroup(all: OutboxItem[], now: Date): Promise<number> {
    // Too old to be worth telling, whether or not the channel is up: give up on them first.
    const tooOld: OutboxItem[] = [];
    const items: OutboxItem[] = [];
    for (const item of all) (now.getTime() - Date.parse(item.createdAt) >= retry.giveUpAfterMs ? tooOld : items).push(item);
    await done(tooOld, 'failed', () => 'not delivered in time (gave up)', now);
    await record('notification.failed', tooOld, 'not delivered in time (gave up)', now);
    const first = items[0];
    if (first === undefined) return 0;
    const free = channelFreeAt.get(first.channelKey) ?? 0;
    if (free > now.getTime()) return 0; // rate limit: leave them due, the next run takes them
    const live: { item: OutboxItem; payload: OutboxPayload }[] = [];
    const muted: { id: string; entry: NotificationLogEntry }[] = [];
    for (const [i, item] of items.entries()) {
      // A 1,000-alert group is read in slices, letting requests in between.
      if (i % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await yieldToIo();
      const payload = JSON.parse(item.payload) as OutboxPayload;
      const mute = payload.reason === 'resolved' ? null : await deps.mutedBy(payload.alert, now);
      if (mute === null) live.push({ item, payload });
      else muted.push({ id: item.id, entry: entry(item, mute.status, mute.detail, now) });
    }
    if (muted.length > 0) await deps.store.completeOutbox(muted);
    const head = live[0];
    if (head === undefined) return 0;
    const destination = deps.destinationOf(first.receiver, head.payload.destination);
    if (destination === null) {
      await done(live.map(({ item }) => item), 'failed', () => `no destination for ${head.payload.user ?? first.receiver}`, now);
      await record('notification.failed', live.map(({ item }) => item), `no destination for ${head.payload.user ?? first.receiver}`, now);
      return 0;
    }
    // One alert appears once in a message, with its latest news (a resolved notice supersedes its queued firing one).
    const latest = new Map<string, OutboxPayload>();
    for (const { payload } of live) latest.set(payload.alert.fingerprint, payload);
    const group: MessageGroup = {
      receiver: first.receiver,
      audience: head.payload.audience,
      user: head.payload.user,
      groupKey: first.groupKey,
      groupLabels: head.payload.groupLabels,
      alerts: [...latest.values()].map((payload) => ({ alert: payload.alert, reason: payload.reason })),
    };
    const fingerprints = [...latest.keys()];
    const result = await deps.send(group, destination);
    const after = deps.clock();
    channelFreeAt.set(first.channelKey, after.getTime() + deps.minGapMs(first.channelKey));
    if (result.ok) {
      channelFailures.delete(first.channelKey);
      await done(live.map(({ item }) => item), 'sent', () => `${live.length} alert(s) in one message`, after);
      await record('notification.sent', live.map(({ item }) => item), `${live.length} alert(s) in one message`, after);
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
    if (result.retry) {
      // The channel waits, not the message: its queue keeps its order (firing before resolved) and drains as soon
      // as the channel answers again.
      const failures = (channelFailures.get(first.channelKey) ?? 0) + 1;
      channelFailures.set(first.channelKey, failures);
      const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (failures - 1));
      channelFreeAt.set(first.channelKey, after.getTime() + Math.max(backoff, result.retryAfterMs ?? 0, deps.minGapMs(first.channelKey)));
    }
    const attempted = live.map(({ item }) => ({ ...item, attempts: item.attempts + 1 }));
    if (result.retry) {
      await deps.store.retryOutbox(attempted.map((item) => ({ id: item.id, nextAttemptAt: item.nextAttemptAt, entry: entry(item, 'retried', result.error, after) })));
    } else {
      await done(attempted, 'failed', () => result.error, after);
      await record('notification.failed', attempted, result.error, after);
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
    for (const items of groups.values()) {
      sent += await deliverGroup(items, now);
      // Bounded synchronous work per event-loop turn: HTTP requests (ingest, /healthz) run between two groups.
      await yieldToIo();
    }
    // Pruning the log is a timer's job (at most once a minute, bounded rows), never part of each delivery.
    if (now.getTime() - lastPruneMs >= PRUNE_EVERY_MS) {
      lastPruneMs = now.getTime();
      await deps.store.pruneNotifications(now.toISOString());
    }
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
