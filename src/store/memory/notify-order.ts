// Limits, orders and time windows of the notification tables, shared by the memory and SQLite stores so both
// answer the same. Imports nothing from node:* (the memory store runs in workerd).
import type { OutboxItem, Silence } from '../store.ts';
import { compareText } from './alert-order.ts';

/** Log entries listNotifications returns when the filter names no limit. */
export const DEFAULT_NOTIFICATION_LIMIT = 100;

/** The most log entries one listNotifications call returns. */
export const MAX_NOTIFICATION_LIMIT = 1000;

/** The most outbox items one dueOutbox call returns, whatever it asks for. */
export const MAX_DUE_LIMIT = 1000;

/** How long a completed dedupKey is remembered as sent (older ones are pruned when an item completes). */
export const SENT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** listNotifications' limit: default when absent or not finite, truncated, clamped to 1..MAX_NOTIFICATION_LIMIT. */
export function resolveNotificationLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_NOTIFICATION_LIMIT;
  return Math.min(MAX_NOTIFICATION_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** dueOutbox's limit: a whole number of at least 1 (a RangeError otherwise: asking for 0 items is a bug), capped. */
export function resolveDueLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`dueOutbox: limit must be a whole number of at least 1, got ${String(limit)}.`);
  return Math.min(MAX_DUE_LIMIT, limit);
}

/** How long the notification log keeps entries ("who was told what, when" for the last 30 days). */
export const LOG_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Log entries one pruneNotifications call removes at most (bounded work per call). */
export const DEFAULT_PRUNE_ENTRIES = 5000;

function cutoffBefore(at: string, retentionMs: number): string {
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`notification log entry: at must be an ISO time, got ${String(at)}.`);
  return new Date(ms - retentionMs).toISOString();
}

/** Check that a completed entry's `at` is an ISO time (it becomes the sent time pruning compares); throws otherwise. */
export function checkCompletedAt(at: string): void {
  cutoffBefore(at, 0);
}

/** The time before which sent dedup keys are forgotten when pruning at `at`. */
export function sentPruneCutoff(at: string): string {
  return cutoffBefore(at, SENT_RETENTION_MS);
}

/** The time before which log entries are dropped when pruning at `at`. */
export function logPruneCutoff(at: string): string {
  return cutoffBefore(at, LOG_RETENTION_MS);
}

/** dueOutbox order: nextAttemptAt, then createdAt, then id (so ties are deterministic). */
export function compareDue(a: OutboxItem, b: OutboxItem): number {
  return compareText(a.nextAttemptAt, b.nextAttemptAt) || compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id);
}

/**
 * Whether a silence is in force at `at` (ISO text, compared as text like SQLite does): started, not ended, and not
 * expired by then (an expiredAt later than `at` still lets the silence hold at `at`).
 */
export function silenceInForce(silence: Silence, at: string): boolean {
  return silence.startsAt <= at && at < silence.endsAt && (silence.expiredAt === null || at < silence.expiredAt);
}

/** listSilences order: newest createdAt first, then id. */
export function compareSilences(a: Silence, b: Silence): number {
  return compareText(b.createdAt, a.createdAt) || compareText(a.id, b.id);
}
