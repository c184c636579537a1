// Rows of the 0003 tables (outbox, notification_log, group_state, silences) as better-sqlite3 binds and returns
// them, and the records they hold. Records are checked by the memory store's functions before they are bound, so
// both stores refuse the same input with the same message; the schema's constraints remain the backstop (D1).
import { NOTIFICATION_STATUSES } from '../memory/notify-record.ts';
import type { GroupState, NotificationLogEntry, OutboxItem, Silence } from '../store.ts';

/** One outbox row. */
export interface OutboxRow {
  id: string;
  receiver: string;
  channel_key: string;
  group_key: string;
  dedup_key: string;
  payload: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
}

/** One notification_log row (fingerprints as JSON text). */
export interface LogRow {
  id: string;
  at: string;
  receiver: string;
  group_key: string;
  fingerprints: string;
  status: string;
  detail: string;
}

/** One group_state row. */
export interface GroupStateRow {
  receiver: string;
  group_key: string;
  last_digest: string;
  last_sent_at: string;
  repeats: number;
}

/** One silences row (matchers as JSON text, expire_on_resolve as 0/1). */
export interface SilenceRow {
  id: string;
  matchers: string;
  created_by: string;
  comment: string;
  starts_at: string;
  ends_at: string;
  expire_on_resolve: number;
  created_at: string;
  expired_at: string | null;
}

/** The row of a (checked) outbox item. */
export function outboxToRow(item: OutboxItem): OutboxRow {
  return {
    id: item.id,
    receiver: item.receiver,
    channel_key: item.channelKey,
    group_key: item.groupKey,
    dedup_key: item.dedupKey,
    payload: item.payload,
    attempts: item.attempts,
    next_attempt_at: item.nextAttemptAt,
    created_at: item.createdAt,
  };
}

/** The outbox item a row holds. */
export function rowToOutbox(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    receiver: row.receiver,
    channelKey: row.channel_key,
    groupKey: row.group_key,
    dedupKey: row.dedup_key,
    payload: row.payload,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

/** The row of a (checked) log entry. */
export function logToRow(entry: NotificationLogEntry): LogRow {
  return {
    id: entry.id,
    at: entry.at,
    receiver: entry.receiver,
    group_key: entry.groupKey,
    fingerprints: JSON.stringify(entry.fingerprints),
    status: entry.status,
    detail: entry.detail,
  };
}

function corrupt(table: string, id: string, problem: string): Error {
  return new Error(`${table} row ${id} is corrupt: ${problem}.`);
}

/** The log entry a row holds; a row whose JSON or status is not what the service writes is reported as corrupt. */
export function rowToLog(row: LogRow): NotificationLogEntry {
  let fingerprints: unknown;
  try {
    fingerprints = JSON.parse(row.fingerprints) as unknown;
  } catch {
    throw corrupt('notification_log', row.id, 'fingerprints is not JSON');
  }
  if (!Array.isArray(fingerprints) || !fingerprints.every((f) => typeof f === 'string')) {
    throw corrupt('notification_log', row.id, 'fingerprints is not a list of strings');
  }
  if (!(NOTIFICATION_STATUSES as readonly string[]).includes(row.status)) throw corrupt('notification_log', row.id, `unknown status ${row.status}`);
  return {
    id: row.id,
    at: row.at,
    receiver: row.receiver,
    groupKey: row.group_key,
    fingerprints: fingerprints as string[],
    status: row.status as NotificationLogEntry['status'],
    detail: row.detail,
  };
}

/** The row of a (checked) group state. */
export function groupStateToRow(state: GroupState): GroupStateRow {
  return { receiver: state.receiver, group_key: state.groupKey, last_digest: state.lastDigest, last_sent_at: state.lastSentAt, repeats: state.repeats };
}

/** The group state a row holds. */
export function rowToGroupState(row: GroupStateRow): GroupState {
  return { receiver: row.receiver, groupKey: row.group_key, lastDigest: row.last_digest, lastSentAt: row.last_sent_at, repeats: row.repeats };
}

/** The row of a (checked) silence. */
export function silenceToRow(silence: Silence): SilenceRow {
  return {
    id: silence.id,
    matchers: JSON.stringify(silence.matchers),
    created_by: silence.createdBy,
    comment: silence.comment,
    starts_at: silence.startsAt,
    ends_at: silence.endsAt,
    expire_on_resolve: silence.expireOnResolve ? 1 : 0,
    created_at: silence.createdAt,
    expired_at: silence.expiredAt,
  };
}

function isMatcher(value: unknown): value is Silence['matchers'][number] {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.name === 'string' && typeof m.value === 'string' && typeof m.isRegex === 'boolean' && typeof m.isEqual === 'boolean';
}

/** The silence a row holds. */
export function rowToSilence(row: SilenceRow): Silence {
  let matchers: unknown;
  try {
    matchers = JSON.parse(row.matchers) as unknown;
  } catch {
    throw corrupt('silences', row.id, 'matchers is not JSON');
  }
  if (!Array.isArray(matchers) || !matchers.every(isMatcher)) throw corrupt('silences', row.id, 'matchers is not a list of matchers');
  return {
    id: row.id,
    matchers: matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual })),
    createdBy: row.created_by,
    comment: row.comment,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    expireOnResolve: row.expire_on_resolve === 1,
    createdAt: row.created_at,
    expiredAt: row.expired_at,
  };
}
