import type { Alert, AlertChange } from '../alerts/alert.ts';
import type { GroupState, NotificationLogEntry, OutboxItem } from '../store/store.ts';
import type { Audience, NotifyReason, StoredDestination } from './types.ts';
import { userSeesAction } from '../enforcement/action-words.ts';

/** One receiver an alert goes to, with the grouping and timing of the route that chose it. */
export interface PlannedRecipient {
  receiver: string;
  audience: Audience;
  user: string | null;
  /** Where it goes, minus secrets (those are looked up by receiver name when sending). */
  destination: StoredDestination;
  /** Rate-limit channel of the receiver (e.g. `slack:<receiver>`, `email:<receiver>`): never a secret. */
  channelKey: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** Repeat backoff: each repeat waits `factor` times longer, up to `maxMs`. */
  repeatBackoff: { factor: number; maxMs: number } | null;
  sendResolved: boolean;
}

/** What an outbox item carries (JSON): no destination, so no secret is ever stored. */
export interface OutboxPayload {
  reason: NotifyReason;
  audience: Audience;
  user: string | null;
  destination: StoredDestination;
  groupLabels: Record<string, string>;
  alert: Alert;
}

/** Outbox rows and log lines to write in the same transaction as the alert changes. */
export interface Plan {
  outbox: OutboxItem[];
  log: NotificationLogEntry[];
}

/** Key of a group state: one per receiver and group. */
export function groupStateKey(receiver: string, groupKey: string): string {
  return `${receiver}\u0000${groupKey}`;
}

function reasonOf(change: AlertChange): NotifyReason | null {
  if (change.to === 'firing' && change.from !== 'firing') return 'firing';
  if (change.to === 'firing' && change.escalated) return 'escalated';
  if (change.to === 'resolved' && change.from === 'firing') return 'resolved';
  return null; // pending alerts are nobody's business yet; a de-escalation waits for the next repeat
}

/** When a new item of a group may go out: after group_wait for a new group, else group_interval after the last send. */
function dueAt(recipient: PlannedRecipient, state: GroupState | undefined, nowMs: number): number {
  if (state === undefined) return nowMs + recipient.groupWaitMs;
  return Math.max(nowMs, Date.parse(state.lastSentAt) + recipient.groupIntervalMs);
}

/** Add one outbox row (and its "queued" log line) for an alert and recipient to a plan. */
function enqueue(
  plan: Plan,
  recipient: PlannedRecipient,
  alert: Alert,
  reason: NotifyReason,
  dedupKey: string,
  dueMs: number,
  now: string,
  newId: () => string,
): void {
  const id = newId();
  const payload: OutboxPayload = { reason, audience: recipient.audience, user: recipient.user, destination: recipient.destination, groupLabels: recipient.groupLabels, alert };
  plan.outbox.push({
    id,
    receiver: recipient.receiver,
    channelKey: recipient.channelKey,
    groupKey: recipient.groupKey,
    dedupKey,
    payload: JSON.stringify(payload),
    attempts: 0,
    nextAttemptAt: new Date(dueMs).toISOString(),
    createdAt: now,
  });
  const who = recipient.audience === 'user' ? `user ${recipient.user ?? '?'}` : 'admins';
  plan.log.push({
    id: `${id}:queued`,
    at: now,
    receiver: recipient.receiver,
    groupKey: recipient.groupKey,
    fingerprints: [alert.fingerprint],
    status: 'queued',
    detail: `${reason} ${alert.rule} (${alert.severity}${alert.stage === null ? '' : `, stage ${alert.stage}`}) for ${who}`,
  });
}

/**
 * Who hears of a change. An alert resolved because its source stayed unreadable is not news for its owner (nothing
 * they did changed): it goes to each admin receiver once, in one group per host, so the admins get one notice
 * listing every alert that is no longer tracked, not one per user.
 */
function recipientsFor(change: AlertChange, recipientsOf: (alert: Alert) => PlannedRecipient[]): PlannedRecipient[] {
  const all = recipientsOf(change.alert);
  if (change.alert.resolvedReason !== 'source-unavailable') return all;
  const host = change.alert.host;
  const byReceiver = new Map<string, PlannedRecipient>();
  for (const r of all) {
    if (r.audience !== 'admin' || byReceiver.has(r.receiver)) continue;
    byReceiver.set(r.receiver, { ...r, groupKey: `source-unavailable/${host}`, groupLabels: { host }, sendResolved: true });
  }
  return [...byReceiver.values()];
}

