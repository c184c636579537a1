import type { Database, Statement } from 'better-sqlite3';
import type { EventFilter, ServiceEvent } from '../store.ts';

/** One service_events row as better-sqlite3 binds and returns it. */
export interface EventRow {
  id: string;
  at: string;
  kind: string;
  by: string;
  outcome: string;
  summary: string;
  details: string;
}

/** Events listed when no limit is given, and the most one call returns. */
export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

/** The service_events statements (named parameters; the D1 store rewrites them to `?N`). */
export const EVENT_SQL = {
  /** Append an event; a reused id fails (UNIQUE). */
  insert: 'INSERT INTO service_events (id, at, kind, by, outcome, summary, details) VALUES (@id, @at, @kind, @by, @outcome, @summary, @details)',
  /** Newest first (by time, then insertion), optionally of one kind. */
  select: 'SELECT id, at, kind, by, outcome, summary, details FROM service_events WHERE (@kind IS NULL OR kind = @kind) ORDER BY at DESC, seq DESC LIMIT @limit',
} as const;

/** The row of an event (time normalised to toISOString, details as JSON text). */
export function eventToRow(e: ServiceEvent): EventRow {
  return { id: e.id, at: new Date(e.at).toISOString(), kind: e.kind, by: e.by, outcome: e.outcome, summary: e.summary, details: JSON.stringify(e.details) };
}

/** The event a row holds. */
export function rowToEvent(row: EventRow): ServiceEvent {
  return { id: row.id, at: row.at, kind: row.kind as ServiceEvent['kind'], by: row.by, outcome: row.outcome as ServiceEvent['outcome'], summary: row.summary, details: JSON.parse(row.details) as string[] };
}

/** The bound parameters of a listing: kind or null, and the limit clamped to 1..MAX_EVENT_LIMIT. */
export function eventListParams(filter: EventFilter): { kind: string | null; limit: number } {
  return { kind: filter.kind ?? null, limit: Math.min(Math.max(1, Math.floor(filter.limit ?? DEFAULT_EVENT_LIMIT)), MAX_EVENT_LIMIT) };
}

/** The service_events table of one connection: append, list newest first. */
export class SqliteEventTable {
  private readonly insert: Statement<[EventRow]>;
  private readonly select: Statement<[{ kind: string | null; limit: number }], EventRow>;

  /** Prepares the statements (the 0010 migration must have run). */
  constructor(db: Database) {
    this.insert = db.prepare(EVENT_SQL.insert);
    this.select = db.prepare(EVENT_SQL.select);
  }

  /** Append one event. */
  add(event: ServiceEvent): void {
    this.insert.run(eventToRow(event));
  }

  /** Events newest first. */
  list(filter: EventFilter): ServiceEvent[] {
    return this.select.all(eventListParams(filter)).map(rowToEvent);
  }
}
