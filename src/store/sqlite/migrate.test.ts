import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedMigrationNames, applyMigrations, defaultMigrationsDirs, findMigrationsDir, readMigrationFiles } from './migrate.ts';

let dir: string;
let migrations: string;
let db: BetterSqlite3.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-migrate-'));
  migrations = join(dir, 'migrations');
  await mkdir(migrations);
  db = new BetterSqlite3(join(dir, 'db.sqlite'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const tables = (): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('applyMigrations', () => {
  it('applies .sql files in name order, ignoring other files', async () => {
    await writeFile(join(migrations, '0010_later.sql'), 'ALTER TABLE t ADD COLUMN b TEXT;');
    await writeFile(join(migrations, '0002_first.sql'), 'CREATE TABLE t (a TEXT);\nCREATE INDEX t_a ON t (a);');
    await writeFile(join(migrations, 'README.md'), 'not sql');
    await mkdir(join(migrations, '0099_folder.sql'));
    expect(applyMigrations(db, migrations)).toEqual(['0002_first.sql', '0010_later.sql']);
    expect((db.prepare('PRAGMA table_info(t)').all() as { name: string }[]).map((c) => c.name)).toEqual(['a', 'b']);
    expect(appliedMigrationNames(db)).toEqual(['0002_first.sql', '0010_later.sql']);
  });

  it('is idempotent and applies only files added since', async () => {
    await writeFile(join(migrations, '0001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    expect(applyMigrations(db, migrations)).toEqual(['0001_a.sql']);
    expect(applyMigrations(db, migrations)).toEqual([]);
    await writeFile(join(migrations, '0002_b.sql'), 'CREATE TABLE b (x INTEGER);');
    expect(applyMigrations(db, migrations)).toEqual(['0002_b.sql']);
    expect(db.prepare('SELECT id, name FROM d1_migrations ORDER BY id').all()).toEqual([
      { id: 1, name: '0001_a.sql' },
      { id: 2, name: '0002_b.sql' },
    ]);
  });

  it('rolls a failing file back completely, records nothing for it and keeps the earlier ones', async () => {
    await writeFile(join(migrations, '0001_ok.sql'), 'CREATE TABLE ok (x INTEGER);');
    await writeFile(join(migrations, '0002_bad.sql'), 'CREATE TABLE half (x INTEGER);\nCREATE TABLE ok (x INTEGER);');
    await writeFile(join(migrations, '0003_never.sql'), 'CREATE TABLE never (x INTEGER);');
    expect(() => applyMigrations(db, migrations)).toThrow(/Migration 0002_bad\.sql failed and was rolled back: table ok already exists/);
    expect(tables()).toEqual(['d1_migrations', 'ok']);
    expect(appliedMigrationNames(db)).toEqual(['0001_ok.sql']);
  });

  it('recognises a database migrated by wrangler (same table, same names) and applies nothing', async () => {
    await writeFile(join(migrations, '0001_init.sql'), 'CREATE TABLE t (a TEXT);');
    // What `wrangler d1 migrations apply` leaves behind.
    db.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
      id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
      CREATE TABLE t (a TEXT);
      INSERT INTO d1_migrations (name) VALUES ('0001_init.sql');`);
    expect(applyMigrations(db, migrations)).toEqual([]);
  });

  it('creates d1_migrations exactly as wrangler does', () => {
    appliedMigrationNames(db);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'd1_migrations'").get() as { sql: string }).sql;
    expect(sql.replace(/\s+/g, ' ')).toBe(
      'CREATE TABLE d1_migrations( id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL )',
    );
  });

  it('names a missing folder', () => {
    expect(() => applyMigrations(db, join(dir, 'absent'))).toThrow(`Migrations folder ${join(dir, 'absent')} does not exist.`);
  });
});

describe('findMigrationsDir', () => {
  it('returns the first folder that exists', () => {
    expect(findMigrationsDir([join(dir, 'absent'), migrations])).toBe(migrations);
  });

  it('names every folder it tried when none exists', () => {
    expect(() => findMigrationsDir([join(dir, 'x'), join(dir, 'y')])).toThrow(`No migrations folder found (looked in ${join(dir, 'x')}, ${join(dir, 'y')}).`);
  });

  it('finds the repository migrations by default', () => {
    expect(findMigrationsDir()).toBe(defaultMigrationsDirs()[0]);
  });
});

describe('the shipped migrations', () => {
  const files = readMigrationFiles(findMigrationsDir());

  it('are numbered files wrangler lists in the same order', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.name).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
    expect(files.map((f) => f.name)).toEqual(files.map((f) => f.name).sort());
  });

  it('use nothing D1 refuses: no PRAGMA, no explicit transactions, no ATTACH', () => {
    for (const file of files) {
      const code = file.sql.replace(/--[^\n]*/g, '');
      expect(code, file.name).not.toMatch(/\b(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|ATTACH|VACUUM)\b/i);
    }
  });

  it('apply cleanly on a fresh database', () => {
    expect(applyMigrations(db, findMigrationsDir())).toEqual(files.map((f) => f.name));
    expect(tables()).toEqual([
      'actions', 'alerts', 'd1_migrations', 'grants', 'group_state', 'hosts', 'notification_log', 'notification_log_fingerprints', 'notify_sent', 'outbox',
      'service_events', 'silences', 'snapshots', 'usage_history', 'user_links', 'web_sessions',
    ]);
  });
});

describe('the shipped migrations', () => {
  it('0007 keeps the snapshots a database already has, bodies included, and then accepts rows without a body', async () => {
    const shipped = findMigrationsDir();
    for (const file of readMigrationFiles(shipped).filter((f) => f.name < '0007')) await writeFile(join(migrations, file.name), file.sql);
    applyMigrations(db, migrations);
    db.prepare("INSERT INTO snapshots VALUES ('gpu1', 's1', '2026-11-25T10:00:00.000Z', '2026-11-25T10:00:01.000Z', '{\"v\":1}')").run();
    const applied = applyMigrations(db, shipped);
    expect(applied[0]).toBe('0007_snapshot_body_optional.sql');
    expect(applied).toEqual(readMigrationFiles(shipped).map((f) => f.name).filter((name) => name >= '0007'));
    db.prepare("INSERT INTO snapshots VALUES ('gpu1', 's2', '2026-11-25T10:01:00.000Z', '2026-11-25T10:01:01.000Z', NULL)").run();
    expect(db.prepare('SELECT snapshot_id, body FROM snapshots ORDER BY snapshot_id').all()).toEqual([
      { snapshot_id: 's1', body: '{"v":1}' },
      { snapshot_id: 's2', body: null },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'snapshots' AND sql IS NOT NULL").all()).toEqual([{ name: 'snapshots_host_taken_at_id' }]);
  });
});