/**
 * Pure: the deliveries an evaluation's alert changes call for, one outbox row per (alert change, recipient). The
 * dedup key (fingerprint, receiver, user, reason, episode, stage) makes each state change go out at most once even
 * if an evaluation is repeated. Grouping into messages happens when the worker sends what is due together.
 */
export function planChanges(
  changes: readonly AlertChange[],
  recipientsOf: (alert: Alert) => PlannedRecipient[],
  groupStates: ReadonlyMap<string, GroupState>,
  now: Date,
  newId: () => string,
): Plan {
  const nowIso = now.toISOString();
  const plan: Plan = { outbox: [], log: [] };
  for (const change of changes) {
    const reason = reasonOf(change);
    if (reason === null) continue;
    for (const r of recipientsFor(change, recipientsOf)) {
      if (reason === 'resolved' && !r.sendResolved) continue;
      const a = change.alert;
      const dedupKey = [a.fingerprint, r.receiver, r.user ?? '', reason, a.activeSince, a.stage ?? ''].join('|');
      enqueue(plan, r, a, reason, dedupKey, dueAt(r, groupStates.get(groupStateKey(r.receiver, r.groupKey)), now.getTime()), nowIso, newId);
    }
  }
  return plan;
}

/** How long after the last send a group's firing alerts are repeated, with the optional exponential backoff. */
export function repeatDelayMs(recipient: PlannedRecipient, repeats: number): number {
  const b = recipient.repeatBackoff;
  if (b === null) return recipient.repeatIntervalMs;
  return Math.min(b.maxMs, recipient.repeatIntervalMs * b.factor ** repeats);
}

/**
 * Pure: repeats for alerts still firing whose group was last told longer ago than its repeat interval (with
 * backoff). Called on the scheduled tick; the dedup key carries the repeat number, so a repeat goes out once.
 */
export function planRepeats(
  firing: readonly Alert[],
  recipientsOf: (alert: Alert) => PlannedRecipient[],
  groupStates: ReadonlyMap<string, GroupState>,
  now: Date,
  newId: () => string,
): Plan {
  const nowIso = now.toISOString();
  const plan: Plan = { outbox: [], log: [] };
  for (const a of firing) {
    // A stale alert is not known to be still firing: no "still firing" repeat until its source is back.
    if (a.state !== 'firing' || (a.stale ?? null) !== null) continue;
    for (const r of recipientsOf(a)) {
      const state = groupStates.get(groupStateKey(r.receiver, r.groupKey));
      if (state === undefined) continue; // never told yet: the firing notification is still on its way
      if (now.getTime() < Date.parse(state.lastSentAt) + repeatDelayMs(r, state.repeats)) continue;
      const dedupKey = [a.fingerprint, r.receiver, r.user ?? '', 'repeat', state.repeats + 1, state.lastSentAt].join('|');
      enqueue(plan, r, a, 'repeat', dedupKey, now.getTime(), nowIso, newId);
    }
  }
  return plan;
}

/**
 * Pure: the notices of enforcement results (each alert carries its action note). The person concerned hears of
 * what was done (done, dry-run); refusals, vetoes, failures and expiries go to admin receivers only; the outcome of a
 * terminal warning is told to nobody (the notice itself said as much; `gpuwarden actions ls` shows it). The dedup key
 * holds the action id and its state, so each result is told once.
 */
export function planActionNotices(
  alerts: readonly Alert[],
  recipientsOf: (alert: Alert) => PlannedRecipient[],
  groupStates: ReadonlyMap<string, GroupState>,
  now: Date,
  newId: () => string,
): Plan {
  const nowIso = now.toISOString();
  const plan: Plan = { outbox: [], log: [] };
  for (const a of alerts) {
    const note = a.action;
    // A terminal warning repeats the notice itself: whatever came of it is in the actions list and the log, not a message.
    if (note === undefined || note === null || note.type === 'warn') continue;
    for (const r of recipientsOf(a)) {
      if (r.audience === 'user' && !userSeesAction(note.state)) continue;
      const dedupKey = [a.fingerprint, r.receiver, r.user ?? '', 'action', note.id, note.state].join('|');
      enqueue(plan, r, a, 'action', dedupKey, dueAt(r, groupStates.get(groupStateKey(r.receiver, r.groupKey)), now.getTime()), nowIso, newId);
    }
  }
  return plan;
}
