import { describe, expect, it } from 'vitest';
import { sampleAlert } from '../contract.test-suite.ts';
import { alertMatchesFilter, compareAlertsForList, compareText, DEFAULT_ALERT_LIMIT, MAX_ALERT_LIMIT, resolveAlertLimit } from './alert-order.ts';

describe('resolveAlertLimit', () => {
  it.each<[number | undefined, number]>([
    [undefined, DEFAULT_ALERT_LIMIT],
    [Number.NaN, DEFAULT_ALERT_LIMIT],
    [Number.POSITIVE_INFINITY, DEFAULT_ALERT_LIMIT],
    [1, 1],
    [0, 1],
    [-3, 1],
    [12.9, 12],
    [MAX_ALERT_LIMIT, MAX_ALERT_LIMIT],
    [MAX_ALERT_LIMIT + 1, MAX_ALERT_LIMIT],
  ])('%s → %s', (limit, expected) => {
    expect(resolveAlertLimit(limit)).toBe(expected);
  });

  it('has the documented bounds', () => {
    expect([DEFAULT_ALERT_LIMIT, MAX_ALERT_LIMIT]).toEqual([500, 5000]);
  });
});

describe('compareAlertsForList', () => {
  it('puts firing before pending before resolved whatever the times', () => {
    const resolved = sampleAlert({ fingerprint: 'r', state: 'resolved', updatedAt: '2030-01-01T00:00:00.000Z' });
    const pending = sampleAlert({ fingerprint: 'p', state: 'pending', updatedAt: '2029-01-01T00:00:00.000Z' });
    const firing = sampleAlert({ fingerprint: 'f', state: 'firing', updatedAt: '2000-01-01T00:00:00.000Z' });
    expect([resolved, pending, firing].sort(compareAlertsForList).map((a) => a.fingerprint)).toEqual(['f', 'p', 'r']);
  });

  it('then newest updatedAt, then fingerprint', () => {
    const older = sampleAlert({ fingerprint: 'a', updatedAt: '2026-01-01T00:00:00.000Z' });
    const newerB = sampleAlert({ fingerprint: 'b', updatedAt: '2026-02-01T00:00:00.000Z' });
    const newerC = sampleAlert({ fingerprint: 'c', updatedAt: '2026-02-01T00:00:00.000Z' });
    expect([older, newerC, newerB].sort(compareAlertsForList).map((a) => a.fingerprint)).toEqual(['b', 'c', 'a']);
  });
});

describe('compareText', () => {
  it('compares by code unit, not locale', () => {
    expect(compareText('B', 'a')).toBe(-1);
    expect(compareText('a', 'a')).toBe(0);
    expect(compareText('ä', 'z')).toBe(1);
  });
});

describe('alertMatchesFilter', () => {
  const alert = sampleAlert({ host: 'h', rule: 'r', state: 'pending', severity: 'info', labels: { user: 'u' } });

  it('matches everything with an empty filter', () => {
    expect(alertMatchesFilter(alert, {})).toBe(true);
  });

  it('requires every set field', () => {
    expect(alertMatchesFilter(alert, { host: 'h', rule: 'r', state: 'pending', severity: 'info', user: 'u', limit: 1 })).toBe(true);
    for (const miss of [{ host: 'x' }, { rule: 'x' }, { state: 'firing' as const }, { severity: 'critical' }, { user: 'x' }, { host: '' }]) {
      expect(alertMatchesFilter(alert, miss), JSON.stringify(miss)).toBe(false);
    }
  });

  it('never matches a user through an inherited property', () => {
    expect(alertMatchesFilter(sampleAlert({ labels: {} }), { user: 'function Object() { [native code] }' })).toBe(false);
  });
});
