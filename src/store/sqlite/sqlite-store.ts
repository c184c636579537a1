import { mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.ts';
import type { ActionFilter, AlertCount, AlertFilter, GroupState, HostRecord, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, EventFilter, EventPage, EventRetention, Silence, SnapshotRow, Store } from '../store.ts';
import { DEFAULT_PRUNE_ENTRIES } from '../memory/notify-order.ts';
import { resolveAlertLimit } from '../memory/alert-order.ts';
import { resolveSnapshotsKept, type RetentionOptions, type SnapshotListing } from '../memory/snapshot-retention.ts';
import { activeFilterKeys, listAlertsParams, listAlertsSql, type ListAlertsParams } from './alert-query.ts';
import { alertToRow, rowToAlert, type AlertRow } from './alert-row.ts';
import {
  ACTIVE_ALERTS_SELECT, ALERT_COUNTS_SELECT, ALERT_DELETE, ALERT_UPSERT, HOST_ALERTS_SELECT, HOST_SELECT, HOST_UPSERT, HOSTS_SELECT, SNAPSHOT_EXISTS, SNAPSHOT_INSERT, SNAPSHOT_PRUNE, SNAPSHOTS_SELECT,
  hostToDbRow, snapshotToDbRow, toHostRecord, toSnapshotRow, type HostDbRow, type Nullable, type SnapshotDbRow,
} from './store-sql.ts';
import { HostStateCache } from './host-state-cache.ts';
import { applyMigrations, findMigrationsDir } from './migrate.ts';
import { createWalSync, type WalSync } from './wal-sync.ts';
import { yieldToIo } from '../../scheduling/turn-gate.ts';
import { SqliteNotifyTables, type NotificationFilter } from './notify-tables.ts';
import { SqliteSilenceTable } from './silence-table.ts';
import { SqliteActionTable } from './action-table.ts';
import type { StoredAction } from '../../enforcement/stored-action.ts';
import { SqliteGrantTable } from './grant-table.ts';
import { SqliteEventTable } from './event-table.ts';
import { SqliteUsageTable, usageAdds } from './usage-table.ts';
import type { UsageBucket, UsageHistoryQuery } from '../../usage/history.ts';
import { SqliteWebSessionTable } from './web-session-table.ts';
import type { StoredUserLink, UserLink, WebSession } from '../web-session.ts';
import type { Grant, GrantFilter } from '../../enforcement/grant.ts';
import type { GwEvent } from '../../events/event.ts';
import { LOG_STATUS_COUNTS, OUTBOX_COUNT } from './notify-sql.ts';

/** Outbox items completed per transaction (and per event-loop turn). */
const OUTBOX_ITEMS_PER_TRANSACTION = 100;

/** Options of openSqliteStore. */
export interface SqliteStoreOptions extends RetentionOptions {
  /** Folder of the *.sql migrations; default src/store/migrations (or migrations/ beside a bundle). */
  migrationsDir?: string;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY; default 5000 ms. */
  busyTimeoutMs?: number;
  /** How the WAL is made durable before a write is acknowledged (tests observe it); default fdatasync. */
  walDatasync?: (handle: FileHandle) => Promise<void>;
}

type CommitInput = Parameters<Store['commitEvaluation']>[0];

/** The better-sqlite3 Store: WAL journal, busy timeout, foreign keys on, statements prepared once, writes in IMMEDIATE transactions. */
export class SqliteStore implements Store, SnapshotListing {
  private readonly db: Database;
  private readonly kept: number;
  private readonly insertSnapshot: Statement<[Nullable<SnapshotDbRow>]>;
  private readonly pruneSnapshots: Statement<[{ host: string | null; keep: number }]>;
  private readonly selectSnapshots: Statement<[string], SnapshotDbRow>;
  private readonly hasSnapshotStmt: Statement<[string, string], unknown>;
  private readonly selectHost: Statement<[string], HostDbRow>;
  private readonly selectHosts: Statement<[], HostDbRow>;
  private readonly upsertHost: Statement<[Nullable<HostDbRow>]>;
  private readonly upsertAlert: Statement<[AlertRow]>;
  private readonly deleteAlert: Statement<[string]>;
  private readonly selectHostAlerts: Statement<[string], AlertRow>;
  private readonly listStatements = new Map<string, Statement<[ListAlertsParams], AlertRow>>();
  private readonly notify: SqliteNotifyTables;
  private readonly silences: SqliteSilenceTable;
  private readonly actions: SqliteActionTable;
  private readonly grants: SqliteGrantTable;
  private readonly events: SqliteEventTable;
  private readonly usage: SqliteUsageTable;
  private readonly webSessions: SqliteWebSessionTable;
  private readonly putSnapshotTx: (row: SnapshotRow) => 'inserted' | 'duplicate';
  private readonly commitBatchTx: (batch: readonly CommitInput[]) => (Error | null)[];
  private pendingCommits: { input: CommitInput; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private readonly hostState = new HostStateCache();
  private readonly dataVersion: Statement<[], { data_version: number }>;
  /** Null for an in-memory database (nothing to make durable). */
  private readonly walSync: WalSync | null;
  private flushScheduled = false;

  /** Opens (creating when missing) the database file and brings its schema up to date; see openSqliteStore. */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.kept = resolveSnapshotsKept(options.snapshotsKeptPerHost);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const migrationsDir = findMigrationsDir(options.migrationsDir === undefined ? undefined : [options.migrationsDir]);
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path, { timeout: busyTimeoutMs });
    try {
      db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      db.pragma('journal_mode = WAL');
      // NORMAL: SQLite does not fsync on commit (that blocked the event loop 3–40 ms per commit on a slow disk);
      // every write is acknowledged only after walSync has fdatasync'd the WAL off the event loop, so an
      // acknowledged snapshot, alert change or outbox row survives power loss as with FULL.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      applyMigrations(db, migrationsDir);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    const inMemory = path === ':memory:' || path === '' || path.startsWith('file::memory:');
    this.walSync = inMemory ? null : createWalSync(`${path}-wal`, options.walDatasync);
    this.insertSnapshot = db.prepare(SNAPSHOT_INSERT);
    this.pruneSnapshots = db.prepare(SNAPSHOT_PRUNE);
    this.selectSnapshots = db.prepare(SNAPSHOTS_SELECT);
    this.selectHost = db.prepare(HOST_SELECT);
    this.selectHosts = db.prepare(HOSTS_SELECT);
    this.upsertHost = db.prepare(HOST_UPSERT);
    this.upsertAlert = db.prepare(ALERT_UPSERT);
    this.deleteAlert = db.prepare(ALERT_DELETE);
    this.selectHostAlerts = db.prepare(HOST_ALERTS_SELECT);
    this.notify = new SqliteNotifyTables(db);
    this.silences = new SqliteSilenceTable(db);
    this.actions = new SqliteActionTable(db);
    this.grants = new SqliteGrantTable(db);
    this.events = new SqliteEventTable(db);
    this.usage = new SqliteUsageTable(db);
    this.webSessions = new SqliteWebSessionTable(db);

    this.hasSnapshotStmt = db.prepare(SNAPSHOT_EXISTS);
    this.dataVersion = db.prepare('PRAGMA data_version');
    const insertAndPrune = (row: SnapshotRow): 'inserted' | 'duplicate' => {
      const { changes } = this.insertSnapshot.run(snapshotToDbRow(row));
      if (changes === 0) return 'duplicate';
      this.pruneSnapshots.run({ host: row.host ?? null, keep: this.kept });
      return 'inserted';
    };
    const putSnapshot = db.transaction(insertAndPrune);
    this.putSnapshotTx = (row) => putSnapshot.immediate(row);

    const commit = db.transaction((input: CommitInput): void => {
      if (input.snapshot !== undefined) insertAndPrune(input.snapshot);
      const record = input.hostRecord;
      if (record !== null) {
        this.upsertHost.run(hostToDbRow(record));
      }
      for (const alert of input.upsert) this.upsertAlert.run(alertToRow(alert));
      for (const fingerprint of input.remove) this.deleteAlert.run(fingerprint);
      this.notify.enqueue(input.outbox ?? [], input.log ?? []);
      this.actions.plan(input.actions ?? []);
      if (input.actionResults !== undefined) this.actions.record(input.actionResults.host, input.actionResults.results);
      for (const event of input.events ?? []) this.events.add(event);
      this.usage.add(usageAdds(input.usage ?? []));
    });
    // Group commit: the evaluations that arrive within one event-loop turn share one transaction, each in its own
    // savepoint (a nested better-sqlite3 transaction), so one failing evaluation rolls back alone.
    const commitBatch = db.transaction((batch: readonly CommitInput[]): (Error | null)[] =>
      batch.map((input) => {
        try {
          commit(input);
          return null;
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    this.commitBatchTx = (batch) => commitBatch.immediate(batch);
  }

  /** Insert unless (host, snapshotId) exists, then prune the host's snapshots beyond the cap, in one transaction. */
  async putSnapshot(row: SnapshotRow): Promise<'inserted' | 'duplicate'> {
    return this.durable(this.putSnapshotTx(row));
  }

  /** `value` once the writes made so far are on disk. */
  private async durable<T>(value: T): Promise<T> {
    await this.walSync?.sync();
    return value;
  }

  /** Whether (host, snapshotId) is stored. */
  async hasSnapshot(host: string, snapshotId: string): Promise<boolean> {
    return this.hasSnapshotStmt.get(host, snapshotId) !== undefined;
  }

  /** The host's kept snapshots, newest takenAt first. */
  async listSnapshots(host: string): Promise<SnapshotRow[]> {
    return this.selectSnapshots.all(host).map(toSnapshotRow);
  }

  /** The host's record, or null when it was never committed. */
  async getHost(host: string): Promise<HostRecord | null> {
    this.revalidateHostState();
    const cached = this.hostState.record(host);
    if (cached !== undefined) return cached;
    const row = this.selectHost.get(host);
    const record = row === undefined ? null : toHostRecord(row);
    this.hostState.rememberRecord(host, record);
    return record;
  }

  /** Empty the host-state cache when another connection has committed since this one last looked. */
  private revalidateHostState(): void {
    this.hostState.revalidate(this.dataVersion.get()?.data_version ?? -1);
  }

  /** Every host record, by host name. */
  async listHosts(): Promise<HostRecord[]> {
    return this.selectHosts.all().map(toHostRecord);
  }

  /** Host record upsert, alert upserts, removals, outbox items (deduplicated), log entries: one IMMEDIATE transaction, all or nothing. */
  async commitEvaluation(input: CommitInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingCommits.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushCommits());
      }
    });
  }

  private flushCommits(): void {
    this.flushScheduled = false;
    if (!this.db.open) {
      for (const p of this.pendingCommits.splice(0)) p.reject(new Error('The SQLite store is closed.'));
      return;
    }
    const batch = this.pendingCommits;
    this.pendingCommits = [];
    let results: (Error | null)[];
    try {
      results = this.commitBatchTx(batch.map((p) => p.input));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      if (results[i] === null || results[i] === undefined) this.hostState.apply(p.input);
    });
    // Acknowledged only once durable; a failed sync is reported, not taken for success.
    const synced = this.durable(null);
    batch.forEach((p, i) => {
      const err = results[i];
      if (err === null || err === undefined) synced.then(() => p.resolve(), p.reject);
      else p.reject(err);
    });
  }

  /** Every stored alert of the host (any state), by fingerprint. */
  async alertsForHost(host: string): Promise<Alert[]> {
    this.revalidateHostState();
    const cached = this.hostState.alertsOf(host);
    if (cached !== undefined) return cached;
    const alerts = this.selectHostAlerts.all(host).map(rowToAlert);
    this.hostState.rememberAlerts(host, alerts);
    return this.hostState.alertsOf(host) ?? alerts;
  }

  async activeAlerts(): Promise<Alert[]> {
    return this.db.prepare<[], AlertRow>(ACTIVE_ALERTS_SELECT).all().map(rowToAlert);
  }

  async alertCounts(): Promise<AlertCount[]> {
    return this.db.prepare<[], AlertCount>(ALERT_COUNTS_SELECT).all();
  }

  /** Alerts passing every set filter, firing, pending, resolved, then newest updatedAt; limit 500 by default, 5000 at most. */
  async listAlerts(filter: AlertFilter): Promise<Alert[]> {
    const keys = activeFilterKeys(filter);
    const cacheKey = keys.join(',');
    let statement = this.listStatements.get(cacheKey);
    if (statement === undefined) {
      statement = this.db.prepare<[ListAlertsParams], AlertRow>(listAlertsSql(keys));
      this.listStatements.set(cacheKey, statement);
    }
    return statement.all(listAlertsParams(filter, resolveAlertLimit(filter.limit))).map(rowToAlert);
  }

  /** How many log entries have each status. */
  async notificationCounts(): Promise<Partial<Record<NotificationLogEntry['status'], number>>> {
    const rows = this.db.prepare<[], { status: NotificationLogEntry['status']; n: number }>(LOG_STATUS_COUNTS).all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** How many items the outbox holds. */
  async outboxDepth(): Promise<number> {
    return (this.db.prepare<[], { n: number }>(OUTBOX_COUNT).get()?.n) ?? 0;
  }

  /** Outbox items due at `now`, by nextAttemptAt then createdAt, at most `limit` (1..1000). */
  async dueOutbox(now: string, limit: number): Promise<OutboxItem[]> {
    return this.notify.due(now, limit);
  }

  /** Remove the items, keep their dedupKeys as sent, log their entries: one transaction per 100 items. */
  async completeOutbox(done: readonly OutboxDone[]): Promise<void> {
    // A 1,000-alert group took 60–110 ms in one transaction, all on the event loop: slices, with requests let in
    // between. Each slice is atomic; a crash between slices leaves the rest due (sent again, never lost).
    for (let from = 0; from < done.length; from += OUTBOX_ITEMS_PER_TRANSACTION) {
      if (from > 0) await yieldToIo();
      this.notify.complete(done.slice(from, from + OUTBOX_ITEMS_PER_TRANSACTION));
    }
    await this.durable(null);
  }

  /** Bump attempts and nextAttemptAt of the items, log their entries: one transaction. */
  async retryOutbox(retries: readonly OutboxRetry[]): Promise<void> {
    await this.durable(this.notify.retry(retries));
  }

  /** Forget sent keys older than 7 days and at most `maxEntries` log entries older than 30 days: one transaction. */
  async pruneNotifications(now: string, maxEntries = DEFAULT_PRUNE_ENTRIES): Promise<number> {
    return this.durable(this.notify.prune(now, maxEntries));
  }

  /** The notification log, newest first, filtered by receiver, fingerprint and since; limit 100 by default, 1000 at most. */
  async listNotifications(filter: NotificationFilter): Promise<NotificationLogEntry[]> {
    return this.notify.list(filter);
  }

  /** The group's timing state at the receiver, or null. */
  async getGroupState(receiver: string, groupKey: string): Promise<GroupState | null> {
    return this.notify.getGroupState(receiver, groupKey);
  }

  /** Insert or replace a group's timing state. */
  async putGroupState(state: GroupState): Promise<void> {
    await this.durable(this.notify.putGroupState(state));
  }

  /** Store a new silence (a reused id fails). */
  async addSilence(silence: Silence): Promise<void> {
    await this.durable(this.silences.add(silence));
  }

  /** Every silence, or those in force at `activeAt`; newest first. */
  async listSilences(filter: { activeAt?: string }): Promise<Silence[]> {
    return this.silences.list(filter.activeAt);
  }

  /** End a silence early at `at`; false when unknown, already expired or already ended. */
  async expireSilence(id: string, at: string): Promise<boolean> {
    return this.durable(this.silences.expireAt(id, at));
  }

  /** Stored actions with these ids. */
  async getActions(ids: readonly string[]): Promise<StoredAction[]> {
    return this.actions.get(ids);
  }

  /** A host's scheduled actions due at `now`, oldest first. */
  async dueActions(host: string, now: string, limit: number): Promise<StoredAction[]> {
    return this.actions.due(host, now, limit);
  }

  /** Actions newest first, filtered. */
  async listActions(filter: ActionFilter): Promise<StoredAction[]> {
    return this.actions.list(filter);
  }

  /** awaiting-approval → scheduled. */
  async approveAction(id: string, by: string, at: string): Promise<'approved' | 'not-found' | 'not-awaiting'> {
    return this.durable(this.db.transaction(() => this.actions.approve(id, by, at)).immediate());
  }

  /** These open actions are closed as cancelled; returns them. */
  async cancelActions(ids: readonly string[], now: string, why: string): Promise<StoredAction[]> {
    return this.durable(this.db.transaction(() => this.actions.cancel(ids, now, why)).immediate());
  }

  /** Open actions past expiresAt become expired; returns them. */
  async expireActions(now: string): Promise<StoredAction[]> {
    return this.durable(this.db.transaction(() => this.actions.expire(now)).immediate());
  }

  /** Store a new grant (checked; a reused id fails). */
  async putGrant(grant: Grant): Promise<void> {
    await this.durable(this.grants.put(grant));
  }

  /** Revoke a grant at `at`: revoked, not-found or already-revoked. */
  async revokeGrant(id: string, at: string): Promise<'revoked' | 'not-found' | 'already-revoked'> {
    return this.durable(this.grants.revokeAt(id, at));
  }

  /** Grants in force at `now` (or all), by user and exact rule; newest first. */
  async listGrants(filter: GrantFilter, now: string): Promise<Grant[]> {
    return this.grants.list(filter, now);
  }

  /** Append an event (durable before it resolves). */
  async addEvent(event: GwEvent): Promise<void> {
    await this.durable(this.events.add(event));
  }

  /** A page of the event log, newest last. */
  async listEvents(filter: EventFilter): Promise<EventPage> {
    return this.events.list(filter);
  }

  /** Drop events past the retention (durable before it resolves). */
  async pruneEvents(now: string, retention?: EventRetention): Promise<number> {
    return this.durable(this.events.prune(now, retention));
  }

  /** Usage-history buckets of a query, by start. */
  async usageHistory(q: UsageHistoryQuery): Promise<UsageBucket[]> {
    return this.usage.history(q);
  }

  /** Drop usage buckets past their retention (durable before it resolves). */
  async pruneUsage(now: string): Promise<number> {
    return this.durable(this.usage.prune(now));
  }

  /** Store a new session (durable before it resolves). */
  async putWebSession(session: WebSession): Promise<void> {
    await this.durable(this.webSessions.putSession(session));
  }

  /** The session while it lasts, else null. */
  async getWebSession(idSha256: string, now: string): Promise<WebSession | null> {
    return this.webSessions.getSession(idSha256, now);
  }

  /** End a session; whether there was one. */
  async deleteWebSession(idSha256: string): Promise<boolean> {
    return this.durable(this.webSessions.deleteSessionById(idSha256));
  }

  /** Store a new sign-in link (durable before it resolves). */
  async putUserLink(link: UserLink): Promise<void> {
    await this.durable(this.webSessions.putLink(link));
  }

  /** Count a use of a lasting link and return it, else null. */
  async takeUserLink(keySha256: string, now: string): Promise<StoredUserLink | null> {
    return this.durable(this.webSessions.take(keySha256, now));
  }

  /** Drop expired sessions and links. */
  async pruneWebSessions(now: string): Promise<number> {
    return this.durable(this.webSessions.prune(now));
  }

  /** Closes the connection (checkpointing the WAL); later calls reject. Closing twice is harmless. */
  /** The connection's journal mode and synchronous level (0 off, 1 normal, 2 full), for tests and diagnostics. */
  journalSettings(): { journalMode: string; synchronous: number } {
    return { journalMode: String(this.db.pragma('journal_mode', { simple: true })), synchronous: Number(this.db.pragma('synchronous', { simple: true })) };
  }

  /** Closes the connection (checkpointing the WAL); later calls reject. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.pendingCommits.length > 0 && this.db.open) this.flushCommits(); // evaluations already handed over are kept
    if (this.db.open) this.db.close();
    this.hostState.clear();
    await this.walSync?.close();
  }
}

/**
 * Opens the SQLite store at `path` (parent folders created, schema migrated through d1_migrations), keeping
 * `snapshotsKeptPerHost` (default 100) snapshots per host.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(path, options);
}
