// The Store over Cloudflare D1 (Workers). Same SQL and row mapping as the SQLite store (store/sqlite/*-sql.ts,
// alert-row.ts, notify-rows.ts, action-table.ts, silence-table.ts, grant-table.ts), same record checks (memory/).
// D1 has no interactive transactions: every write that must be atomic is ONE db.batch([...]), which D1 runs as a
// single transaction (all statements or none). Decisions the SQLite store takes in JS between statements are made
// by conditional SQL inside the batch, or read first and written by a statement whose WHERE re-checks what was read.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/index.ts';
import type { Alert } from '../../alerts/alert.ts';
import type { Grant, GrantFilter } from '../../enforcement/grant.ts';
import type { StoredAction } from '../../enforcement/stored-action.ts';
import { resolveAlertLimit } from '../memory/alert-order.ts';
import { storedGrant } from '../memory/grant-record.ts';
import { storedSilence } from '../memory/notify-record.ts';
import { DEFAULT_PRUNE_ENTRIES } from '../memory/notify-order.ts';
import { ownerOf } from '../memory/outbox-state.ts';
import { resolveSnapshotsKept, type RetentionOptions, type SnapshotListing } from '../memory/snapshot-retention.ts';
import { activeFilterKeys, listAlertsParams, listAlertsSql } from '../sqlite/alert-query.ts';
import { alertToRow, rowToAlert, type AlertRow } from '../sqlite/alert-row.ts';
import { GRANT_SQL, grantToRow, rowToGrant, type GrantRow } from '../sqlite/grant-table.ts';
import { EVENT_SQL, eventListParams, eventPage, eventPruneParams, eventToRow, type EventRow } from '../sqlite/event-table.ts';
import type { GwEvent } from '../../events/event.ts';
import { rowToUsageBucket, USAGE_SQL, usageAdds, usagePruneParams, usageQueryParams, type UsageRow } from '../sqlite/usage-table.ts';
import type { UsageBucket, UsageHistoryQuery } from '../../usage/history.ts';
import { WEB_SESSION_SQL, isoNow, rowToUserLink, rowToWebSession, userLinkToRow, webSessionToRow, type StoredUserLinkRow, type WebSessionRow } from '../sqlite/web-session-table.ts';
import type { StoredUserLink, UserLink, WebSession } from '../web-session.ts';
import { rowToSilence, silenceToRow, type SilenceRow } from '../sqlite/notify-rows.ts';
import { SILENCE_SQL } from '../sqlite/silence-table.ts';
import {
  ACTIVE_ALERTS_SELECT, ALERT_COUNTS_SELECT, ALERT_DELETE, ALERT_UPSERT, HOST_ALERTS_SELECT, HOST_SELECT, HOST_UPSERT, HOSTS_SELECT, SNAPSHOT_EXISTS, SNAPSHOT_INSERT, SNAPSHOT_PRUNE, SNAPSHOTS_SELECT,
  hostToDbRow, snapshotToDbRow, toHostRecord, toSnapshotRow, type HostDbRow, type SnapshotDbRow,
} from '../sqlite/store-sql.ts';
import type { ActionFilter, AlertCount, AlertFilter, GroupState, HostRecord, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, EventFilter, EventPage, EventRetention, Silence, SnapshotRow, Store } from '../store.ts';
import { LOG_STATUS_COUNTS, OUTBOX_COUNT } from '../sqlite/notify-sql.ts';
import * as actions from './d1-actions.ts';
import * as notify from './d1-notify.ts';
import { prepareNamed } from './named-sql.ts';

type CommitInput = Parameters<Store['commitEvaluation']>[0];

/** Options of the D1 store: the same snapshot retention as the other stores. */
export type D1StoreOptions = RetentionOptions;

/** The D1 Store. Stateless apart from its options: no cache (each Worker isolate may see other isolates' writes). */
export class D1Store implements Store, SnapshotListing {
  private readonly kept: number;
  private closed = false;

