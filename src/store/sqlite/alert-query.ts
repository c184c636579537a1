import type { AlertFilter } from '../store.ts';
import { ALERT_COLUMNS } from './alert-row.ts';

/** The AlertFilter fields that narrow the result, each with the alerts column it compares (user = labels.user copy). */
export const FILTER_COLUMNS = { host: 'host', rule: 'rule', state: 'state', severity: 'severity', user: 'user' } as const;

/** A filter field that maps to a column. */
export type FilterKey = keyof typeof FILTER_COLUMNS;

const FILTER_KEYS = Object.keys(FILTER_COLUMNS) as FilterKey[];

/** Named parameters of a listAlerts statement: the filters that are set, plus the limit. */
export type ListAlertsParams = Partial<Record<FilterKey, string>> & { limit: number };

/** The filter fields that are set (not undefined), in a fixed order: the key of the prepared-statement cache. */
export function activeFilterKeys(filter: AlertFilter): FilterKey[] {
  return FILTER_KEYS.filter((key) => filter[key] !== undefined);
}

/** The named parameters for a filter and a resolved limit (only the active filters, as better-sqlite3 requires). */
export function listAlertsParams(filter: AlertFilter, limit: number): ListAlertsParams {
  const params: ListAlertsParams = { limit };
  for (const key of activeFilterKeys(filter)) params[key] = filter[key];
  return params;
}

/**
 * The listAlerts SELECT for a set of active filters: plain `column = @key` terms (so SQLite can use the
 * host/state/rule/user indexes), ordered firing, pending, resolved, then updated_at newest first, then fingerprint.
 */
export function listAlertsSql(keys: readonly FilterKey[]): string {
  const where = keys.length === 0 ? '' : ` WHERE ${keys.map((key) => `${FILTER_COLUMNS[key]} = @${key}`).join(' AND ')}`;
  return (
    `SELECT ${ALERT_COLUMNS.join(', ')} FROM alerts${where}` +
    " ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, updated_at DESC, fingerprint ASC" +
    ' LIMIT @limit'
  );
}
