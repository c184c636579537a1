import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

/** The table wrangler records applied D1 migrations in; this runner uses the very same one. */
export const MIGRATIONS_TABLE = 'd1_migrations';

// Byte for byte wrangler's own definition (wrangler 4 `initMigrationsTable`), so either tool accepts the other's table.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

/** One migration file: its file name (what d1_migrations records) and its SQL text. */
export interface MigrationFile {
  name: string;
  sql: string;
}

/** The migration folders to look in: beside the sources (`src/store/migrations`), or `migrations/` next to a bundle. */
export function defaultMigrationsDirs(): string[] {
  return [fileURLToPath(new URL('../migrations/', import.meta.url)), fileURLToPath(new URL('./migrations/', import.meta.url))];
}

/** The first of `dirs` that exists; throws a plain sentence naming them all when none does. */
export function findMigrationsDir(dirs: readonly string[] = defaultMigrationsDirs()): string {
  const found = dirs.find((dir) => existsSync(dir));
  if (found === undefined) throw new Error(`No migrations folder found (looked in ${dirs.join(', ')}).`);
  return found;
}

/** The `*.sql` files of a folder in name order (the order wrangler applies them in). */
export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`Migrations folder ${dir} does not exist.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Names already recorded in d1_migrations (creating the table when missing), in the order applied. */
export function appliedMigrationNames(db: Database): string[] {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const rows = db.prepare<[], { name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`).all();
  return rows.map((row) => row.name);
}

/**
 * Applies the migration files of `dir` that d1_migrations does not list yet, in name order, each in its own
 * IMMEDIATE transaction together with its d1_migrations row (so two processes opening one file never apply a
 * file twice, and a failing file leaves no trace). Returns the names applied now; [] when up to date.
 */
export function applyMigrations(db: Database, dir: string): string[] {
  const files = readMigrationFiles(dir);
  db.exec(CREATE_MIGRATIONS_TABLE);
  const isApplied = db.prepare<[string], { found: number }>(`SELECT 1 AS found FROM ${MIGRATIONS_TABLE} WHERE name = ?`);
  const record = db.prepare<[string]>(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`);
  const applyOne = db.transaction((file: MigrationFile): boolean => {
    if (isApplied.get(file.name) !== undefined) return false;
    db.exec(file.sql);
    record.run(file.name);
    return true;
  });
  const applied: string[] = [];
  for (const file of files) {
    try {
      if (applyOne.immediate(file)) applied.push(file.name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Migration ${file.name} failed and was rolled back: ${message}`, { cause: error });
    }
  }
  return applied;
}
