import type { Alert, AlertState } from '../../alerts/alert.ts';
import { SEVERITY_ORDER, type Severity } from '../../engine/finding.ts';
import type { HostRecord, SnapshotRow } from '../store.ts';

/** The alert states a store accepts (the SQLite schema checks the same list). */
export const ALERT_STATES: readonly AlertState[] = ['pending', 'firing', 'resolved'];

/** The alert's `user` label when it has one of its own (never an inherited property such as `constructor`). */
export function labelUser(labels: Record<string, string>): string | null {
  if (!Object.hasOwn(labels, 'user')) return null;
  const user = labels.user;
  return typeof user === 'string' ? user : null;
}

/** A deep copy through JSON text: exactly what a round trip through the SQLite JSON columns gives back. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function requireText(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: ${field} must be a string (NOT NULL), got ${value === null ? 'null' : typeof value}.`);
  return value;
}

function optionalText(value: unknown, field: string, what: string): string | null {
  return value === null || value === undefined ? null : requireText(value, field, what);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A detached copy of an alert in exactly the stored shape, or a TypeError naming the bad field: the memory
 * store's stand-in for the SQLite NOT NULL / CHECK constraints, so both stores refuse the same alerts.
 */
export function storedAlert(alert: Alert): Alert {
  const what = `alert ${String(alert.fingerprint)}`;
  const state = requireText(alert.state, 'state', what);
  if (!(ALERT_STATES as readonly string[]).includes(state)) throw new TypeError(`${what}: state must be one of ${ALERT_STATES.join(', ')}, got ${state}.`);
  const severity = requireText(alert.severity, 'severity', what);
  if (!(SEVERITY_ORDER as readonly string[]).includes(severity)) throw new TypeError(`${what}: severity must be one of ${SEVERITY_ORDER.join(', ')}, got ${severity}.`);
  if (!isPlainObject(alert.labels)) throw new TypeError(`${what}: labels must be an object (NOT NULL).`);
  if (!isPlainObject(alert.annotations)) throw new TypeError(`${what}: annotations must be an object (NOT NULL).`);
  if (!Array.isArray(alert.notify)) throw new TypeError(`${what}: notify must be an array (NOT NULL).`);
  return {
    fingerprint: requireText(alert.fingerprint, 'fingerprint', what),
    rule: requireText(alert.rule, 'rule', what),
    host: requireText(alert.host, 'host', what),
    severity: severity as Severity,
    stage: optionalText(alert.stage, 'stage', what),
    labels: jsonCopy(alert.labels),
    annotations: jsonCopy(alert.annotations),
    notify: jsonCopy(alert.notify),
    state: state as AlertState,
    activeSince: requireText(alert.activeSince, 'activeSince', what),
    firedAt: optionalText(alert.firedAt, 'firedAt', what),
    resolvedAt: optionalText(alert.resolvedAt, 'resolvedAt', what),
    lastMatchedAt: requireText(alert.lastMatchedAt, 'lastMatchedAt', what),
    updatedAt: requireText(alert.updatedAt, 'updatedAt', what),
    ...(alert.pendingStage === undefined || alert.pendingStage === null ? {} : { pendingStage: jsonCopy(alert.pendingStage) }),
    ...(alert.stale === undefined || alert.stale === null ? {} : { stale: jsonCopy(alert.stale) }),
    ...(alert.keepFiringSince === undefined || alert.keepFiringSince === null ? {} : { keepFiringSince: alert.keepFiringSince }),
    ...(alert.resolvedReason === undefined || alert.resolvedReason === null ? {} : { resolvedReason: alert.resolvedReason }),
  };
}

/** A detached, checked copy of a host record (every field NOT NULL, as in the hosts table). */
export function storedHostRecord(record: HostRecord): HostRecord {
  const what = `host record ${String(record.host)}`;
  return {
    host: requireText(record.host, 'host', what),
    lastSeenAt: requireText(record.lastSeenAt, 'lastSeenAt', what),
    lastTakenAt: requireText(record.lastTakenAt, 'lastTakenAt', what),
    tracked: requireText(record.tracked, 'tracked', what),
  };
}

/** A detached, checked copy of a snapshot row (every field but body NOT NULL, as in the snapshots table). */
export function storedSnapshotRow(row: SnapshotRow): SnapshotRow {
  const what = `snapshot ${String(row.host)}/${String(row.snapshotId)}`;
  return {
    host: requireText(row.host, 'host', what),
    snapshotId: requireText(row.snapshotId, 'snapshotId', what),
    takenAt: requireText(row.takenAt, 'takenAt', what),
    receivedAt: requireText(row.receivedAt, 'receivedAt', what),
    body: row.body === null ? null : requireText(row.body, 'body', what),
  };
}
