// The memory store's stand-ins for the NOT NULL / CHECK constraints of migration 0003: each function returns a
// detached, checked copy or throws a TypeError naming the bad field, so both stores refuse the same records.
import type { GroupState, NotificationLogEntry, OutboxItem, Silence } from '../store.ts';

/** The statuses a notification log entry may have (the SQLite schema checks the same list). */
export const NOTIFICATION_STATUSES: readonly NotificationLogEntry['status'][] = ['queued', 'sent', 'failed', 'retried', 'silenced', 'inhibited'];

function text(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: ${field} must be a string (NOT NULL), got ${value === null ? 'null' : typeof value}.`);
  return value;
}

function count(value: unknown, field: string, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${what}: ${field} must be a whole number of at least 0, got ${String(value)}.`);
  }
  return value;
}

/** A checked copy of an outbox item. */
export function storedOutboxItem(item: OutboxItem): OutboxItem {
  const what = `outbox item ${String(item.id)}`;
  return {
    id: text(item.id, 'id', what),
    receiver: text(item.receiver, 'receiver', what),
    channelKey: text(item.channelKey, 'channelKey', what),
    groupKey: text(item.groupKey, 'groupKey', what),
    dedupKey: text(item.dedupKey, 'dedupKey', what),
    payload: text(item.payload, 'payload', what),
    attempts: count(item.attempts, 'attempts', what),
    nextAttemptAt: text(item.nextAttemptAt, 'nextAttemptAt', what),
    createdAt: text(item.createdAt, 'createdAt', what),
  };
}

/** A checked copy of a notification log entry (fingerprints a list of strings, status one of the known ones). */
export function storedLogEntry(entry: NotificationLogEntry): NotificationLogEntry {
  const what = `notification log entry ${String(entry.id)}`;
  const status = text(entry.status, 'status', what);
  if (!(NOTIFICATION_STATUSES as readonly string[]).includes(status)) {
    throw new TypeError(`${what}: status must be one of ${NOTIFICATION_STATUSES.join(', ')}, got ${status}.`);
  }
  const fingerprints: unknown = entry.fingerprints;
  if (!Array.isArray(fingerprints)) throw new TypeError(`${what}: fingerprints must be an array (NOT NULL).`);
  return {
    id: text(entry.id, 'id', what),
    at: text(entry.at, 'at', what),
    receiver: text(entry.receiver, 'receiver', what),
    groupKey: text(entry.groupKey, 'groupKey', what),
    fingerprints: fingerprints.map((f, i) => text(f, `fingerprints[${i}]`, what)),
    status: status as NotificationLogEntry['status'],
    detail: text(entry.detail, 'detail', what),
  };
}

/** A checked copy of a group's timing state. */
export function storedGroupState(state: GroupState): GroupState {
  const what = `group state ${String(state.receiver)}/${String(state.groupKey)}`;
  return {
    receiver: text(state.receiver, 'receiver', what),
    groupKey: text(state.groupKey, 'groupKey', what),
    lastDigest: text(state.lastDigest, 'lastDigest', what),
    lastSentAt: text(state.lastSentAt, 'lastSentAt', what),
    repeats: count(state.repeats, 'repeats', what),
  };
}

/** A checked copy of a silence (matchers a list of {name, value, isRegex, isEqual}, expireOnResolve a boolean). */
export function storedSilence(silence: Silence): Silence {
  const what = `silence ${String(silence.id)}`;
  const matchers: unknown = silence.matchers;
  if (!Array.isArray(matchers)) throw new TypeError(`${what}: matchers must be an array (NOT NULL).`);
  if (typeof silence.expireOnResolve !== 'boolean') throw new TypeError(`${what}: expireOnResolve must be a boolean (NOT NULL).`);
  const expiredAt: unknown = silence.expiredAt;
  return {
    id: text(silence.id, 'id', what),
    matchers: matchers.map((m: Silence['matchers'][number], i) => {
      if (typeof m !== 'object' || m === null) throw new TypeError(`${what}: matchers[${i}] must be an object.`);
      if (typeof m.isRegex !== 'boolean' || typeof m.isEqual !== 'boolean') throw new TypeError(`${what}: matchers[${i}] needs boolean isRegex and isEqual.`);
      return { name: text(m.name, `matchers[${i}].name`, what), value: text(m.value, `matchers[${i}].value`, what), isRegex: m.isRegex, isEqual: m.isEqual };
    }),
    createdBy: text(silence.createdBy, 'createdBy', what),
    comment: text(silence.comment, 'comment', what),
    startsAt: text(silence.startsAt, 'startsAt', what),
    endsAt: text(silence.endsAt, 'endsAt', what),
    expireOnResolve: silence.expireOnResolve,
    createdAt: text(silence.createdAt, 'createdAt', what),
    expiredAt: expiredAt === null || expiredAt === undefined ? null : text(expiredAt, 'expiredAt', what),
  };
}

/** A copy of a stored silence, matchers included (nothing shared with the caller). */
export function copySilence(silence: Silence): Silence {
  return { ...silence, matchers: silence.matchers.map((m) => ({ ...m })) };
}
