import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { FileHandle } from 'node:fs/promises';
import { loopIterations } from '../../../test/support/loop-iterations.ts';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts/alert.ts';
import { describeStoreContract, sampleAlert, sampleHost, sampleSnapshot } from '../contract.test-suite.ts';
import { at, sampleLogEntry, sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
import { readMigrationFiles, defaultMigrationsDirs } from './migrate.ts';

const contractDirs: string[] = [];
afterAll(async () => {
  for (const dir of contractDirs) await rm(dir, { recursive: true, force: true });
});

describeStoreContract('sqlite (file)', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'gw-store-contract-'));
  contractDirs.push(dir);
  return openSqliteStore(join(dir, 'store.sqlite'), options);
});

describe('openSqliteStore on a real file', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  const open = (path = file, options: SqliteStoreOptions = {}): SqliteStore => {
    const store = openSqliteStore(path, options);
    stores.push(store);
    return store;
  };
  const inspect = <T>(fn: (db: BetterSqlite3.Database) => T): T => {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-store-'));
    file = join(dir, 'nested', 'deeper', 'gpuwarden.sqlite');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing parent folders and the file', () => {
    open();
    expect(existsSync(file)).toBe(true);
  });

  it('uses the WAL journal', () => {
    open();
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('commits without fsync on the event loop (WAL, synchronous=NORMAL): durability comes from the WAL sync', () => {
    const store = open();
    // 1 = NORMAL (0 OFF, 2 FULL, 3 EXTRA); synchronous is per connection, so ask the store's own.
    expect(store.journalSettings()).toEqual({ journalMode: 'wal', synchronous: 1 });
  });

  it('acknowledges no write before the WAL holding it is fdatasync\'d, and reports a failed sync', async () => {
    let release = (): void => undefined;
    let syncStarted = (): void => undefined;
    const started = (): Promise<void> => new Promise<void>((resolve) => { syncStarted = resolve; });
    let fail = false;
    const synced: string[] = [];
    const store = open(file, {
      walDatasync: async (h: FileHandle) => {
        const held = new Promise<void>((resolve) => { release = resolve; });
        syncStarted();
        await held;
        if (fail) throw new Error('EIO: disk gone');
        synced.push((await h.stat()).size > 0 ? 'wal' : 'empty');
      },
    });
    let acked = false;
    let syncing = started();
    const commit = store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert()], remove: [] }).then(() => { acked = true; });
    // Waits for the sync to begin (not a fixed delay: on a loaded machine the thread pool may take longer).
    await syncing;
    await new Promise((r) => setTimeout(r, 20));
    expect(acked).toBe(false);
    // Committed (readable) already, just not acknowledged.
    expect(await store.alertsForHost('gpu1')).toHaveLength(1);
    release();
    await commit;
    expect(synced).toEqual(['wal']);
    fail = true;
    syncing = started();
    const silence = store.addSilence({ id: 's1', matchers: [], startsAt: 't0', endsAt: 't1', createdBy: 'a', comment: 'c', expireOnResolve: false, createdAt: 't0', expiredAt: null });
    await syncing;
    release();
    await expect(silence).rejects.toThrow('EIO');
  });

  it('applies each migration once and records it in d1_migrations like wrangler', async () => {
    const expected = readMigrationFiles(defaultMigrationsDirs()[0] ?? '').map((m) => m.name);
    expect(expected).toContain('0001_init.sql');
    const first = open();
    await first.close();
    open();
    const rows = inspect((db) => db.prepare('SELECT id, name, applied_at FROM d1_migrations ORDER BY id').all()) as { id: number; name: string; applied_at: string }[];
    expect(rows.map((r) => r.name)).toEqual(expected);
    expect(rows.map((r) => r.id)).toEqual(expected.map((_, i) => i + 1));
    for (const row of rows) expect(row.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('has the documented tables, the user column and the indexes', () => {
    open();
    const { tables, indexes, alertColumns } = inspect((db) => ({
      tables: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
      indexes: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
      alertColumns: (db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((r) => r.name),
    }));
    expect(tables).toEqual(
      expect.arrayContaining(['alerts', 'd1_migrations', 'hosts', 'snapshots', 'outbox', 'notify_sent', 'notification_log', 'notification_log_fingerprints', 'group_state', 'silences', 'grants', 'service_events', 'usage_history', 'web_sessions', 'user_links']),
    );
    expect(indexes).toEqual([
      'actions_created', 'actions_host_state_due', 'actions_state_expires', 'alerts_host', 'alerts_rule', 'alerts_state', 'alerts_user', 'grants_user_rule', 'notification_log_at', 'notification_log_fingerprints_seq', 'notification_log_receiver_at', 'notify_sent_sent_at',
      'outbox_due', 'service_events_at', 'silences_ends_at', 'snapshots_host_taken_at_id', 'usage_history_user', 'user_links_expires', 'web_sessions_expires',
    ]);
    expect(alertColumns).toContain('user');
  });

  it('copies labels.user into the user column (null without one) and uses its index for the user filter', async () => {
    const store = open();
    await store.commitEvaluation({
      hostRecord: null,
      upsert: [sampleAlert({ fingerprint: 'u', labels: { user: 'alice' } }), sampleAlert({ fingerprint: 'n', labels: { owner: 'alice' } })],
      remove: [],
    });
    const { users, plan } = inspect((db) => ({
      users: db.prepare('SELECT fingerprint, user FROM alerts ORDER BY fingerprint').all(),
      plan: (db.prepare("EXPLAIN QUERY PLAN SELECT * FROM alerts WHERE user = 'alice'").all() as { detail: string }[]).map((r) => r.detail).join('\n'),
    }));
    expect(users).toEqual([{ fingerprint: 'n', user: null }, { fingerprint: 'u', user: 'alice' }]);
    expect(plan).toContain('alerts_user');
  });

  it('keeps everything across a restart (close, reopen the same file)', async () => {
    const before = open(file, { snapshotsKeptPerHost: 5 });
    await before.putSnapshot(sampleSnapshot('gpu1', 's1', '2026-11-25T10:00:00.000Z'));
    await before.commitEvaluation({ hostRecord: sampleHost('gpu1', { tracked: '{"n":1}' }), upsert: [sampleAlert()], remove: [] });
    await before.close();
    const after = open(file, { snapshotsKeptPerHost: 5 });
    expect(await after.putSnapshot(sampleSnapshot('gpu1', 's1', '2026-11-25T10:00:00.000Z'))).toBe('duplicate');
    expect(await after.getHost('gpu1')).toStrictEqual(sampleHost('gpu1', { tracked: '{"n":1}' }));
    expect(await after.listAlerts({})).toStrictEqual([sampleAlert()]);
  });

  it('rolls the host record back with a commit whose alert violates NOT NULL', async () => {
    const store = open();
    await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
    const broken = { ...sampleAlert(), lastMatchedAt: undefined } as unknown as Alert;
    await expect(store.commitEvaluation({ hostRecord: sampleHost('gpu1', { tracked: '{"new":true}' }), upsert: [broken], remove: [] })).rejects.toThrow(
      /NOT NULL constraint failed: alerts\.last_matched_at/,
    );
    expect(await store.getHost('gpu1')).toStrictEqual(sampleHost('gpu1'));
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM alerts').get())).toEqual({ n: 0 });
  });

  it('refuses labels that are not a JSON object through the CHECK constraint', async () => {
    const store = open();
    const listLabels = { ...sampleAlert(), labels: ['user', 'alice'] } as unknown as Alert;
    await expect(store.commitEvaluation({ hostRecord: null, upsert: [listLabels], remove: [] })).rejects.toThrow(/CHECK constraint failed/);
  });

  it('lets two stores on one file see each other’s writes', async () => {
    const one = open();
    const two = open();
    await one.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert({ fingerprint: 'from-one' })], remove: [] });
    expect(await two.getHost('gpu1')).toStrictEqual(sampleHost('gpu1'));
    await two.commitEvaluation({ hostRecord: sampleHost('gpu2'), upsert: [sampleAlert({ fingerprint: 'from-two', host: 'gpu2' })], remove: ['from-one'] });
    expect((await one.listAlerts({})).map((a) => a.fingerprint)).toEqual(['from-two']);
    expect((await one.listHosts()).map((h) => h.host)).toEqual(['gpu1', 'gpu2']);
    expect(await two.putSnapshot(sampleSnapshot('gpu1', 's1', '2026-11-25T10:00:00.000Z'))).toBe('inserted');
    expect(await one.putSnapshot(sampleSnapshot('gpu1', 's1', '2026-11-25T10:00:00.000Z'))).toBe('duplicate');
  });

  it('interleaves many writes from two stores without losing any', async () => {
    const one = open(file, { snapshotsKeptPerHost: 1000 });
    const two = open(file, { snapshotsKeptPerHost: 1000 });
    const writes: Promise<unknown>[] = [];
    for (let n = 0; n < 200; n += 1) {
      const store = n % 2 === 0 ? one : two;
      writes.push(store.putSnapshot(sampleSnapshot('gpu1', `s${n}`, `2026-11-25T10:00:${String(n % 60).padStart(2, '0')}.000Z`)));
      writes.push(store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ fingerprint: `f${n}` })], remove: [] }));
    }
    await Promise.all(writes);
    expect(await one.listSnapshots('gpu1')).toHaveLength(200);
    expect(await two.listAlerts({ limit: 5000 })).toHaveLength(200);
  });

  it('accepts :memory: as a path (no file, no folder)', async () => {
    const store = open(':memory:');
    expect(await store.putSnapshot(sampleSnapshot('gpu1', 's1', '2026-11-25T10:00:00.000Z'))).toBe('inserted');
    expect(existsSync(':memory:')).toBe(false);
  });

  it('fails naming the migrations folder when it is missing, before creating the database file', () => {
    expect(() => open(file, { migrationsDir: join(dir, 'no-such-folder') })).toThrow(`No migrations folder found (looked in ${join(dir, 'no-such-folder')}).`);
    expect(existsSync(file)).toBe(false);
  });

  it('reads back a row written by hand exactly (JSON columns parsed, nulls kept)', async () => {
    open();
    const db = new BetterSqlite3(file);
    db.prepare(
      `INSERT INTO alerts (fingerprint, rule, host, user, severity, stage, labels, annotations, notify, state, active_since, fired_at, resolved_at, last_matched_at, updated_at)
       VALUES ('h', 'r', 'gpu9', NULL, 'info', NULL, '{"__proto__":"x"}', '{"summary":"s","description":"d"}', '[]', 'pending', 't0', NULL, NULL, 't1', 't2')`,
    ).run();
    db.close();
    const [alert] = await open().alertsForHost('gpu9');
    expect(alert).toStrictEqual({
      fingerprint: 'h', rule: 'r', host: 'gpu9', severity: 'info', stage: null,
      labels: JSON.parse('{"__proto__":"x"}') as Record<string, string>,
      annotations: { summary: 's', description: 'd' }, notify: [], state: 'pending',
      activeSince: 't0', firedAt: null, resolvedAt: null, lastMatchedAt: 't1', updatedAt: 't2',
    });
  });
});

