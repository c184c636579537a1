import { describe, expect, it } from 'vitest';
import { sampleGroupState } from '../contract-notify-log.test-suite.ts';
import { sampleLogEntry, sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { sampleSilence } from '../contract-silence.test-suite.ts';
import type { GroupState, NotificationLogEntry, OutboxItem, Silence } from '../store.ts';
import { copySilence, NOTIFICATION_STATUSES, storedGroupState, storedLogEntry, storedOutboxItem, storedSilence } from './notify-record.ts';

describe('storedOutboxItem', () => {
  it('copies a complete item', () => {
    const item = sampleOutboxItem();
    const copy = storedOutboxItem(item);
    expect(copy).toStrictEqual(item);
    expect(copy).not.toBe(item);
  });

  it('names a missing or wrongly typed field', () => {
    expect(() => storedOutboxItem({ ...sampleOutboxItem(), channelKey: null } as unknown as OutboxItem)).toThrow(
      'outbox item o-1: channelKey must be a string (NOT NULL), got null.',
    );
    expect(() => storedOutboxItem({ ...sampleOutboxItem(), payload: { a: 1 } } as unknown as OutboxItem)).toThrow(
      'outbox item o-1: payload must be a string (NOT NULL), got object.',
    );
    expect(() => storedOutboxItem(sampleOutboxItem({ attempts: -1 }))).toThrow('outbox item o-1: attempts must be a whole number of at least 0, got -1.');
  });

  it('drops fields the table has no column for', () => {
    const extra = { ...sampleOutboxItem(), secret: 'x' } as OutboxItem;
    expect(Object.keys(storedOutboxItem(extra))).not.toContain('secret');
  });
});

describe('storedLogEntry', () => {
  it('copies a complete entry with its own fingerprint list', () => {
    const entry = sampleLogEntry({ fingerprints: ['a', 'b'] });
    const copy = storedLogEntry(entry);
    expect(copy).toStrictEqual(entry);
    expect(copy.fingerprints).not.toBe(entry.fingerprints);
  });

  it('accepts every known status and refuses others', () => {
    for (const status of NOTIFICATION_STATUSES) expect(storedLogEntry(sampleLogEntry({ status })).status).toBe(status);
    expect(() => storedLogEntry(sampleLogEntry({ status: 'lost' as NotificationLogEntry['status'] }))).toThrow(
      'notification log entry l-1: status must be one of queued, sent, failed, retried, silenced, inhibited, got lost.',
    );
  });

  it('refuses fingerprints that are not a list of strings', () => {
    expect(() => storedLogEntry({ ...sampleLogEntry(), fingerprints: null } as unknown as NotificationLogEntry)).toThrow('fingerprints must be an array');
    expect(() => storedLogEntry({ ...sampleLogEntry(), fingerprints: ['a', 2] } as unknown as NotificationLogEntry)).toThrow(
      'notification log entry l-1: fingerprints[1] must be a string (NOT NULL), got number.',
    );
  });
});

describe('storedGroupState', () => {
  it('copies a complete state and refuses a bad repeats count', () => {
    expect(storedGroupState(sampleGroupState())).toStrictEqual(sampleGroupState());
    expect(() => storedGroupState(sampleGroupState({ repeats: 1.5 }))).toThrow('repeats must be a whole number of at least 0, got 1.5.');
    expect(() => storedGroupState({ ...sampleGroupState(), repeats: '1' } as unknown as GroupState)).toThrow(/repeats/);
  });
});

describe('storedSilence', () => {
  it('copies a complete silence, matchers included', () => {
    const silence = sampleSilence();
    const copy = storedSilence(silence);
    expect(copy).toStrictEqual(silence);
    expect(copy.matchers[0]).not.toBe(silence.matchers[0]);
  });

  it('stores an undefined expiredAt as null', () => {
    expect(storedSilence({ ...sampleSilence(), expiredAt: undefined } as unknown as Silence).expiredAt).toBeNull();
  });

  it('refuses bad matchers and a non-boolean expireOnResolve', () => {
    const bad = (patch: Record<string, unknown>): Silence => ({ ...sampleSilence(), ...patch }) as unknown as Silence;
    expect(() => storedSilence(bad({ matchers: 'user=alice' }))).toThrow('silence s-1: matchers must be an array (NOT NULL).');
    expect(() => storedSilence(bad({ matchers: [null] }))).toThrow('silence s-1: matchers[0] must be an object.');
    expect(() => storedSilence(bad({ matchers: [{ name: 'a', value: 'b', isRegex: 'no', isEqual: true }] }))).toThrow('matchers[0] needs boolean isRegex and isEqual');
    expect(() => storedSilence(bad({ matchers: [{ name: 'a', value: 3, isRegex: false, isEqual: true }] }))).toThrow('matchers[0].value must be a string');
    expect(() => storedSilence(bad({ expireOnResolve: 1 }))).toThrow('silence s-1: expireOnResolve must be a boolean (NOT NULL).');
  });
});

describe('copySilence', () => {
  it('shares nothing with the original', () => {
    const silence = sampleSilence();
    const copy = copySilence(silence);
    copy.matchers[0]!.value = 'changed';
    expect(silence.matchers[0]?.value).toBe('alice');
  });
});
