import type { Database, Statement } from 'better-sqlite3';
import type { ActionResult } from '../../enforcement/action.ts';
import { approved, expiredAt, storedActionSchema, withResult, type StoredAction } from '../../enforcement/stored-action.ts';
import { resolveAlertLimit } from '../memory/alert-order.ts';
import type { ActionFilter } from '../store.ts';

interface ActionRow {
  id: string;
  host: string;
  user: string | null;
  state: string;
  body: string;
  created_at: string;
  not_before: string;
  expires_at: string;
  approved_by: string | null;
  approved_at: string | null;
  result: string | null;
}

const COLUMNS = 'id, host, user, state, body, created_at, not_before, expires_at, approved_by, approved_at, result';

function toRow(a: StoredAction): ActionRow {
  return {
    id: a.action.id,
    host: a.action.host,
    user: a.action.user,
    state: a.state,
    body: JSON.stringify(a.action),
    created_at: a.createdAt,
    not_before: a.action.notBefore,
    expires_at: a.action.expiresAt,
    approved_by: a.approvedBy,
    approved_at: a.approvedAt,
    result: a.result === null ? null : JSON.stringify(a.result),
  };
}

function fromRow(row: ActionRow): StoredAction {
  return storedActionSchema.parse({
    action: JSON.parse(row.body) as unknown,
    state: row.state,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  });
}

/** The actions table (migration 0008): enforcement actions, their approval and their result. */
export class SqliteActionTable {
  private readonly insert: Statement<[ActionRow]>;
  private readonly update: Statement<[ActionRow]>;
  private readonly selectOne: Statement<[string], ActionRow>;
  private readonly selectDue: Statement<[{ host: string; now: string; limit: number }], ActionRow>;
  private readonly selectExpiring: Statement<[{ now: string }], ActionRow>;
  private readonly db: Database;

  /** Prepares the statements (the 0008 migration must have run). */
  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(`INSERT INTO actions (${COLUMNS}) VALUES (@id, @host, @user, @state, @body, @created_at, @not_before, @expires_at, @approved_by, @approved_at, @result) ON CONFLICT (id) DO NOTHING`);
    this.update = db.prepare(
      'UPDATE actions SET state = @state, body = @body, not_before = @not_before, approved_by = @approved_by, approved_at = @approved_at, result = @result WHERE id = @id',
    );
    this.selectOne = db.prepare(`SELECT ${COLUMNS} FROM actions WHERE id = ?`);
    this.selectDue = db.prepare(
      `SELECT ${COLUMNS} FROM actions WHERE host = @host AND state = 'scheduled' AND not_before <= @now AND expires_at > @now ORDER BY created_at, id LIMIT @limit`,
    );
    this.selectExpiring = db.prepare(`SELECT ${COLUMNS} FROM actions WHERE state IN ('awaiting-approval', 'scheduled') AND expires_at <= @now`);
  }

  /** Store planned actions; an id already there is kept as it is. Call inside the evaluation's transaction. */
  plan(actions: readonly StoredAction[]): void {
    for (const a of actions) this.insert.run(toRow(storedActionSchema.parse(a)));
  }

  /** Apply a host's results to its scheduled actions; others are ignored. Call inside the evaluation's transaction. */
  record(host: string, results: readonly ActionResult[]): void {
    for (const r of results) {
      const row = this.selectOne.get(r.id);
      const next = row === undefined ? null : withResult(fromRow(row), host, r);
      if (next !== null) this.update.run(toRow(next));
    }
  }

  /** Stored actions with these ids. */
  get(ids: readonly string[]): StoredAction[] {
    return ids.flatMap((id) => {
      const row = this.selectOne.get(id);
      return row === undefined ? [] : [fromRow(row)];
    });
  }

  /** A host's scheduled actions due at `now`, oldest first. */
  due(host: string, now: string, limit: number): StoredAction[] {
    return this.selectDue.all({ host, now, limit }).map(fromRow);
  }

  /** Actions newest first, filtered. */
  list(filter: ActionFilter): StoredAction[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: resolveAlertLimit(filter.limit) };
    for (const key of ['host', 'state', 'user'] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      where.push(`${key} = @${key}`);
      params[key] = value;
    }
    const sql = `SELECT ${COLUMNS} FROM actions${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as ActionRow[]).map(fromRow);
  }

  /** awaiting-approval → scheduled. */
  approve(id: string, by: string, at: string): 'approved' | 'not-found' | 'not-awaiting' {
    const row = this.selectOne.get(id);
    if (row === undefined) return 'not-found';
    const next = approved(fromRow(row), by, at);
    if (next === null) return 'not-awaiting';
    this.update.run(toRow(next));
    return 'approved';
  }

  /** Open actions past expiresAt become expired; returns them. */
  expire(now: string): StoredAction[] {
    const out: StoredAction[] = [];
    for (const row of this.selectExpiring.all({ now })) {
      const next = expiredAt(fromRow(row), now);
      if (next === null) continue;
      this.update.run(toRow(next));
      out.push(next);
    }
    return out;
  }
}
