import { describe, expect, it } from 'vitest';
import { sampleGroupState } from '../contract-notify-log.test-suite.ts';
import { sampleLogEntry, sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { sampleSilence } from '../contract-silence.test-suite.ts';
import {
  groupStateToRow, logToRow, outboxToRow, rowToGroupState, rowToLog, rowToOutbox, rowToSilence, silenceToRow,
} from './notify-rows.ts';

describe('notification rows', () => {
  it('round-trip an outbox item through snake_case columns', () => {
    const row = outboxToRow(sampleOutboxItem({ attempts: 3 }));
    expect(row).toMatchObject({ channel_key: 'slack:3f2a', dedup_key: 'fp-1|admins|firing', attempts: 3, next_attempt_at: sampleOutboxItem().nextAttemptAt });
    expect(rowToOutbox(row)).toStrictEqual(sampleOutboxItem({ attempts: 3 }));
  });

  it('round-trip a log entry, fingerprints as JSON text', () => {
    const entry = sampleLogEntry({ fingerprints: ['a', '"b"'], status: 'inhibited' });
    const row = logToRow(entry);
    expect(row.fingerprints).toBe('["a","\\"b\\""]');
    expect(rowToLog(row)).toStrictEqual(entry);
  });

  it('report a log row that is not what the store writes', () => {
    const row = logToRow(sampleLogEntry({ id: 'x' }));
    expect(() => rowToLog({ ...row, fingerprints: '[' })).toThrow('notification_log row x is corrupt: fingerprints is not JSON.');
    expect(() => rowToLog({ ...row, fingerprints: '{}' })).toThrow('fingerprints is not a list of strings');
    expect(() => rowToLog({ ...row, status: 'lost' })).toThrow('notification_log row x is corrupt: unknown status lost.');
  });

  it('round-trip a group state', () => {
    const row = groupStateToRow(sampleGroupState({ repeats: 2 }));
    expect(row).toEqual({ receiver: 'admins', group_key: '{host="gpu1"}', last_digest: 'fp-1:firing', last_sent_at: sampleGroupState().lastSentAt, repeats: 2 });
    expect(rowToGroupState(row)).toStrictEqual(sampleGroupState({ repeats: 2 }));
  });

  it('round-trip a silence, expireOnResolve as 0/1', () => {
    for (const expireOnResolve of [true, false]) {
      const silence = sampleSilence({ expireOnResolve, expiredAt: expireOnResolve ? 'later' : null });
      const row = silenceToRow(silence);
      expect(row.expire_on_resolve).toBe(expireOnResolve ? 1 : 0);
      expect(rowToSilence(row)).toStrictEqual(silence);
    }
  });

  it('report a silence row whose matchers are not JSON matchers', () => {
    const row = silenceToRow(sampleSilence({ id: 'y' }));
    expect(() => rowToSilence({ ...row, matchers: 'user=alice' })).toThrow('silences row y is corrupt: matchers is not JSON.');
    expect(() => rowToSilence({ ...row, matchers: '[{"name":"a","value":"b","isRegex":0,"isEqual":true}]' })).toThrow('matchers is not a list of matchers');
  });

  it('keep only the matcher fields from a row', () => {
    const row = silenceToRow(sampleSilence());
    const withExtra = { ...row, matchers: '[{"name":"a","value":"b","isRegex":false,"isEqual":true,"extra":1}]' };
    expect(rowToSilence(withExtra).matchers).toStrictEqual([{ name: 'a', value: 'b', isRegex: false, isEqual: true }]);
  });
});
