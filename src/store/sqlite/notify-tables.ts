import type { Database, Statement } from 'better-sqlite3';
import { ownerOf } from '../memory/outbox-state.ts';
import { checkCompletedAt, logPruneCutoff, resolveDueLimit, resolveNotificationLimit, sentPruneCutoff } from '../memory/notify-order.ts';
import { storedGroupState, storedLogEntry, storedOutboxItem } from '../memory/notify-record.ts';
import type { GroupState, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, Store } from '../store.ts';
import {
  groupStateToRow, logToRow, outboxToRow, rowToGroupState, rowToLog, rowToOutbox,
  type GroupStateRow, type LogRow, type OutboxRow,
} from './notify-rows.ts';

/** listNotifications' filter. */
export type NotificationFilter = Parameters<Store['listNotifications']>[0];

type FilterKey = 'receiver' | 'fingerprint' | 'since';
type ListParams = Partial<Record<FilterKey, string>> & { limit: number };

const FILTER_KEYS: readonly FilterKey[] = ['receiver', 'fingerprint', 'since'];
const LOG_COLUMNS = 'l.id, l.at, l.receiver, l.group_key, l.fingerprints, l.status, l.detail';
const OUTBOX_COLUMNS = 'id, receiver, channel_key, group_key, dedup_key, payload, attempts, next_attempt_at, created_at';

/**
 * The listNotifications SELECT for a set of active filters: the fingerprint filter joins the
 * notification_log_fingerprints index (no scan of JSON text), newest `at` first, then latest inserted.
 */
export function listNotificationsSql(keys: readonly FilterKey[]): string {
  const join = keys.includes('fingerprint') ? ' JOIN notification_log_fingerprints f ON f.log_seq = l.seq AND f.fingerprint = @fingerprint' : '';
  const where: string[] = [];
  if (keys.includes('receiver')) where.push('l.receiver = @receiver');
  if (keys.includes('since')) where.push('l.at >= @since');
  return (
    `SELECT ${LOG_COLUMNS} FROM notification_log l${join}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}` +
    ' ORDER BY l.at DESC, l.seq DESC LIMIT @limit'
  );
}

/** The outbox, notify_sent, notification_log and group_state tables of one connection, statements prepared once. */
export class SqliteNotifyTables {
  private readonly insertOutbox: Statement<[OutboxRow]>;
  private readonly insertLog: Statement<[LogRow]>;
  private readonly insertLogFingerprint: Statement<[string, number | bigint]>;
  private readonly selectDue: Statement<[{ now: string; limit: number }], OutboxRow>;
  private readonly selectDedupKey: Statement<[string], { dedup_key: string }>;
  private readonly deleteOutbox: Statement<[string]>;
  private readonly markSent: Statement<[string, string]>;
  private readonly pruneSent: Statement<[string]>;
  private readonly pruneLogFingerprints: Statement<[string, number]>;
  private readonly pruneLog: Statement<[string, number]>;
  private readonly bumpAttempts: Statement<[string, string]>;
  private readonly selectGroup: Statement<[string, string], GroupStateRow>;
  private readonly upsertGroup: Statement<[GroupStateRow]>;
  private readonly listStatements = new Map<string, Statement<[ListParams], LogRow>>();
  private readonly completeTx: (done: readonly OutboxDone[]) => void;
  private readonly retryTx: (retries: readonly OutboxRetry[]) => void;
  private readonly pruneTx: (now: string, maxEntries: number) => number;

