import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { applyMigrations, findMigrationsDir } from './migrate.ts';
import { openSqliteStore } from './sqlite-store.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('0011 turns the reload rows of 0010 into config.reload / config.reload_failed events, in their order', async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-event-migration-'));
  const all = findMigrationsDir();
  const upTo10 = join(dir, 'm');
  await mkdir(upTo10);
  for (const name of await readdir(all)) if (name.endsWith('.sql') && name < '0011') await copyFile(join(all, name), join(upTo10, name));
  const path = join(dir, 'db.sqlite');
  const db = new BetterSqlite3(path);
  applyMigrations(db, upTo10);
  const insert = db.prepare('INSERT INTO service_events (id, at, kind, by, outcome, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run('r1', '2026-11-25T10:00:00.000Z', 'reload', 'SIGHUP', 'failed', 'kept: 1 problem', JSON.stringify(['rules/a.json: bad']));
  insert.run('r2', '2026-11-25T09:00:00.000Z', 'reload', 'admin:ops', 'ok', '3 → 4 rules', '[]');
  db.close();
  const store = openSqliteStore(path);
  try {
    expect((await store.listEvents({})).events).toStrictEqual([
      { id: 'r1', at: '2026-11-25T10:00:00.000Z', type: 'config.reload_failed', details: { by: 'SIGHUP', summary: 'kept: 1 problem', lines: ['rules/a.json: bad'] } },
      { id: 'r2', at: '2026-11-25T09:00:00.000Z', type: 'config.reload', details: { by: 'admin:ops', summary: '3 → 4 rules', lines: [] } },
    ]);
  } finally {
    await store.close();
  }
});
