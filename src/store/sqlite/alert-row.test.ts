import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts/alert.ts';
import { sampleAlert } from '../contract.test-suite.ts';
import { ALERT_COLUMNS, alertToRow, rowToAlert, type AlertRow } from './alert-row.ts';

describe('alertToRow', () => {
  it('maps every field to its column, JSON columns as text, user copied from labels', () => {
    expect(alertToRow(sampleAlert())).toEqual({
      fingerprint: 'fp-1', rule: 'bare-metal-gpu', host: 'gpu1', user: 'alice', severity: 'warning', stage: null,
      labels: '{"host":"gpu1","user":"alice"}',
      annotations: '{"summary":"alice runs on the GPU outside a container","description":"pid 4242 on GPU 0"}',
      notify: '["admins","user"]', state: 'firing',
      active_since: '2026-11-25T10:00:00.000Z', fired_at: '2026-11-25T10:05:00.000Z', resolved_at: null,
      last_matched_at: '2026-11-25T10:06:00.000Z', updated_at: '2026-11-25T10:06:00.000Z', pending_stage: null, stale: null, keep_firing_since: null, resolved_reason: null,
    });
  });

  it('has exactly the columns the schema lists', () => {
    expect(Object.keys(alertToRow(sampleAlert())).sort()).toEqual([...ALERT_COLUMNS].sort());
  });

  it('turns missing values into NULL so the schema can refuse them', () => {
    const row = alertToRow({ fingerprint: 'x' } as unknown as Alert);
    expect(row.fingerprint).toBe('x');
    for (const column of ALERT_COLUMNS.filter((c) => c !== 'fingerprint')) expect(row[column], column).toBeNull();
  });

  it('takes user only from an own labels.user', () => {
    expect(alertToRow(sampleAlert({ labels: { owner: 'alice' } })).user).toBeNull();
    expect(alertToRow(sampleAlert({ labels: JSON.parse('{"__proto__":{"user":"eve"}}') as Record<string, string> })).user).toBeNull();
    expect(alertToRow(sampleAlert({ labels: { user: '' } })).user).toBe('');
  });
});

describe('rowToAlert', () => {
  const good = (): AlertRow => alertToRow(sampleAlert({ stage: 'kill', resolvedAt: '2026-11-25T11:00:00.000Z' }));

  it('inverts alertToRow', () => {
    expect(rowToAlert(good())).toStrictEqual(sampleAlert({ stage: 'kill', resolvedAt: '2026-11-25T11:00:00.000Z' }));
  });

  it('keeps __proto__ as an own data key', () => {
    const alert = rowToAlert({ ...good(), labels: '{"__proto__":"x","user":"u"}' });
    expect(Object.getPrototypeOf(alert.labels)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(alert.labels, '__proto__')?.value).toBe('x');
  });

  it.each<[string, Partial<AlertRow>, RegExp]>([
    ['bad JSON', { labels: '{nope' }, /labels is not JSON/],
    ['labels not strings', { labels: '{"a":1}' }, /labels is not an object of strings/],
    ['labels an array', { labels: '["a"]' }, /labels is not an object of strings/],
    ['annotations incomplete', { annotations: '{"summary":"s"}' }, /annotations lacks summary or description/],
    ['notify not strings', { notify: '[1]' }, /notify is not a list of strings/],
    ['unknown severity', { severity: 'meh' }, /unknown severity meh/],
    ['unknown state', { state: 'gone' }, /unknown state gone/],
    ['NULL rule', { rule: null }, /rule is NULL/],
  ])('names a corrupt row (%s)', (_, change, message) => {
    expect(() => rowToAlert({ ...good(), ...change })).toThrow(message);
    expect(() => rowToAlert({ ...good(), ...change })).toThrow(/alerts row fp-1 is corrupt/);
  });
});
