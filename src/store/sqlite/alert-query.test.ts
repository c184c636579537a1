import { describe, expect, it } from 'vitest';
import { activeFilterKeys, listAlertsParams, listAlertsSql } from './alert-query.ts';

describe('listAlerts query', () => {
  it('lists the set filters in a fixed order, empty strings included', () => {
    expect(activeFilterKeys({})).toEqual([]);
    expect(activeFilterKeys({ user: 'u', host: '', limit: 3 })).toEqual(['host', 'user']);
    expect(activeFilterKeys({ severity: 'info', state: 'firing', rule: 'r', host: 'h', user: 'u' })).toEqual(['host', 'rule', 'state', 'severity', 'user']);
  });

  it('binds only the set filters plus the limit', () => {
    expect(listAlertsParams({ host: 'h', state: 'pending', limit: 9 }, 7)).toEqual({ host: 'h', state: 'pending', limit: 7 });
    expect(listAlertsParams({}, 500)).toEqual({ limit: 500 });
  });

  it('builds plain equality terms, the user column for the user filter, and the documented order', () => {
    expect(listAlertsSql([])).not.toContain('WHERE');
    const sql = listAlertsSql(['host', 'user']);
    expect(sql).toContain(' WHERE host = @host AND user = @user ORDER BY ');
    expect(sql).toContain("CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, updated_at DESC, fingerprint ASC");
    expect(sql.endsWith(' LIMIT @limit')).toBe(true);
  });
});
