// The outbox, notify_sent, notification log and group state over D1: the SQLite store's statements (notify-sql.ts),
// plus the few D1 needs to decide inside one batch what the SQLite store decides between statements in JS.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/index.ts';
import { ownerOf } from '../memory/outbox-state.ts';
import { checkCompletedAt, logPruneCutoff, resolveDueLimit, resolveNotificationLimit, sentPruneCutoff } from '../memory/notify-order.ts';
import { storedGroupState, storedLogEntry, storedOutboxItem } from '../memory/notify-record.ts';
import type { GroupState, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, Store } from '../store.ts';
import { groupStateToRow, logToRow, outboxToRow, rowToGroupState, rowToLog, rowToOutbox, type GroupStateRow, type LogRow, type OutboxRow } from '../sqlite/notify-rows.ts';
import {
  GROUP_SELECT, GROUP_UPSERT, LOG_FINGERPRINTS_PRUNE, LOG_INSERT, LOG_PRUNE, NOTIFICATION_FILTER_KEYS, OUTBOX_BUMP, OUTBOX_DELETE, OUTBOX_DUE_SELECT,
  OUTBOX_INSERT, SENT_PRUNE, listNotificationsSql, type NotificationListParams,
} from '../sqlite/notify-sql.ts';
import { chunks, D1_MAX_BOUND_PARAMETERS, placeholders, prepareNamed } from './named-sql.ts';

/** Outbox items completed per D1 batch (each batch is one transaction), as the SQLite store slices them. */
export const OUTBOX_ITEMS_PER_BATCH = 100;

// The SQLite store inserts a log entry, then its fingerprints with the entry's lastInsertRowid. In a batch the
// rowid is not known yet: the fingerprint rows look the seq up by the entry's (UNIQUE) id instead.
const LOG_FINGERPRINT_BY_ID =
  'INSERT INTO notification_log_fingerprints (fingerprint, log_seq) SELECT ?, seq FROM notification_log WHERE id = ? ON CONFLICT DO NOTHING';
// LOG_INSERT, only when the outbox item that owns the entry was queued by this batch (the row exists; the caller
// has checked that it did not exist before): the SQLite store's "skipped item ⇒ skip its log entries", in SQL.
const LOG_INSERT_IF_OWNER_QUEUED =
  'INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail)' +
  ' SELECT @id, @at, @receiver, @group_key, @fingerprints, @status, @detail WHERE EXISTS (SELECT 1 FROM outbox WHERE id = @owner)';
// The SQLite store reads the item's dedup_key, then deletes the item and marks the key sent; here the key is copied
// by INSERT … SELECT (nothing when the item is gone), before the DELETE of the same batch.
const SENT_MARK_FROM_OUTBOX =
  'INSERT INTO notify_sent (dedup_key, sent_at) SELECT dedup_key, ? FROM outbox WHERE id = ? ON CONFLICT (dedup_key) DO UPDATE SET sent_at = excluded.sent_at';

/** listNotifications' filter. */
export type NotificationFilter = Parameters<Store['listNotifications']>[0];

/** The statements that append one (checked) log entry and index its fingerprints; `owner`: only if that item was queued. */
function appendLog(db: D1Database, entry: NotificationLogEntry, owner?: string): D1PreparedStatement[] {
  const row = logToRow(entry);
  const insert = owner === undefined ? prepareNamed(db, LOG_INSERT, row) : prepareNamed(db, LOG_INSERT_IF_OWNER_QUEUED, { ...row, owner });
  return [insert, ...entry.fingerprints.map((fingerprint) => db.prepare(LOG_FINGERPRINT_BY_ID).bind(fingerprint, entry.id))];
}

/**
 * The statements that enqueue `outbox` (a dedupKey already queued or sent is skipped by the INSERT's own
 * conditions) and append `log`, for the evaluation's batch; throws for a bad field before anything is written.
 * Which items get skipped is decided inside the batch, so a log entry `<item id>:…` of an item of this commit is
 * inserted only if the item's row exists after the item's INSERT; `existingIds` (outbox ids already stored when
 * read just before the batch) and an id repeated in the commit mark items that cannot have been queued by it.
 */
export function enqueueStatements(db: D1Database, outbox: readonly OutboxItem[], log: readonly NotificationLogEntry[], existingIds: ReadonlySet<string>): D1PreparedStatement[] {
  const items = outbox.map(storedOutboxItem);
  const entries = log.map(storedLogEntry);
  const statements = items.map((item) => prepareNamed(db, OUTBOX_INSERT, outboxToRow(item)));
  const ids = new Set<string>();
  const notQueued = new Set(existingIds);
  for (const item of items) {
    // SQLite: the second item with an id either fails (another key: PRIMARY KEY) or is skipped (same key), and a
    // skipped id skips every log entry of that id.
    if (ids.has(item.id)) notQueued.add(item.id);
    ids.add(item.id);
  }
  for (const entry of entries) {
    const owner = ownerOf(entry.id);
    if (!ids.has(owner)) statements.push(...appendLog(db, entry));
    else if (!notQueued.has(owner)) statements.push(...appendLog(db, entry, owner));
  }
  return statements;
}

