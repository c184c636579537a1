import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, sampleLogEntry, sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { sampleGroupState } from '../contract-notify-log.test-suite.ts';
import { sampleSilence } from '../contract-silence.test-suite.ts';
import { listNotificationsSql } from './notify-tables.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

describe('listNotificationsSql', () => {
  it('selects without filters, newest first', () => {
    expect(listNotificationsSql([])).toBe(
      'SELECT l.id, l.at, l.receiver, l.group_key, l.fingerprints, l.status, l.detail FROM notification_log l ORDER BY l.at DESC, l.seq DESC LIMIT @limit',
    );
  });

  it('joins the fingerprint table for the fingerprint filter and ANDs the others', () => {
    const sql = listNotificationsSql(['receiver', 'fingerprint', 'since']);
    expect(sql).toContain('JOIN notification_log_fingerprints f ON f.log_seq = l.seq AND f.fingerprint = @fingerprint');
    expect(sql).toContain('WHERE l.receiver = @receiver AND l.at >= @since');
    expect(sql).not.toContain('LIKE');
  });
});

describe('the notification tables on a real SQLite file', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  const open = (): SqliteStore => {
    const store = openSqliteStore(file);
    stores.push(store);
    return store;
  };
  const inspect = <T>(fn: (db: BetterSqlite3.Database) => T): T => {
    const db = new BetterSqlite3(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const plan = (sql: string): string =>
    inspect((db) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n'));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-notify-'));
    file = join(dir, 'store.sqlite');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the outbox, sent keys, log, group state and silences across a restart', async () => {
    const before = open();
    await before.commitEvaluation({
      hostRecord: null, upsert: [], remove: [],
      outbox: [sampleOutboxItem({ id: 'a', dedupKey: 'ka' }), sampleOutboxItem({ id: 'b', dedupKey: 'kb' })],
      log: [sampleLogEntry({ id: 'q' })],
    });
    await before.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 's', status: 'sent', at: at(1) }) }]);
    await before.putGroupState(sampleGroupState({ repeats: 4 }));
    await before.addSilence(sampleSilence());
    await before.close();
    const after = open();
    expect(await after.dueOutbox(at(5), 10)).toStrictEqual([sampleOutboxItem({ id: 'b', dedupKey: 'kb' })]);
    await after.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'again', dedupKey: 'ka' })] });
    expect((await after.dueOutbox(at(5), 10)).map((i) => i.id)).toEqual(['b']);
    expect((await after.listNotifications({})).map((e) => e.id)).toEqual(['s', 'q']);
    expect(await after.getGroupState('admins', '{host="gpu1"}')).toStrictEqual(sampleGroupState({ repeats: 4 }));
    expect(await after.listSilences({ activeAt: at(1) })).toStrictEqual([sampleSilence()]);
  });

  it('writes one fingerprint row per distinct fingerprint of an entry', async () => {
    const store = open();
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], log: [sampleLogEntry({ fingerprints: ['x', 'y', 'x'] })] });
    const rows = inspect((db) => db.prepare('SELECT fingerprint, log_seq FROM notification_log_fingerprints ORDER BY fingerprint').all());
    expect(rows).toEqual([{ fingerprint: 'x', log_seq: 1 }, { fingerprint: 'y', log_seq: 1 }]);
    expect(inspect((db) => db.prepare('SELECT fingerprints FROM notification_log').get())).toEqual({ fingerprints: '["x","y","x"]' });
  });

  it('uses the indexes: fingerprint join, receiver, due order, sent pruning', () => {
    open();
    const byFingerprint = plan(listNotificationsSql(['fingerprint']).replace('@fingerprint', "'fp'").replace('@limit', '10'));
    expect(byFingerprint).toContain("SEARCH f USING COVERING INDEX sqlite_autoindex_notification_log_fingerprints_1 (fingerprint=?)");
    expect(byFingerprint).not.toMatch(/SCAN f\b/);
    expect(plan(listNotificationsSql(['receiver']).replace('@receiver', "'admins'").replace('@limit', '10'))).toContain('notification_log_receiver_at');
    expect(plan("SELECT * FROM outbox WHERE next_attempt_at <= 'z' ORDER BY next_attempt_at, created_at, id LIMIT 5")).toContain('outbox_due');
    expect(plan("DELETE FROM notify_sent WHERE sent_at < 'z'")).toContain('notify_sent_sent_at');
  });

  it('rolls back the alert change when the outbox item violates a constraint the JSON checks let through', async () => {
    // A second store on the same file sees the first store's queued id: the conflict is found by SQLite itself.
    const one = open();
    const two = open();
    await one.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'taken', dedupKey: 'k1' })] });
    await expect(
      two.commitEvaluation({
        hostRecord: null, upsert: [], remove: [],
        outbox: [sampleOutboxItem({ id: 'fresh', dedupKey: 'k2' }), sampleOutboxItem({ id: 'taken', dedupKey: 'k3' })],
        log: [sampleLogEntry()],
      }),
    ).rejects.toThrow('UNIQUE constraint failed: outbox.id');
    expect((await one.dueOutbox(at(0), 10)).map((i) => i.id)).toEqual(['taken']);
    expect(await one.listNotifications({})).toEqual([]);
  });

  it('reports a hand-corrupted log or silence row instead of returning garbage', async () => {
    const store = open();
    inspect((db) => {
      db.prepare("INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail) VALUES ('bad', 't', 'r', 'g', '[1]', 'sent', '')").run();
      db.prepare(
        "INSERT INTO silences (id, matchers, created_by, comment, starts_at, ends_at, expire_on_resolve, created_at) VALUES ('bad', '[{}]', 'a', 'c', 's', 'e', 0, 'c')",
      ).run();
    });
    await expect(store.listNotifications({})).rejects.toThrow('notification_log row bad is corrupt: fingerprints is not a list of strings.');
    await expect(store.listSilences({})).rejects.toThrow('silences row bad is corrupt: matchers is not a list of matchers.');
  });

  it('refuses through its CHECK constraints what a writer other than the store would put in', () => {
    open();
    inspect((db) => {
      expect(() => db.prepare("INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail) VALUES ('x', 't', 'r', 'g', '{}', 'sent', '')").run()).toThrow(
        /CHECK constraint failed/,
      );
      expect(() => db.prepare("INSERT INTO notification_log (id, at, receiver, group_key, fingerprints, status, detail) VALUES ('x', 't', 'r', 'g', '[]', 'lost', '')").run()).toThrow(
        /CHECK constraint failed/,
      );
      expect(() => db.prepare("INSERT INTO group_state VALUES ('r', 'g', 'd', 't', -1)").run()).toThrow(/CHECK constraint failed/);
      expect(() => db.prepare("INSERT INTO silences (id, matchers, created_by, comment, starts_at, ends_at, expire_on_resolve, created_at) VALUES ('x', '[]', 'a', 'c', 's', 'e', 2, 'c')").run()).toThrow(
        /CHECK constraint failed/,
      );
      expect(() => db.prepare("INSERT INTO outbox VALUES ('i', 'r', 'c', 'g', 'd', 'p', 0.5, 'n', 'c')").run()).toThrow(/CHECK constraint failed/);
    });
  });

  it('lets two stores on one file dedup against each other (the unique index, not process memory, decides)', async () => {
    const one = open();
    const two = open();
    await one.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'from-one' })] });
    await two.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'from-two' })] });
    expect((await two.dueOutbox(at(0), 10)).map((i) => i.id)).toEqual(['from-one']);
    await two.completeOutbox([{ id: 'from-one', entry: sampleLogEntry({ status: 'sent' }) }]);
    await one.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'third' })] });
    expect(await one.dueOutbox(at(0), 10)).toEqual([]);
  });
});