  /** A store over a migrated D1 database (`wrangler d1 migrations apply`); throws for a bad snapshotsKeptPerHost. */
  constructor(private readonly database: D1Database, options: D1StoreOptions = {}) {
    this.kept = resolveSnapshotsKept(options.snapshotsKeptPerHost);
  }

  /** The database, or a rejection after close (the contract: calls after close fail, as with the other stores). */
  private get db(): D1Database {
    if (this.closed) throw new Error('The D1 store is closed.');
    return this.database;
  }

  /** INSERT … ON CONFLICT DO NOTHING, then the host's prune, as one batch: D1's changes count says which it was. */
  private snapshotStatements(row: SnapshotRow): D1PreparedStatement[] {
    const db = this.db;
    return [prepareNamed(db, SNAPSHOT_INSERT, snapshotToDbRow(row)), prepareNamed(db, SNAPSHOT_PRUNE, { host: row.host ?? null, keep: this.kept })];
  }

  /**
   * Atomic: one batch [insert, prune]. The prune runs after a duplicate too (the SQLite store skips it then); with
   * the same keep it deletes nothing new, since the host's rows are unchanged since the last prune.
   */
  async putSnapshot(row: SnapshotRow): Promise<'inserted' | 'duplicate'> {
    const [insert] = await this.db.batch(this.snapshotStatements(row));
    return insert?.meta.changes === 1 ? 'inserted' : 'duplicate';
  }

  /** Whether (host, snapshotId) is stored. */
  async hasSnapshot(host: string, snapshotId: string): Promise<boolean> {
    return (await this.db.prepare(SNAPSHOT_EXISTS).bind(host, snapshotId).first()) !== null;
  }

  /** The host's kept snapshots, newest takenAt first. */
  async listSnapshots(host: string): Promise<SnapshotRow[]> {
    const { results } = await this.db.prepare(SNAPSHOTS_SELECT).bind(host).all<SnapshotDbRow>();
    return results.map(toSnapshotRow);
  }

  /** The host's record, or null. */
  async getHost(host: string): Promise<HostRecord | null> {
    const row = await this.db.prepare(HOST_SELECT).bind(host).first<HostDbRow>();
    return row === null ? null : toHostRecord(row);
  }

  /** Every host record, by host name. */
  async listHosts(): Promise<HostRecord[]> {
    const { results } = await this.db.prepare(HOSTS_SELECT).all<HostDbRow>();
    return results.map(toHostRecord);
  }

  /**
   * Atomic: ONE batch, in the SQLite store's order: snapshot insert + prune, host upsert, alert upserts, alert
   * deletes, outbox inserts (their own SQL skips a dedupKey queued or sent), log entries (an entry of an item of this
   * commit only if that item's row exists after its INSERT), planned actions (ON CONFLICT DO NOTHING), results
   * (UPDATE … WHERE state = 'scheduled' AND host = ?), events, usage-bucket additions (upserts). Any failing statement rolls the whole batch back. Two reads
   * come first: the outbox ids of this commit's items already stored (an item with such an id cannot be queued
   * now, so its log entries are left out) and the actions the results name; neither can make the batch overwrite
   * a concurrent change (see d1-notify.ts and d1-actions.ts). Records are checked before anything is written.
   */
  async commitEvaluation(input: CommitInput): Promise<void> {
    const db = this.db;
    const statements: D1PreparedStatement[] = [];
    if (input.snapshot !== undefined) statements.push(...this.snapshotStatements(input.snapshot));
    if (input.hostRecord !== null) statements.push(prepareNamed(db, HOST_UPSERT, hostToDbRow(input.hostRecord)));
    for (const alert of input.upsert) statements.push(prepareNamed(db, ALERT_UPSERT, alertToRow(alert)));
    for (const fingerprint of input.remove) statements.push(db.prepare(ALERT_DELETE).bind(fingerprint ?? null));
    const outbox = input.outbox ?? [];
    const log = input.log ?? [];
    const itemIds = new Set(outbox.map((item) => item.id));
    const owners = log.map((entry) => ownerOf(entry.id)).filter((owner) => itemIds.has(owner));
    const existing = owners.length === 0 ? new Set<string>() : await notify.storedOutboxIds(db, owners);
    statements.push(...notify.enqueueStatements(db, outbox, log, existing));
    statements.push(...(await actions.planAndRecordStatements(db, input.actions ?? [], input.actionResults)));
    for (const event of input.events ?? []) statements.push(prepareNamed(db, EVENT_SQL.insert, eventToRow(event)));
    for (const add of usageAdds(input.usage ?? [])) statements.push(prepareNamed(db, USAGE_SQL.add, add));
    if (statements.length > 0) await db.batch(statements);
  }

