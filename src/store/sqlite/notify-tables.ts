import type { Database, Statement } from 'better-sqlite3';
import { ownerOf } from '../memory/outbox-state.ts';
import { checkCompletedAt, logPruneCutoff, resolveDueLimit, resolveNotificationLimit, sentPruneCutoff } from '../memory/notify-order.ts';
import { storedGroupState, storedLogEntry, storedOutboxItem } from '../memory/notify-record.ts';
import type { GroupState, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, Store } from '../store.ts';
import {
  groupStateToRow, logToRow, outboxToRow, rowToGroupState, rowToLog, rowToOutbox,
  type GroupStateRow, type LogRow, type OutboxRow,
} from './notify-rows.ts';
import {
  GROUP_SELECT, GROUP_UPSERT, LOG_FINGERPRINT_INSERT, LOG_FINGERPRINTS_PRUNE, LOG_INSERT, LOG_PRUNE, NOTIFICATION_FILTER_KEYS, OUTBOX_BUMP,
  OUTBOX_DEDUP_KEY_SELECT, OUTBOX_DELETE, OUTBOX_DUE_SELECT, OUTBOX_INSERT, SENT_MARK, SENT_PRUNE, listNotificationsSql,
  type NotificationListParams,
} from './notify-sql.ts';

/** listNotifications' filter. */
export type NotificationFilter = Parameters<Store['listNotifications']>[0];

type ListParams = NotificationListParams;
const FILTER_KEYS = NOTIFICATION_FILTER_KEYS;

export { listNotificationsSql };

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
    this.insertOutbox = db.prepare(OUTBOX_INSERT);
    this.insertLog = db.prepare(LOG_INSERT);
    this.insertLogFingerprint = db.prepare(LOG_FINGERPRINT_INSERT);
    this.selectDue = db.prepare(OUTBOX_DUE_SELECT);
    this.selectDedupKey = db.prepare(OUTBOX_DEDUP_KEY_SELECT);
    this.deleteOutbox = db.prepare(OUTBOX_DELETE);
    this.markSent = db.prepare(SENT_MARK);
    this.pruneSent = db.prepare(SENT_PRUNE);
    this.pruneLogFingerprints = db.prepare(LOG_FINGERPRINTS_PRUNE);
    this.pruneLog = db.prepare(LOG_PRUNE);
    this.bumpAttempts = db.prepare(OUTBOX_BUMP);
    this.selectGroup = db.prepare(GROUP_SELECT);
    this.upsertGroup = db.prepare(GROUP_UPSERT);

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