  /** Prepares the statements (the 0003 migration must have run). */
  constructor(private readonly db: Database) {
    // INSERT … SELECT … WHERE: skipped when the key was sent; ON CONFLICT: skipped when it is queued. An id
    // conflict is not the conflict target, so it still fails the statement (and the transaction).
    this.insertOutbox = db.prepare(
      `INSERT INTO outbox (${OUTBOX_COLUMNS}) SELECT @id, @receiver, @channel_key, @group_key, @dedup_key, @payload, @attempts, @next_attempt_at, @created_at` +
        ' WHERE NOT EXISTS (SELECT 1 FROM notify_sent WHERE dedup_key = @dedup_key) ON CONFLICT (dedup_key) DO NOTHING',
    );
    this.insertLog = db.prepare(
      'INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail) VALUES (@id, @at, @receiver, @group_key, @fingerprints, @status, @detail)',
    );
    this.insertLogFingerprint = db.prepare('INSERT INTO notification_log_fingerprints (fingerprint, log_seq) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.selectDue = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE next_attempt_at <= @now ORDER BY next_attempt_at, created_at, id LIMIT @limit`);
    this.selectDedupKey = db.prepare('SELECT dedup_key FROM outbox WHERE id = ?');
    this.deleteOutbox = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.markSent = db.prepare('INSERT INTO notify_sent (dedup_key, sent_at) VALUES (?, ?) ON CONFLICT (dedup_key) DO UPDATE SET sent_at = excluded.sent_at');
    this.pruneSent = db.prepare('DELETE FROM notify_sent WHERE sent_at < ?');
    // The oldest entries first, a bounded number per call; both statements pick the same rows (same order, same limit).
    const oldest = 'SELECT seq FROM notification_log WHERE at < ? ORDER BY at, seq LIMIT ?';
    this.pruneLogFingerprints = db.prepare(`DELETE FROM notification_log_fingerprints WHERE log_seq IN (${oldest})`);
    this.pruneLog = db.prepare(`DELETE FROM notification_log WHERE seq IN (${oldest})`);
    this.bumpAttempts = db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?');
    this.selectGroup = db.prepare('SELECT receiver, group_key, last_digest, last_sent_at, repeats FROM group_state WHERE receiver = ? AND group_key = ?');
    this.upsertGroup = db.prepare(
      'INSERT INTO group_state (receiver, group_key, last_digest, last_sent_at, repeats) VALUES (@receiver, @group_key, @last_digest, @last_sent_at, @repeats)' +
        ' ON CONFLICT (receiver, group_key) DO UPDATE SET last_digest = excluded.last_digest, last_sent_at = excluded.last_sent_at, repeats = excluded.repeats',
    );

    const complete = db.transaction((done: readonly OutboxDone[]): void => {
      for (const { id, entry } of done) {
        const row = this.selectDedupKey.get(id);
        if (row !== undefined) {
          this.deleteOutbox.run(id);
          this.markSent.run(row.dedup_key, entry.at);
        }
        this.appendChecked(entry);
      }
    });
    this.completeTx = (done) => {
      const stored = done.map((d) => ({ id: d.id, entry: storedLogEntry(d.entry) }));
      for (const d of stored) checkCompletedAt(d.entry.at);
      complete.immediate(stored);
    };
    const retry = db.transaction((retries: readonly OutboxRetry[]): void => {
      for (const { id, nextAttemptAt, entry } of retries) {
        if (typeof nextAttemptAt !== 'string') throw new TypeError(`outbox item ${id}: nextAttemptAt must be a string (NOT NULL).`);
        this.bumpAttempts.run(nextAttemptAt, id);
        this.appendChecked(entry);
      }
    });
    this.retryTx = (retries) => retry.immediate(retries.map((r) => ({ ...r, entry: storedLogEntry(r.entry) })));
    const prune = db.transaction((now: string, maxEntries: number): number => {
      this.pruneSent.run(sentPruneCutoff(now));
      const logCutoff = logPruneCutoff(now);
      this.pruneLogFingerprints.run(logCutoff, maxEntries);
      return this.pruneLog.run(logCutoff, maxEntries).changes;
    });
    this.pruneTx = (now, maxEntries) => prune.immediate(now, maxEntries);
  }

  /**
   * Inside the caller's transaction: enqueue the items (skipping a dedupKey already queued or sent) and append the
   * log entries. Throws for a bad field or a reused id; the caller's transaction then rolls everything back.
   */
  enqueue(outbox: readonly OutboxItem[], log: readonly NotificationLogEntry[]): void {
    const skipped = new Set<string>();
    for (const item of outbox) {
      if (this.insertOutbox.run(outboxToRow(storedOutboxItem(item))).changes === 0) skipped.add(item.id);
    }
    for (const entry of log) if (!skipped.has(ownerOf(entry.id))) this.appendChecked(storedLogEntry(entry));
  }

  /** Items due at `now`, by nextAttemptAt then createdAt, at most `limit`. */
  due(now: string, limit: number): OutboxItem[] {
    return this.selectDue.all({ now, limit: resolveDueLimit(limit) }).map(rowToOutbox);
  }

  /** Remove each item, keep its dedupKey as sent, log its entry: one IMMEDIATE transaction for all. */
  complete(done: readonly OutboxDone[]): void {
    this.completeTx(done);
  }

  /** Bump each item's attempts, move its nextAttemptAt, log its entry: one IMMEDIATE transaction for all. */
  retry(retries: readonly OutboxRetry[]): void {
    this.retryTx(retries);
  }

  /** Forget sent keys older than 7 days and at most `maxEntries` log entries older than 30 days; returns how many entries went. */
  prune(now: string, maxEntries: number): number {
    return this.pruneTx(now, maxEntries);
  }

  /** Log entries passing every set filter, newest first; limit 100 by default, 1000 at most. */
  list(filter: NotificationFilter): NotificationLogEntry[] {
    const keys = FILTER_KEYS.filter((key) => filter[key] !== undefined);
    const cacheKey = keys.join(',');
    let statement = this.listStatements.get(cacheKey);
    if (statement === undefined) {
      statement = this.db.prepare<[ListParams], LogRow>(listNotificationsSql(keys));
      this.listStatements.set(cacheKey, statement);
    }
    const params: ListParams = { limit: resolveNotificationLimit(filter.limit) };
    for (const key of keys) params[key] = filter[key];
    return statement.all(params).map(rowToLog);
  }

  /** The group's timing state at the receiver, or null. */
  getGroupState(receiver: string, groupKey: string): GroupState | null {
    const row = this.selectGroup.get(receiver, groupKey);
    return row === undefined ? null : rowToGroupState(row);
  }

  /** Insert or replace the group's timing state. */
  putGroupState(state: GroupState): void {
    this.upsertGroup.run(groupStateToRow(storedGroupState(state)));
  }

  private appendChecked(entry: NotificationLogEntry): void {
    const { lastInsertRowid } = this.insertLog.run(logToRow(entry));
    for (const fingerprint of entry.fingerprints) this.insertLogFingerprint.run(fingerprint, lastInsertRowid);
  }
}