/** The outbox ids among `ids` that are stored now (read before an evaluation's batch; see enqueueStatements). */
export async function storedOutboxIds(db: D1Database, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const slice of chunks([...new Set(ids)], D1_MAX_BOUND_PARAMETERS)) {
    const { results } = await db.prepare(`SELECT id FROM outbox WHERE id IN ${placeholders(slice.length)}`).bind(...slice).all<{ id: string }>();
    for (const row of results) found.add(row.id);
  }
  return found;
}

/** Items due at `now`, by nextAttemptAt, createdAt, id; at most `limit` (1..1000). */
export async function dueOutbox(db: D1Database, now: string, limit: number): Promise<OutboxItem[]> {
  const { results } = await prepareNamed(db, OUTBOX_DUE_SELECT, { now, limit: resolveDueLimit(limit) }).all<OutboxRow>();
  return results.map(rowToOutbox);
}

/**
 * Remove the items, keep their dedupKeys sent, log their entries (also for an item that is gone). Every entry is
 * checked before anything is written; then one batch (one transaction) per 100 items: a failure rolls back its
 * slice, and the items of slices not yet written stay due (sent again, never lost), as in the SQLite store.
 */
export async function completeOutbox(db: D1Database, done: readonly OutboxDone[]): Promise<void> {
  const stored = done.map((d) => ({ id: d.id, entry: storedLogEntry(d.entry) }));
  for (const d of stored) checkCompletedAt(d.entry.at);
  for (const slice of chunks(stored, OUTBOX_ITEMS_PER_BATCH)) {
    await db.batch(slice.flatMap(({ id, entry }) => [db.prepare(SENT_MARK_FROM_OUTBOX).bind(entry.at, id), db.prepare(OUTBOX_DELETE).bind(id), ...appendLog(db, entry)]));
  }
}

/** Bump attempts and nextAttemptAt of each item and log its entry: one batch, all or nothing. */
export async function retryOutbox(db: D1Database, retries: readonly OutboxRetry[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const { id, nextAttemptAt, entry } of retries) {
    const checked = storedLogEntry(entry);
    if (typeof nextAttemptAt !== 'string') throw new TypeError(`outbox item ${id}: nextAttemptAt must be a string (NOT NULL).`);
    statements.push(db.prepare(OUTBOX_BUMP).bind(nextAttemptAt, id), ...appendLog(db, checked));
  }
  if (statements.length > 0) await db.batch(statements);
}

/**
 * Forget sent keys older than 7 days and the oldest `maxEntries` log entries older than 30 days (their fingerprint
 * rows first, chosen by the same subquery): one batch, so both deletes see the same rows. Returns the entries gone.
 */
export async function pruneNotifications(db: D1Database, now: string, maxEntries: number): Promise<number> {
  const logCutoff = logPruneCutoff(now);
  const results = await db.batch([
    db.prepare(SENT_PRUNE).bind(sentPruneCutoff(now)),
    db.prepare(LOG_FINGERPRINTS_PRUNE).bind(logCutoff, maxEntries),
    db.prepare(LOG_PRUNE).bind(logCutoff, maxEntries),
  ]);
  return results[2]?.meta.changes ?? 0;
}

/** Log entries passing every set filter, newest first; limit 100 by default, 1000 at most. */
export async function listNotifications(db: D1Database, filter: NotificationFilter): Promise<NotificationLogEntry[]> {
  const keys = NOTIFICATION_FILTER_KEYS.filter((key) => filter[key] !== undefined);
  const params: NotificationListParams = { limit: resolveNotificationLimit(filter.limit) };
  for (const key of keys) params[key] = filter[key];
  const { results } = await prepareNamed(db, listNotificationsSql(keys), params).all<LogRow>();
  return results.map(rowToLog);
}

/** The group's timing state at the receiver, or null. */
export async function getGroupState(db: D1Database, receiver: string, groupKey: string): Promise<GroupState | null> {
  const row = await db.prepare(GROUP_SELECT).bind(receiver, groupKey).first<GroupStateRow>();
  return row === null ? null : rowToGroupState(row);
}

/** Insert or replace the group's timing state (one statement). */
export async function putGroupState(db: D1Database, state: GroupState): Promise<void> {
  await prepareNamed(db, GROUP_UPSERT, groupStateToRow(storedGroupState(state))).run();
}
