// The actions table over D1: the SQLite store's statements (ACTION_SQL), its row mapping and its pure transitions
// (withResult, approved, expiredAt). Where the SQLite store reads, decides and writes inside one transaction, the
// D1 store reads, decides, then writes with an UPDATE whose WHERE re-checks the state it decided from: a change
// made in between makes the write a no-op instead of being overwritten.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/index.ts';
import type { ActionResult } from '../../enforcement/action.ts';
import { cancelledAt, approved, expiredAt, storedActionSchema, withResult, type StoredAction } from '../../enforcement/stored-action.ts';
import type { ActionFilter } from '../store.ts';
import { ACTION_COLUMNS, ACTION_SQL, actionToRow, listActionsQuery, rowToAction, type ActionRow } from '../sqlite/action-table.ts';
import { chunks, D1_MAX_BOUND_PARAMETERS, placeholders, prepareNamed } from './named-sql.ts';

// ACTION_SQL.update, applied only while the row is still in the state the new one was computed from. A scheduled
// action changes only by leaving that state (result, expiry), so `state = @was` proves nothing else touched it.
const UPDATE_IF_STATE = `${ACTION_SQL.update} AND state = @was`;
// A result applies only to a scheduled action of the host that reports it (withResult's test, in SQL).
const UPDATE_IF_SCHEDULED_FOR_HOST = `${ACTION_SQL.update} AND state = 'scheduled' AND host = @reporter`;

/** Stored actions with these ids, in the order asked (an id asked twice is returned twice; unknown ids left out). */
export async function getActions(db: D1Database, ids: readonly string[]): Promise<StoredAction[]> {
  const byId = new Map<string, StoredAction>();
  for (const slice of chunks([...new Set(ids)], D1_MAX_BOUND_PARAMETERS)) {
    const { results } = await db.prepare(`SELECT ${ACTION_COLUMNS} FROM actions WHERE id IN ${placeholders(slice.length)}`).bind(...slice).all<ActionRow>();
    for (const row of results) byId.set(row.id, rowToAction(row));
  }
  return ids.flatMap((id) => {
    const found = byId.get(id);
    return found === undefined ? [] : [found];
  });
}

/**
 * For an evaluation's batch: insert the planned actions (an id already stored is left as it is: ON CONFLICT DO
 * NOTHING) and apply the host's results. The results are decided from the actions as read now (or as planned by
 * this very commit when not stored yet) and written by UPDATEs that re-check `state = 'scheduled' AND host = ?`,
 * so inside the batch a result lands only on an action that is still scheduled for that host.
 */
export async function planAndRecordStatements(
  db: D1Database,
  planned: readonly StoredAction[],
  results: { host: string; results: readonly ActionResult[] } | undefined,
): Promise<D1PreparedStatement[]> {
  const checked = planned.map((a) => storedActionSchema.parse(a));
  const statements = checked.map((a) => prepareNamed(db, ACTION_SQL.insert, actionToRow(a)));
  if (results === undefined || results.results.length === 0) return statements;
  const current = new Map((await getActions(db, results.results.map((r) => r.id))).map((a) => [a.action.id, a]));
  for (const a of checked) if (!current.has(a.action.id)) current.set(a.action.id, a);
  for (const r of results.results) {
    const stored = current.get(r.id);
    const next = stored === undefined ? null : withResult(stored, results.host, r);
    if (next === null) continue;
    statements.push(prepareNamed(db, UPDATE_IF_SCHEDULED_FOR_HOST, { ...actionToRow(next), reporter: results.host }));
    current.set(r.id, next); // a second result for the same action is ignored, as the SQLite store's re-read does
  }
  return statements;
}

/** A host's scheduled actions due at `now`, oldest first. */
export async function dueActions(db: D1Database, host: string, now: string, limit: number): Promise<StoredAction[]> {
  const { results } = await prepareNamed(db, ACTION_SQL.selectDue, { host, now, limit }).all<ActionRow>();
  return results.map(rowToAction);
}

/** Actions newest first, filtered. */
export async function listActions(db: D1Database, filter: ActionFilter): Promise<StoredAction[]> {
  const { sql, params } = listActionsQuery(filter);
  const { results } = await prepareNamed(db, sql, params).all<ActionRow>();
  return results.map(rowToAction);
}

/** awaiting-approval → scheduled: read, decide, then one UPDATE that applies only while still awaiting approval. */
export async function approveAction(db: D1Database, id: string, by: string, at: string): Promise<'approved' | 'not-found' | 'not-awaiting'> {
  const row = await db.prepare(ACTION_SQL.selectOne).bind(id).first<ActionRow>();
  if (row === null) return 'not-found';
  const next = approved(rowToAction(row), by, at);
  if (next === null) return 'not-awaiting';
  const { meta } = await prepareNamed(db, UPDATE_IF_STATE, { ...actionToRow(next), was: 'awaiting-approval' }).run();
  return meta.changes === 1 ? 'approved' : 'not-awaiting';
}

/**
 * The expiry of the open actions past expiresAt at `now`, read now: each action as it would become, with the UPDATE
 * that writes it only while the action is still in the state it was read in (an action approved or closed
 * meanwhile is left alone).
 */
export async function expiryPlan(db: D1Database, now: string): Promise<{ expired: StoredAction[]; statements: D1PreparedStatement[] }> {
  const { results } = await prepareNamed(db, ACTION_SQL.selectExpiring, { now }).all<ActionRow>();
  const expired: StoredAction[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const row of results) {
    const next = expiredAt(rowToAction(row), now);
    if (next === null) continue;
    expired.push(next);
    statements.push(prepareNamed(db, UPDATE_IF_STATE, { ...actionToRow(next), was: row.state }));
  }
  return { expired, statements };
}

/** Open actions past expiresAt become expired: the expiryPlan as one batch; returns the actions its UPDATEs changed. */
export async function expireActions(db: D1Database, now: string): Promise<StoredAction[]> {
  const { expired, statements } = await expiryPlan(db, now);
  if (statements.length === 0) return [];
  const written = await db.batch(statements);
  return expired.filter((_, i) => written[i]?.meta.changes === 1);
}

/** These open actions are closed as cancelled: read, then one batch of UPDATEs each applying only while the action is still in the state it was read in. */
export async function cancelActions(db: D1Database, ids: readonly string[], now: string, why: string): Promise<StoredAction[]> {
  const cancelled: StoredAction[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const id of ids) {
    const row = await db.prepare(ACTION_SQL.selectOne).bind(id).first<ActionRow>();
    const next = row === null ? null : cancelledAt(rowToAction(row), now, why);
    if (row === null || next === null) continue;
    cancelled.push(next);
    statements.push(prepareNamed(db, UPDATE_IF_STATE, { ...actionToRow(next), was: row.state }));
  }
  if (statements.length === 0) return [];
  const written = await db.batch(statements);
  return cancelled.filter((_, i) => written[i]?.meta.changes === 1);
}
