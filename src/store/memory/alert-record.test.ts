import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts/alert.ts';
import { sampleAlert, sampleHost, sampleSnapshot } from '../contract.test-suite.ts';
import { jsonCopy, labelUser, storedAlert, storedHostRecord, storedSnapshotRow } from './alert-record.ts';

describe('labelUser', () => {
  it('reads only an own string user label', () => {
    expect(labelUser({ user: 'alice' })).toBe('alice');
    expect(labelUser({})).toBeNull();
    expect(labelUser(Object.create({ user: 'inherited' }) as Record<string, string>)).toBeNull();
    expect(labelUser({ user: 7 } as unknown as Record<string, string>)).toBeNull();
  });
});

describe('jsonCopy', () => {
  it('detaches nested values and keeps __proto__ as data', () => {
    const source = JSON.parse('{"__proto__":{"polluted":true},"list":[1]}') as { list: number[] };
    const copy = jsonCopy(source);
    source.list.push(2);
    expect(copy.list).toEqual([1]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('storedAlert', () => {
  it('returns an equal, detached alert in the exact shape', () => {
    const alert = { ...sampleAlert(), extra: 'dropped' } as Alert;
    const stored = storedAlert(alert);
    expect(stored).toStrictEqual(sampleAlert());
    expect(stored.labels).not.toBe(alert.labels);
  });

  it('turns undefined optional fields into null', () => {
    const stored = storedAlert({ ...sampleAlert(), stage: undefined, firedAt: undefined } as unknown as Alert);
    expect(stored.stage).toBeNull();
    expect(stored.firedAt).toBeNull();
  });

  it.each([
    ['fingerprint', undefined, 'fingerprint must be a string (NOT NULL), got undefined'],
    ['rule', null, 'rule must be a string (NOT NULL), got null'],
    ['host', 3, 'host must be a string (NOT NULL), got number'],
    ['activeSince', undefined, 'activeSince must be a string'],
    ['lastMatchedAt', undefined, 'lastMatchedAt must be a string'],
    ['updatedAt', undefined, 'updatedAt must be a string'],
    ['state', 'gone', 'state must be one of pending, firing, resolved, got gone'],
    ['severity', 'meh', 'severity must be one of info, warning, critical, got meh'],
    ['labels', ['a'], 'labels must be an object'],
    ['annotations', null, 'annotations must be an object'],
    ['notify', 'admins', 'notify must be an array'],
    ['stage', 5, 'stage must be a string'],
  ])('refuses %s = %j', (field, value, message) => {
    expect(() => storedAlert({ ...sampleAlert(), [field]: value } as unknown as Alert)).toThrow(message);
  });
});

describe('storedHostRecord and storedSnapshotRow', () => {
  it('copy complete records', () => {
    expect(storedHostRecord({ ...sampleHost('h'), extra: 1 } as ReturnType<typeof sampleHost>)).toStrictEqual(sampleHost('h'));
    const row = sampleSnapshot('h', 's', '2026-11-25T10:00:00.000Z');
    expect(storedSnapshotRow(row)).toStrictEqual(row);
  });

  it('refuse a missing field, naming it', () => {
    expect(() => storedHostRecord({ ...sampleHost('h'), tracked: null } as unknown as ReturnType<typeof sampleHost>)).toThrow('host record h: tracked must be a string');
    expect(() => storedSnapshotRow({ ...sampleSnapshot('h', 's', 't'), takenAt: undefined } as unknown as ReturnType<typeof sampleSnapshot>)).toThrow(
      'snapshot h/s: takenAt must be a string',
    );
  });
});
