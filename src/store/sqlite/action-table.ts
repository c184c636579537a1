import type { Database, Statement } from 'better-sqlite3';
import type { ActionResult } from '../../enforcement/action.ts';
import { cancelledAt, approved, expiredAt, storedActionSchema, withResult, type StoredAction } from '../../enforcement/stored-action.ts';
import { resolveAlertLimit } from '../memory/alert-order.ts';
import type { ActionFilter } from '../store.ts';

/** One actions row. */
export interface ActionRow {
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

/** The actions columns in schema order. */
export const ACTION_COLUMNS = 'id, host, user, state, body, created_at, not_before, expires_at, approved_by, approved_at, result';
const COLUMNS = ACTION_COLUMNS;

/** The actions table's statements (named `@column` parameters; the D1 store rewrites them to `?N`). */
export const ACTION_SQL = {
  /** Plan an action; an id already stored is kept as it is. */
  insert: `INSERT INTO actions (${COLUMNS}) VALUES (@id, @host, @user, @state, @body, @created_at, @not_before, @expires_at, @approved_by, @approved_at, @result) ON CONFLICT (id) DO NOTHING`,
  /** Write an action's new state (result, approval). */
  update: 'UPDATE actions SET state = @state, body = @body, not_before = @not_before, approved_by = @approved_by, approved_at = @approved_at, result = @result WHERE id = @id',
  /** One action by id. */
  selectOne: `SELECT ${COLUMNS} FROM actions WHERE id = ?`,
  /** A host's scheduled actions due at @now, oldest first. */
  selectDue: `SELECT ${COLUMNS} FROM actions WHERE host = @host AND state = 'scheduled' AND not_before <= @now AND expires_at > @now ORDER BY created_at, id LIMIT @limit`,
  /** Open actions whose expires_at is at or before @now. */
  selectExpiring: `SELECT ${COLUMNS} FROM actions WHERE state IN ('awaiting-approval', 'scheduled') AND expires_at <= @now`,
} as const;

/** The listActions SELECT and its named parameters for a filter: newest first, limit as listAlerts resolves it. */
export function listActionsQuery(filter: ActionFilter): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: resolveAlertLimit(filter.limit) };
  for (const key of ['host', 'state', 'user'] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    where.push(`${key} = @${key}`);
    params[key] = value;
  }
  return { sql: `SELECT ${COLUMNS} FROM actions${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY created_at DESC, id DESC LIMIT @limit`, params };
}

/** The row of a (checked) stored action. */
export function actionToRow(a: StoredAction): ActionRow {
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

/** The stored action a row holds (checked by storedActionSchema). */
export function rowToAction(row: ActionRow): StoredAction {
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
    this.insert = db.prepare(ACTION_SQL.insert);
    this.update = db.prepare(ACTION_SQL.update);
    this.selectOne = db.prepare(ACTION_SQL.selectOne);
    this.selectDue = db.prepare(ACTION_SQL.selectDue);
    this.selectExpiring = db.prepare(ACTION_SQL.selectExpiring);
  }

  /** Store planned actions; an id already there is kept as it is. Call inside the evaluation's transaction. */
  plan(actions: readonly StoredAction[]): void {
    for (const a of actions) this.insert.run(actionToRow(storedActionSchema.parse(a)));
  }

  /** Apply a host's results to its scheduled actions; others are ignored. Call inside the evaluation's transaction. */
  record(host: string, results: readonly ActionResult[]): void {
    for (const r of results) {
      const row = this.selectOne.get(r.id);
      const next = row === undefined ? null : withResult(rowToAction(row), host, r);
      if (next !== null) this.update.run(actionToRow(next));
    }
  }

  /** Stored actions with these ids. */
  get(ids: readonly string[]): StoredAction[] {
    return ids.flatMap((id) => {
      const row = this.selectOne.get(id);
      return row === undefined ? [] : [rowToAction(row)];
    });
  }

  /** A host's scheduled actions due at `now`, oldest first. */
  due(host: string, now: string, limit: number): StoredAction[] {
    return this.selectDue.all({ host, now, limit }).map(rowToAction);
  }

  /** Actions newest first, filtered. */
  list(filter: ActionFilter): StoredAction[] {
    const { sql, params } = listActionsQuery(filter);
    return (this.db.prepare(sql).all(params) as ActionRow[]).map(rowToAction);
  }

  /** awaiting-approval → scheduled. */
  approve(id: string, by: string, at: string): 'approved' | 'not-found' | 'not-awaiting' {
    const row = this.selectOne.get(id);
    if (row === undefined) return 'not-found';
    const next = approved(rowToAction(row), by, at);
    if (next === null) return 'not-awaiting';
    this.update.run(actionToRow(next));
    return 'approved';
  }

  /** These open actions are closed as cancelled; returns them. */
  cancel(ids: readonly string[], now: string, why: string): StoredAction[] {
    const out: StoredAction[] = [];
    for (const id of ids) {
      const row = this.selectOne.get(id);
      const next = row === undefined ? null : cancelledAt(rowToAction(row), now, why);
      if (next === null) continue;
      this.update.run(actionToRow(next));
      out.push(next);
    }
    return out;
  }

  /** Open actions past expiresAt become expired; returns them. */
  expire(now: string): StoredAction[] {
    const out: StoredAction[] = [];
    for (const row of this.selectExpiring.all({ now })) {
      const next = expiredAt(rowToAction(row), now);
      if (next === null) continue;
      this.update.run(actionToRow(next));
      out.push(next);
    }
    return out;
  }
}
