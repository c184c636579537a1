// The SQL of the snapshots, hosts and alerts tables and their row mapping, shared by the SQLite store (better-sqlite3,
// named `@column` parameters) and the D1 store (which rewrites the names to `?N`, see store/d1/named-sql.ts).
// Nothing here may import a runtime module: the D1 store runs in workerd.
import type { HostRecord, SnapshotRow } from '../store.ts';
import { ALERT_COLUMNS } from './alert-row.ts';

/** One snapshots row. */
export interface SnapshotDbRow {
  host: string;
  snapshot_id: string;
  taken_at: string;
  received_at: string;
  body: string | null;
}

/** One hosts row. */
export interface HostDbRow {
  host: string;
  last_seen_at: string;
  last_taken_at: string;
  tracked: string;
}

/** Bound values may be NULL: a missing field must reach the NOT NULL constraint, not a "missing parameter" error. */
export type Nullable<T> = { [K in keyof T]: T[K] | null };

/** Insert a snapshot unless (host, snapshot_id) is stored (changes 0: a duplicate). */
export const SNAPSHOT_INSERT =
  'INSERT INTO snapshots (host, snapshot_id, taken_at, received_at, body) VALUES (@host, @snapshot_id, @taken_at, @received_at, @body) ON CONFLICT (host, snapshot_id) DO NOTHING';
/** Delete a host's snapshots beyond the newest @keep (by taken_at, then snapshot_id). */
export const SNAPSHOT_PRUNE =
  'DELETE FROM snapshots WHERE host = @host AND snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE host = @host ORDER BY taken_at DESC, snapshot_id DESC LIMIT -1 OFFSET @keep)';
/** A host's snapshots, newest first. */
export const SNAPSHOTS_SELECT = 'SELECT * FROM snapshots WHERE host = ? ORDER BY taken_at DESC, snapshot_id DESC';
/** Whether (host, snapshot_id) is stored. */
export const SNAPSHOT_EXISTS = 'SELECT 1 FROM snapshots WHERE host = ? AND snapshot_id = ?';
/** One host record. */
export const HOST_SELECT = 'SELECT host, last_seen_at, last_taken_at, tracked FROM hosts WHERE host = ?';
/** Every host record by name. */
export const HOSTS_SELECT = 'SELECT host, last_seen_at, last_taken_at, tracked FROM hosts ORDER BY host';
/** Insert or replace a host record. */
export const HOST_UPSERT =
  'INSERT INTO hosts (host, last_seen_at, last_taken_at, tracked) VALUES (@host, @last_seen_at, @last_taken_at, @tracked)' +
  ' ON CONFLICT (host) DO UPDATE SET last_seen_at = excluded.last_seen_at, last_taken_at = excluded.last_taken_at, tracked = excluded.tracked';

/** SELECT of every alerts column. */
export const ALERT_SELECT = `SELECT ${ALERT_COLUMNS.join(', ')} FROM alerts`;
/** Insert or replace an alert by fingerprint. */
export const ALERT_UPSERT =
  `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map((c) => `@${c}`).join(', ')})` +
  ` ON CONFLICT (fingerprint) DO UPDATE SET ${ALERT_COLUMNS.filter((c) => c !== 'fingerprint').map((c) => `${c} = excluded.${c}`).join(', ')}`;
/** Delete one alert. */
export const ALERT_DELETE = 'DELETE FROM alerts WHERE fingerprint = ?';
/** A host's alerts by fingerprint. */
export const HOST_ALERTS_SELECT = `${ALERT_SELECT} WHERE host = ? ORDER BY fingerprint`;

/** Every pending and firing alert of the fleet, in listAlerts order (the alerts_state index finds them). */
export const ACTIVE_ALERTS_SELECT = `${ALERT_SELECT} WHERE state IN ('firing', 'pending') ORDER BY CASE state WHEN 'firing' THEN 0 ELSE 1 END, updated_at DESC, fingerprint ASC`;

/** Stored alerts counted per rule, state and severity. */
export const ALERT_COUNTS_SELECT = 'SELECT rule, state, severity, COUNT(*) AS count FROM alerts GROUP BY rule, state, severity ORDER BY rule, state, severity';

/** The snapshot a row holds. */
export function toSnapshotRow(row: SnapshotDbRow): SnapshotRow {
  return { host: row.host, snapshotId: row.snapshot_id, takenAt: row.taken_at, receivedAt: row.received_at, body: row.body };
}

/** The host record a row holds. */
export function toHostRecord(row: HostDbRow): HostRecord {
  return { host: row.host, lastSeenAt: row.last_seen_at, lastTakenAt: row.last_taken_at, tracked: row.tracked };
}

/** The row to bind for a snapshot (missing fields as NULL). */
export function snapshotToDbRow(row: SnapshotRow): Nullable<SnapshotDbRow> {
  return {
    host: row.host ?? null,
    snapshot_id: row.snapshotId ?? null,
    taken_at: row.takenAt ?? null,
    received_at: row.receivedAt ?? null,
    body: row.body ?? null,
  };
}

/** The row to bind for a host record (missing fields as NULL). */
export function hostToDbRow(record: HostRecord): Nullable<HostDbRow> {
  return {
    host: record.host ?? null,
    last_seen_at: record.lastSeenAt ?? null,
    last_taken_at: record.lastTakenAt ?? null,
    tracked: record.tracked ?? null,
  };
}
