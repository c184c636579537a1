import type { Database, Statement } from 'better-sqlite3';
import { eventSchema, type GwEvent } from '../../events/event.ts';
import type { EventFilter, EventPage, EventRetention } from '../store.ts';

/** One service_events row as better-sqlite3 binds and returns it (seq is assigned on insert). */
export interface EventRow {
  seq?: number;
  id: string;
  at: string;
  type: string;
  host: string | null;
  user: string | null;
  subject: string | null;
  details: string;
}

/** Events listed when no limit is given, and the most one call returns. */
export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

/** Retention of the event log when the caller names none: 30 days, and at most 100,000 events. */
export const DEFAULT_EVENT_RETENTION: EventRetention = { maxAgeMs: 30 * 24 * 3600 * 1000, maxCount: 100_000 };

/** The bound parameters of a listing. */
export interface EventListParams {
  type: string | null;
  host: string | null;
  user: string | null;
  since: string | null;
  after: number | null;
  limit: number;
}

const COLUMNS = 'seq, id, at, type, host, user, subject, details';
const WHERE = '(@type IS NULL OR substr(type, 1, length(@type)) = @type) AND (@host IS NULL OR host = @host) AND (@user IS NULL OR user = @user) AND (@since IS NULL OR at >= @since)';

/** The service_events statements (named parameters; the D1 store rewrites them to `?N`). */
export const EVENT_SQL = {
  /** Append an event; a reused id fails (UNIQUE). */
  insert: 'INSERT INTO service_events (id, at, type, host, user, subject, details) VALUES (@id, @at, @type, @host, @user, @subject, @details)',
  /** The first `limit` matching events after the cursor, oldest first. */
  selectAfter: `SELECT ${COLUMNS} FROM service_events WHERE seq > @after AND ${WHERE} ORDER BY seq LIMIT @limit`,
  /** The newest `limit` matching events, oldest first (newest last). */
  selectLatest: `SELECT ${COLUMNS} FROM (SELECT ${COLUMNS} FROM service_events WHERE @after IS NULL AND ${WHERE} ORDER BY seq DESC LIMIT @limit) ORDER BY seq`,
  /** Drop events older than the cutoff. */
  pruneAge: 'DELETE FROM service_events WHERE at < @cutoff',
  /** Keep only the newest `keep` events. */
  pruneCount: 'DELETE FROM service_events WHERE seq <= (SELECT seq FROM service_events ORDER BY seq DESC LIMIT 1 OFFSET @keep)',
} as const;

/** The row of an event, checked against eventSchema (time normalised to toISOString, details as JSON text). */
export function eventToRow(input: GwEvent): EventRow {
  const e = eventSchema.parse(input);
  return { id: e.id, at: new Date(e.at).toISOString(), type: e.type, host: e.host ?? null, user: e.user ?? null, subject: e.subject ?? null, details: JSON.stringify(e.details) };
}

/** The event a row holds (absent fields left out). */
export function rowToEvent(row: EventRow): GwEvent {
  return {
    id: row.id,
    at: row.at,
    type: row.type as GwEvent['type'],
    ...(row.host === null ? {} : { host: row.host }),
    ...(row.user === null ? {} : { user: row.user }),
    ...(row.subject === null ? {} : { subject: row.subject }),
    details: JSON.parse(row.details) as GwEvent['details'],
  };
}

/** The bound parameters of a listing: each filter or null, the limit clamped to 1..MAX_EVENT_LIMIT. */
export function eventListParams(filter: EventFilter): EventListParams {
  return {
    type: filter.type ?? null,
    host: filter.host ?? null,
    user: filter.user ?? null,
    since: filter.since === undefined ? null : new Date(filter.since).toISOString(),
    after: filter.after ?? null,
    limit: Math.min(Math.max(1, Math.floor(filter.limit ?? DEFAULT_EVENT_LIMIT)), MAX_EVENT_LIMIT),
  };
}

/** The page of listed rows: their events, and the cursor after the last (or the one given when nothing is new). */
export function eventPage(rows: readonly EventRow[], params: EventListParams): EventPage {
  const last = rows.at(-1);
  const next = last?.seq !== undefined ? String(last.seq) : params.after === null ? null : String(params.after);
  return { events: rows.map(rowToEvent), next };
}

/** Whether a row passes a listing's filters (the memory store's WHERE). */
export function eventMatches(row: EventRow, p: EventListParams): boolean {
  return (p.type === null || row.type.startsWith(p.type)) && (p.host === null || row.host === p.host) && (p.user === null || row.user === p.user) && (p.since === null || row.at >= p.since);
}

/** The prune parameters: the age cutoff as of `now`, and how many to keep. */
export function eventPruneParams(now: string, retention: EventRetention = DEFAULT_EVENT_RETENTION): { cutoff: string; keep: number } {
  return { cutoff: new Date(Date.parse(now) - retention.maxAgeMs).toISOString(), keep: Math.max(0, Math.floor(retention.maxCount)) };
}

/** The service_events table of one connection: append, list by cursor, prune. */
export class SqliteEventTable {
  private readonly insert: Statement<[EventRow]>;
  private readonly selectAfter: Statement<[EventListParams], EventRow>;
  private readonly selectLatest: Statement<[EventListParams], EventRow>;
  private readonly pruneAge: Statement<[{ cutoff: string }]>;
  private readonly pruneCount: Statement<[{ keep: number }]>;

  /** Prepares the statements (the 0011 migration must have run). */
  constructor(db: Database) {
    this.insert = db.prepare(EVENT_SQL.insert);
    this.selectAfter = db.prepare(EVENT_SQL.selectAfter);
    this.selectLatest = db.prepare(EVENT_SQL.selectLatest);
    this.pruneAge = db.prepare(EVENT_SQL.pruneAge);
    this.pruneCount = db.prepare(EVENT_SQL.pruneCount);
  }

  /** Append one event (call inside a transaction to make it part of one). */
  add(event: GwEvent): void {
    this.insert.run(eventToRow(event));
  }

  /** A page of events, newest last. */
  list(filter: EventFilter): EventPage {
    const params = eventListParams(filter);
    return eventPage((params.after === null ? this.selectLatest : this.selectAfter).all(params), params);
  }

  /** Drop events past the retention; returns how many went. */
  prune(now: string, retention?: EventRetention): number {
    const p = eventPruneParams(now, retention);
    return this.pruneAge.run({ cutoff: p.cutoff }).changes + this.pruneCount.run({ keep: p.keep }).changes;
  }
}
