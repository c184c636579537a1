import type { Alert, AlertState } from '../../alerts/alert.ts';
import type { AlertFilter } from '../store.ts';
import { labelUser } from './alert-record.ts';

/** Position of each state in listAlerts order: firing first, then pending, then resolved. */
export const ALERT_STATE_RANK: Readonly<Record<AlertState, number>> = { firing: 0, pending: 1, resolved: 2 };

/** How many alerts listAlerts returns when the filter names no limit. */
export const DEFAULT_ALERT_LIMIT = 500;

/** The most alerts one listAlerts call returns, whatever the filter asks for. */
export const MAX_ALERT_LIMIT = 5000;

/** The limit listAlerts applies: default when absent or not a number, truncated, clamped to 1..MAX_ALERT_LIMIT. */
export function resolveAlertLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_ALERT_LIMIT;
  return Math.min(MAX_ALERT_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** Plain code-unit comparison (the same order as SQLite's BINARY collation for the ASCII used in ids and times). */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** listAlerts order: state rank, then updatedAt newest first, then fingerprint (so ties are deterministic). */
export function compareAlertsForList(a: Alert, b: Alert): number {
  return (
    ALERT_STATE_RANK[a.state] - ALERT_STATE_RANK[b.state] ||
    compareText(b.updatedAt, a.updatedAt) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** Whether an alert passes every filter that is set (undefined = no filter; user = labels.user). */
export function alertMatchesFilter(alert: Alert, filter: AlertFilter): boolean {
  return (
    (filter.host === undefined || alert.host === filter.host) &&
    (filter.rule === undefined || alert.rule === filter.rule) &&
    (filter.state === undefined || alert.state === filter.state) &&
    (filter.severity === undefined || alert.severity === filter.severity) &&
    (filter.user === undefined || labelUser(alert.labels) === filter.user)
  );
}
