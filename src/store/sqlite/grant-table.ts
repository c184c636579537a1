import type { Database, Statement } from 'better-sqlite3';
import type { Grant, GrantFilter } from '../../enforcement/grant.ts';
import { storedGrant } from '../memory/grant-record.ts';

/** One grants row as better-sqlite3 binds and returns it. */
export interface GrantRow {
  id: string;
  user: string;
  rule: string;
  until: string;
  reason: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  source: string;
}

const COLUMNS = 'id, user, rule, until, reason, created_by, created_at, revoked_at, source';

/** The grants table's statements (named parameters; the D1 store rewrites them to `?N`). Times bound as toISOString. */
export const GRANT_SQL = {
  /** Insert a grant; a reused id fails (UNIQUE). */
  insert: `INSERT INTO grants (${COLUMNS}) VALUES (@id, @user, @rule, @until, @reason, @created_by, @created_at, @revoked_at, @source)`,
  /** Whether a grant exists and when it was revoked. */
  selectOne: 'SELECT revoked_at FROM grants WHERE id = ?',
  /** Revoke unless already revoked (changes 1: it did). */
  revoke: 'UPDATE grants SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL',
  /** In force at @now: not revoked by then and until later (the same test as grantActiveAt, on canonical ISO text); @all = 1 for every grant. */
  select:
    `SELECT ${COLUMNS} FROM grants WHERE (@all = 1 OR (until > @now AND (revoked_at IS NULL OR revoked_at > @now)))` +
    ' AND (@user IS NULL OR user = @user) AND (@rule IS NULL OR rule = @rule) ORDER BY created_at DESC, id',
} as const;

/** The row of a (checked) grant. */
export function grantToRow(g: Grant): GrantRow {
  return { id: g.id, user: g.user, rule: g.rule, until: g.until, reason: g.reason, created_by: g.createdBy, created_at: g.createdAt, revoked_at: g.revokedAt, source: g.source };
}

/** The grant a row holds (checked). */
export function rowToGrant(row: GrantRow): Grant {
  return storedGrant({
    id: row.id, user: row.user, rule: row.rule, until: row.until, reason: row.reason, createdBy: row.created_by, createdAt: row.created_at,
    revokedAt: row.revoked_at, source: row.source as Grant['source'],
  });
}

/** The grants table of one connection: put, revoke, list (in force at a time, or all; by user and rule). */
export class SqliteGrantTable {
  private readonly insert: Statement<[GrantRow]>;
  private readonly selectOne: Statement<[string], { revoked_at: string | null }>;
  private readonly revoke: Statement<[{ id: string; at: string }]>;
  private readonly select: Statement<[{ now: string; all: number; user: string | null; rule: string | null }], GrantRow>;

  /** Prepares the statements (the 0009 migration must have run). */
  constructor(db: Database) {
    this.insert = db.prepare(GRANT_SQL.insert);
    this.selectOne = db.prepare(GRANT_SQL.selectOne);
    this.revoke = db.prepare(GRANT_SQL.revoke);
    this.select = db.prepare(GRANT_SQL.select);
  }

  /** Insert a checked grant; a reused id fails (UNIQUE). */
  put(grant: Grant): void {
    this.insert.run(grantToRow(storedGrant(grant)));
  }

  /** Set revokedAt = at unless the grant is unknown or already revoked; says which. */
  revokeAt(id: string, at: string): 'revoked' | 'not-found' | 'already-revoked' {
    const row = this.selectOne.get(id);
    if (row === undefined) return 'not-found';
    if (row.revoked_at !== null) return 'already-revoked';
    return this.revoke.run({ id, at: new Date(at).toISOString() }).changes === 1 ? 'revoked' : 'already-revoked';
  }

  /** The grants the filter selects at `now`; newest createdAt first, then id. */
  list(filter: GrantFilter, now: string): Grant[] {
    const rows = this.select.all({ now: new Date(now).toISOString(), all: filter.includeInactive === true ? 1 : 0, user: filter.user ?? null, rule: filter.rule ?? null });
    return rows.map(rowToGrant);
  }
}