  /** Every stored alert of the host (any state), by fingerprint. */
  async alertsForHost(host: string): Promise<Alert[]> {
    const { results } = await this.db.prepare(HOST_ALERTS_SELECT).bind(host).all<AlertRow>();
    return results.map(rowToAlert);
  }

  async activeAlerts(): Promise<Alert[]> {
    const { results } = await this.db.prepare(ACTIVE_ALERTS_SELECT).all<AlertRow>();
    return results.map(rowToAlert);
  }

  async alertCounts(): Promise<AlertCount[]> {
    const { results } = await this.db.prepare(ALERT_COUNTS_SELECT).all<AlertCount>();
    return results;
  }

  /** Alerts passing every set filter, firing, pending, resolved, then newest updatedAt; limit 500 by default, 5000 at most. */
  async listAlerts(filter: AlertFilter): Promise<Alert[]> {
    const sql = listAlertsSql(activeFilterKeys(filter));
    const { results } = await prepareNamed(this.db, sql, listAlertsParams(filter, resolveAlertLimit(filter.limit))).all<AlertRow>();
    return results.map(rowToAlert);
  }

  /** Outbox items due at `now`. */
  /** How many log entries have each status. */
  async notificationCounts(): Promise<Partial<Record<NotificationLogEntry['status'], number>>> {
    const { results } = await this.db.prepare(LOG_STATUS_COUNTS).all<{ status: NotificationLogEntry['status']; n: number }>();
    return Object.fromEntries(results.map((r) => [r.status, r.n]));
  }

  /** How many items the outbox holds. */
  async outboxDepth(): Promise<number> {
    return (await this.db.prepare(OUTBOX_COUNT).first<{ n: number }>())?.n ?? 0;
  }

  async dueOutbox(now: string, limit: number): Promise<OutboxItem[]> {
    return notify.dueOutbox(this.db, now, limit);
  }

  /** Atomic per slice of 100 items: one batch [mark sent from the item's row, delete it, log] each (see d1-notify.ts). */
  async completeOutbox(done: readonly OutboxDone[]): Promise<void> {
    await notify.completeOutbox(this.db, done);
  }

  /** Atomic: one batch of [bump attempts, log] for all the items. */
  async retryOutbox(retries: readonly OutboxRetry[]): Promise<void> {
    await notify.retryOutbox(this.db, retries);
  }

  /** Atomic: one batch [sent keys, fingerprint rows, log entries]. */
  async pruneNotifications(now: string, maxEntries = DEFAULT_PRUNE_ENTRIES): Promise<number> {
    return notify.pruneNotifications(this.db, now, maxEntries);
  }

  /** The notification log, newest first. */
  async listNotifications(filter: notify.NotificationFilter): Promise<NotificationLogEntry[]> {
    return notify.listNotifications(this.db, filter);
  }

  /** The group's timing state at the receiver, or null. */
  async getGroupState(receiver: string, groupKey: string): Promise<GroupState | null> {
    return notify.getGroupState(this.db, receiver, groupKey);
  }

  /** Atomic: one upsert statement. */
  async putGroupState(state: GroupState): Promise<void> {
    await notify.putGroupState(this.db, state);
  }