describe('group commit', () => {
  it('commits evaluations handed over in one turn together, each rolled back alone when it fails, and flushes on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-group-'));
    const path = join(dir, 'g.sqlite');
    const store = openSqliteStore(path);
    const good = (fp: string) => store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ fingerprint: fp })], remove: [] });
    const bad = store.commitEvaluation({ hostRecord: null, upsert: [{ ...sampleAlert({ fingerprint: 'bad' }), state: 'exploded' as never }], remove: [] });
    const results = await Promise.allSettled([good('a'), bad, good('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.listAlerts({})).map((a) => a.fingerprint).sort()).toEqual(['a', 'b']);
    const late = good('c');
    await store.close();
    await late;
    const again = openSqliteStore(path);
    expect((await again.listAlerts({})).map((a) => a.fingerprint).sort()).toEqual(['a', 'b', 'c']);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('completing a large message group', () => {
  it('writes 250 items in slices over several event-loop turns, all of them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-slices-'));
    // A sync that takes no turn of its own, so only the slicing can make the turns counted here.
    const store = openSqliteStore(join(dir, 'g.sqlite'), { walDatasync: async () => undefined });
    try {
      const items = Array.from({ length: 250 }, (_, i) => sampleOutboxItem({ id: `o${i}`, dedupKey: `k${i}` }));
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: items });
      const loop = loopIterations();
      const start = loop.now();
      await store.completeOutbox(items.map((item) => ({ id: item.id, entry: sampleLogEntry({ id: `l-${item.id}`, status: 'sent' }) })));
      loop.stop();
      expect(loop.now() - start).toBeGreaterThanOrEqual(2);
      expect(await store.dueOutbox(at(100), 1000)).toEqual([]);
      expect(await store.listNotifications({ limit: 1000 })).toHaveLength(250);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
