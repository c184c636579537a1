// The SQL of the notification tables (outbox, notify_sent, notification_log(+_fingerprints), group_state), shared
// by the SQLite store (named `@column` parameters) and the D1 store (names rewritten to `?N`). No runtime imports.

/** listNotifications' filter fields that narrow the result. */
export type NotificationFilterKey = 'receiver' | 'fingerprint' | 'since';

/** Named parameters of a listNotifications statement: the active filters, plus the limit. */
export type NotificationListParams = Partial<Record<NotificationFilterKey, string>> & { limit: number };

/** The filter fields in the fixed order of the statement cache key. */
export const NOTIFICATION_FILTER_KEYS: readonly NotificationFilterKey[] = ['receiver', 'fingerprint', 'since'];

const LOG_COLUMNS = 'l.id, l.at, l.receiver, l.group_key, l.fingerprints, l.status, l.detail';
/** The outbox columns in schema order. */
export const OUTBOX_COLUMNS = 'id, receiver, channel_key, group_key, dedup_key, payload, attempts, next_attempt_at, created_at';

/**
 * Enqueue an item. INSERT … SELECT … WHERE: skipped when the key was sent; ON CONFLICT: skipped when it is queued.
 * An id conflict is not the conflict target, so it still fails the statement (and the transaction).
 */
export const OUTBOX_INSERT =
  `INSERT INTO outbox (${OUTBOX_COLUMNS}) SELECT @id, @receiver, @channel_key, @group_key, @dedup_key, @payload, @attempts, @next_attempt_at, @created_at` +
  ' WHERE NOT EXISTS (SELECT 1 FROM notify_sent WHERE dedup_key = @dedup_key) ON CONFLICT (dedup_key) DO NOTHING';
/** Append a log entry (its seq is the rowid). */
export const LOG_INSERT =
  'INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail) VALUES (@id, @at, @receiver, @group_key, @fingerprints, @status, @detail)';
/** Index one fingerprint of a log entry by its seq. */
export const LOG_FINGERPRINT_INSERT = 'INSERT INTO notification_log_fingerprints (fingerprint, log_seq) VALUES (?, ?) ON CONFLICT DO NOTHING';
/** Items due at @now, oldest first. */
export const OUTBOX_DUE_SELECT = `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE next_attempt_at <= @now ORDER BY next_attempt_at, created_at, id LIMIT @limit`;
/** The dedup key of one item. */
export const OUTBOX_DEDUP_KEY_SELECT = 'SELECT dedup_key FROM outbox WHERE id = ?';
/** Remove one item. */
export const OUTBOX_DELETE = 'DELETE FROM outbox WHERE id = ?';
/** How many log entries have each status. */
export const LOG_STATUS_COUNTS = 'SELECT status, COUNT(*) AS n FROM notification_log GROUP BY status';
/** How many items the outbox holds. */
export const OUTBOX_COUNT = 'SELECT COUNT(*) AS n FROM outbox';
/** Keep a dedup key as sent (at sent_at). */
export const SENT_MARK = 'INSERT INTO notify_sent (dedup_key, sent_at) VALUES (?, ?) ON CONFLICT (dedup_key) DO UPDATE SET sent_at = excluded.sent_at';
/** Forget sent keys older than the cutoff. */
export const SENT_PRUNE = 'DELETE FROM notify_sent WHERE sent_at < ?';
// The oldest entries first, a bounded number per call; both statements pick the same rows (same order, same limit).
const OLDEST_LOG = 'SELECT seq FROM notification_log WHERE at < ? ORDER BY at, seq LIMIT ?';
/** Drop the fingerprint rows of the oldest (cutoff, limit) log entries; run before LOG_PRUNE with the same values. */
export const LOG_FINGERPRINTS_PRUNE = `DELETE FROM notification_log_fingerprints WHERE log_seq IN (${OLDEST_LOG})`;
/** Drop the oldest (cutoff, limit) log entries. */
export const LOG_PRUNE = `DELETE FROM notification_log WHERE seq IN (${OLDEST_LOG})`;
/** Retry one item later: (next_attempt_at, id). */
export const OUTBOX_BUMP = 'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?';
/** One group state: (receiver, group_key). */
export const GROUP_SELECT = 'SELECT receiver, group_key, last_digest, last_sent_at, repeats FROM group_state WHERE receiver = ? AND group_key = ?';
/** Insert or replace one group state. */
export const GROUP_UPSERT =
  'INSERT INTO group_state (receiver, group_key, last_digest, last_sent_at, repeats) VALUES (@receiver, @group_key, @last_digest, @last_sent_at, @repeats)' +
  ' ON CONFLICT (receiver, group_key) DO UPDATE SET last_digest = excluded.last_digest, last_sent_at = excluded.last_sent_at, repeats = excluded.repeats';

/**
 * The listNotifications SELECT for a set of active filters: the fingerprint filter joins the
 * notification_log_fingerprints index (no scan of JSON text), newest `at` first, then latest inserted.
 */
export function listNotificationsSql(keys: readonly NotificationFilterKey[]): string {
  const join = keys.includes('fingerprint') ? ' JOIN notification_log_fingerprints f ON f.log_seq = l.seq AND f.fingerprint = @fingerprint' : '';
  const where: string[] = [];
  if (keys.includes('receiver')) where.push('l.receiver = @receiver');
  if (keys.includes('since')) where.push('l.at >= @since');
  return (
    `SELECT ${LOG_COLUMNS} FROM notification_log l${join}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}` +
    ' ORDER BY l.at DESC, l.seq DESC LIMIT @limit'
  );
}