  /** Atomic: one INSERT (a reused id fails: UNIQUE). */
  async addSilence(silence: Silence): Promise<void> {
    await prepareNamed(this.db, SILENCE_SQL.insert, silenceToRow(storedSilence(silence))).run();
  }

  /** Every silence, or those in force at `activeAt`; newest first. */
  async listSilences(filter: { activeAt?: string }): Promise<Silence[]> {
    const statement = filter.activeAt === undefined ? this.db.prepare(SILENCE_SQL.selectAll) : prepareNamed(this.db, SILENCE_SQL.selectActive, { at: filter.activeAt });
    const { results } = await statement.all<SilenceRow>();
    return results.map(rowToSilence);
  }

  /** Atomic: one conditional UPDATE (not expired, not ended); its changes count is the answer. */
  async expireSilence(id: string, at: string): Promise<boolean> {
    const { meta } = await prepareNamed(this.db, SILENCE_SQL.expire, { id, at }).run();
    return meta.changes === 1;
  }

  /** Stored actions with these ids (IN lists chunked under D1's parameter limit). */
  async getActions(ids: readonly string[]): Promise<StoredAction[]> {
    return actions.getActions(this.db, ids);
  }

  /** A host's scheduled actions due at `now`, oldest first. */
  async dueActions(host: string, now: string, limit: number): Promise<StoredAction[]> {
    return actions.dueActions(this.db, host, now, limit);
  }

  /** Actions newest first, filtered. */
  async listActions(filter: ActionFilter): Promise<StoredAction[]> {
    return actions.listActions(this.db, filter);
  }

  /** Atomic: read, then one UPDATE … AND state = 'awaiting-approval' (see d1-actions.ts). */
  async approveAction(id: string, by: string, at: string): Promise<'approved' | 'not-found' | 'not-awaiting'> {
    return actions.approveAction(this.db, id, by, at);
  }

  /** Atomic per action: read, then one batch of UPDATEs each re-checking the state read (see d1-actions.ts). */
  async cancelActions(ids: readonly string[], now: string, why: string): Promise<StoredAction[]> {
    return actions.cancelActions(this.db, ids, now, why);
  }

  /** Atomic per action: read, then one batch of UPDATEs each re-checking the state read (see d1-actions.ts). */
  async expireActions(now: string): Promise<StoredAction[]> {
    return actions.expireActions(this.db, now);
  }

  /** Atomic: one INSERT of a checked grant (a reused id fails: UNIQUE). */
  async putGrant(grant: Grant): Promise<void> {
    await prepareNamed(this.db, GRANT_SQL.insert, grantToRow(storedGrant(grant))).run();
  }

  /** Read (not-found / already-revoked, as the SQLite store answers), then one UPDATE … AND revoked_at IS NULL. */
  async revokeGrant(id: string, at: string): Promise<'revoked' | 'not-found' | 'already-revoked'> {
    const db = this.db;
    const row = await db.prepare(GRANT_SQL.selectOne).bind(id).first<{ revoked_at: string | null }>();
    if (row === null) return 'not-found';
    if (row.revoked_at !== null) return 'already-revoked';
    const { meta } = await prepareNamed(db, GRANT_SQL.revoke, { id, at: new Date(at).toISOString() }).run();
    return meta.changes === 1 ? 'revoked' : 'already-revoked';
  }

  /** Grants in force at `now` (or all), by user and exact rule; newest first. */
  async listGrants(filter: GrantFilter, now: string): Promise<Grant[]> {
    const params = { now: new Date(now).toISOString(), all: filter.includeInactive === true ? 1 : 0, user: filter.user ?? null, rule: filter.rule ?? null };
    const { results } = await prepareNamed(this.db, GRANT_SQL.select, params).all<GrantRow>();
    return results.map(rowToGrant);
  }

