import type { Alert, AlertState } from '../../alerts/alert.ts';
import { SEVERITY_ORDER, type Severity } from '../../engine/finding.ts';
import { ALERT_STATES, labelUser } from '../memory/alert-record.ts';

/** One row of the alerts table, as better-sqlite3 binds (`@column`) and returns it. */
export interface AlertRow {
  fingerprint: string | null;
  rule: string | null;
  host: string | null;
  user: string | null;
  severity: string | null;
  stage: string | null;
  labels: string | null;
  annotations: string | null;
  notify: string | null;
  state: string | null;
  active_since: string | null;
  fired_at: string | null;
  resolved_at: string | null;
  last_matched_at: string | null;
  updated_at: string | null;
  pending_stage: string | null;
  stale: string | null;
  keep_firing_since: string | null;
  resolved_reason: string | null;
}

/** The alerts columns in schema order, for SELECT lists and INSERTs. */
export const ALERT_COLUMNS: readonly (keyof AlertRow)[] = [
  'fingerprint', 'rule', 'host', 'user', 'severity', 'stage', 'labels', 'annotations', 'notify', 'state',
  'active_since', 'fired_at', 'resolved_at', 'last_matched_at', 'updated_at', 'pending_stage',
  'stale', 'keep_firing_since', 'resolved_reason',
];

function text(value: string | null | undefined): string | null {
  return value ?? null;
}

function json(value: unknown): string | null {
  // JSON.stringify(undefined) is undefined: that becomes NULL and the NOT NULL constraint names the column.
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The row for an alert. Missing values become NULL (never a better-sqlite3 "missing parameter" error), so the
 * schema's NOT NULL and CHECK constraints are what refuse an incomplete alert; `user` is labels.user copied out.
 */
export function alertToRow(alert: Alert): AlertRow {
  const labels: unknown = alert.labels;
  return {
    fingerprint: text(alert.fingerprint),
    rule: text(alert.rule),
    host: text(alert.host),
    user: typeof labels === 'object' && labels !== null ? labelUser(alert.labels) : null,
    severity: text(alert.severity),
    stage: text(alert.stage),
    labels: json(alert.labels),
    annotations: json(alert.annotations),
    notify: json(alert.notify),
    state: text(alert.state),
    active_since: text(alert.activeSince),
    fired_at: text(alert.firedAt),
    resolved_at: text(alert.resolvedAt),
    last_matched_at: text(alert.lastMatchedAt),
    updated_at: text(alert.updatedAt),
    pending_stage: alert.pendingStage === undefined || alert.pendingStage === null ? null : JSON.stringify(alert.pendingStage),
    stale: json(alert.stale),
    keep_firing_since: text(alert.keepFiringSince),
    resolved_reason: text(alert.resolvedReason),
  };
}

function corrupt(row: AlertRow, problem: string): Error {
  return new Error(`alerts row ${String(row.fingerprint)} is corrupt: ${problem}.`);
}

function need(row: AlertRow, column: keyof AlertRow): string {
  const value = row[column];
  if (value === null) throw corrupt(row, `${column} is NULL`);
  return value;
}

function parseJson(row: AlertRow, column: 'labels' | 'annotations' | 'notify'): unknown {
  try {
    return JSON.parse(need(row, column)) as unknown;
  } catch (error) {
    throw corrupt(row, `${column} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isAnnotations(value: unknown): value is Alert['annotations'] {
  return isStringRecord(value) && Object.hasOwn(value, 'summary') && Object.hasOwn(value, 'description');
}

/** The Alert a row stores, JSON columns parsed back (JSON.parse keeps keys such as `__proto__` as plain data). */
export function rowToAlert(row: AlertRow): Alert {
  const labels = parseJson(row, 'labels');
  const annotations = parseJson(row, 'annotations');
  const notify = parseJson(row, 'notify');
  const severity = need(row, 'severity');
  const state = need(row, 'state');
  if (!isStringRecord(labels)) throw corrupt(row, 'labels is not an object of strings');
  if (!isAnnotations(annotations)) throw corrupt(row, 'annotations lacks summary or description');
  if (!Array.isArray(notify) || !notify.every((n) => typeof n === 'string')) throw corrupt(row, 'notify is not a list of strings');
  if (!(SEVERITY_ORDER as readonly string[]).includes(severity)) throw corrupt(row, `unknown severity ${severity}`);
  if (!(ALERT_STATES as readonly string[]).includes(state)) throw corrupt(row, `unknown state ${state}`);
  return {
    fingerprint: need(row, 'fingerprint'),
    rule: need(row, 'rule'),
    host: need(row, 'host'),
    severity: severity as Severity,
    stage: row.stage,
    labels,
    annotations,
    notify: notify as string[],
    state: state as AlertState,
    activeSince: need(row, 'active_since'),
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    lastMatchedAt: need(row, 'last_matched_at'),
    updatedAt: need(row, 'updated_at'),
    ...(row.pending_stage === null || row.pending_stage === undefined ? {} : { pendingStage: JSON.parse(row.pending_stage) as Alert['pendingStage'] }),
    ...(row.stale === null || row.stale === undefined ? {} : { stale: JSON.parse(row.stale) as Alert['stale'] }),
    ...(row.keep_firing_since === null || row.keep_firing_since === undefined ? {} : { keepFiringSince: row.keep_firing_since }),
    ...(row.resolved_reason === null || row.resolved_reason === undefined ? {} : { resolvedReason: row.resolved_reason as Alert['resolvedReason'] }),
  };
}