  /** Atomic: one INSERT (a reused id fails: UNIQUE). */
  async addEvent(event: GwEvent): Promise<void> {
    await prepareNamed(this.db, EVENT_SQL.insert, eventToRow(event)).run();
  }

  /** A page of the event log, newest last. */
  async listEvents(filter: EventFilter): Promise<EventPage> {
    const params = eventListParams(filter);
    const { results } = await prepareNamed(this.db, params.after === null ? EVENT_SQL.selectLatest : EVENT_SQL.selectAfter, params).all<EventRow>();
    return eventPage(results, params);
  }

  /** Atomic: one batch [by age, by count]. */
  async pruneEvents(now: string, retention?: EventRetention): Promise<number> {
    const p = eventPruneParams(now, retention);
    const [age, count] = await this.db.batch([prepareNamed(this.db, EVENT_SQL.pruneAge, { cutoff: p.cutoff }), prepareNamed(this.db, EVENT_SQL.pruneCount, { keep: p.keep })]);
    return (age?.meta.changes ?? 0) + (count?.meta.changes ?? 0);
  }

  /** Usage-history buckets of a query, by start. */
  async usageHistory(q: UsageHistoryQuery): Promise<UsageBucket[]> {
    const { results } = await prepareNamed(this.db, USAGE_SQL.select, usageQueryParams(q)).all<UsageRow>();
    return results.map(rowToUsageBucket);
  }

  /** Atomic: one batch, a DELETE per bucket width. */
  async pruneUsage(now: string): Promise<number> {
    const db = this.db;
    const done = await db.batch(usagePruneParams(now).map((p) => prepareNamed(db, USAGE_SQL.prune, p)));
    return done.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
  }

  /** Atomic: one INSERT of a checked session (a reused digest fails: UNIQUE). */
  async putWebSession(session: WebSession): Promise<void> {
    await prepareNamed(this.db, WEB_SESSION_SQL.insertSession, webSessionToRow(session)).run();
  }

  /** The session while it lasts, else null. */
  async getWebSession(idSha256: string, now: string): Promise<WebSession | null> {
    const row = await prepareNamed(this.db, WEB_SESSION_SQL.selectSession, { id: idSha256, now: isoNow(now) }).first<WebSessionRow>();
    return row === null ? null : rowToWebSession(row);
  }

  /** One DELETE; whether there was a session. */
  async deleteWebSession(idSha256: string): Promise<boolean> {
    const { meta } = await prepareNamed(this.db, WEB_SESSION_SQL.deleteSession, { id: idSha256 }).run();
    return meta.changes > 0;
  }

  /** Atomic: one INSERT of a checked link (a reused digest fails: UNIQUE). */
  async putUserLink(link: UserLink): Promise<void> {
    await prepareNamed(this.db, WEB_SESSION_SQL.insertLink, userLinkToRow(link)).run();
  }

  /** Atomic: one UPDATE … RETURNING counts the use of a lasting link and reads it back. */
  async takeUserLink(keySha256: string, now: string): Promise<StoredUserLink | null> {
    const { results } = await prepareNamed(this.db, WEB_SESSION_SQL.takeLink, { key: keySha256, now: isoNow(now) }).all<StoredUserLinkRow>();
    const row = results[0];
    return row === undefined ? null : rowToUserLink(row);
  }

  /** Atomic: one batch [sessions, links]. */
  async pruneWebSessions(now: string): Promise<number> {
    const at = { now: isoNow(now) };
    const [sessions, links] = await this.db.batch([prepareNamed(this.db, WEB_SESSION_SQL.pruneSessions, at), prepareNamed(this.db, WEB_SESSION_SQL.pruneLinks, at)]);
    return (sessions?.meta.changes ?? 0) + (links?.meta.changes ?? 0);
  }

  /** Nothing to release (the binding belongs to the Worker); later calls reject, as with the other stores. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The D1 store over a migrated database binding. */
export function openD1Store(database: D1Database, options: D1StoreOptions = {}): D1Store {
  return new D1Store(database, options);
}
