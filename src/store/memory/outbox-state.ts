// The memory store's outbox, sent dedup keys and notification log, with the SQLite tables' semantics.
// Imports nothing from node:* (the memory store runs in workerd).
import type { NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, Store } from '../store.ts';
import { jsonCopy } from './alert-record.ts';
import { compareText } from './alert-order.ts';
import { checkCompletedAt, logPruneCutoff, compareDue, resolveDueLimit, resolveNotificationLimit, sentPruneCutoff } from './notify-order.ts';
import { storedLogEntry, storedOutboxItem } from './notify-record.ts';

/** listNotifications' filter. */
export type NotificationFilter = Parameters<Store['listNotifications']>[0];

interface LogRow {
  seq: number;
  entry: NotificationLogEntry;
}

/** Outbox items by id, dedup keys queued and sent, and the append-only log (seq orders equal `at`s by insertion). */
export class MemoryOutbox {
  private readonly items = new Map<string, OutboxItem>();
  private readonly queuedKeys = new Set<string>();
  private readonly sent = new Map<string, string>();
  private readonly log: LogRow[] = [];
  private readonly logIds = new Set<string>();
  private nextSeq = 1;

  /**
   * Checks and copies the outbox items and log entries of one commit without changing anything, and returns the
   * function that applies them. Throws (a bad field, an id already used) before anything is applied; items whose
   * dedupKey is queued or sent (earlier, or earlier in this same commit) are skipped.
   */
  stage(outbox: readonly OutboxItem[], log: readonly NotificationLogEntry[]): () => void {
    const items = outbox.map(storedOutboxItem);
    const entries = log.map(storedLogEntry);
    const keys = new Set<string>();
    const ids = new Set<string>();
    const accepted: OutboxItem[] = [];
    const skipped = new Set<string>();
    for (const item of items) {
      if (this.queuedKeys.has(item.dedupKey) || this.sent.has(item.dedupKey) || keys.has(item.dedupKey)) {
        skipped.add(item.id);
        continue;
      }
      if (this.items.has(item.id) || ids.has(item.id)) throw new TypeError(`outbox item ${item.id}: id is already used (UNIQUE).`);
      keys.add(item.dedupKey);
      ids.add(item.id);
      accepted.push(item);
    }
    this.checkLogIds(entries);
    return () => {
      for (const item of accepted) {
        this.items.set(item.id, item);
        this.queuedKeys.add(item.dedupKey);
      }
      for (const entry of entries) if (!skipped.has(ownerOf(entry.id))) this.append(entry);
    };
  }

  /** Items due at `now`, by nextAttemptAt then createdAt, at most `limit`. */
  /** How many log entries have each status. */
  statusCounts(): Partial<Record<NotificationLogEntry['status'], number>> {
    const counts: Partial<Record<NotificationLogEntry['status'], number>> = {};
    for (const { entry } of this.log) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
    return counts;
  }

  /** How many items are queued. */
  get depth(): number {
    return this.items.size;
  }

  due(now: string, limit: number): OutboxItem[] {
    const max = resolveDueLimit(limit);
    return [...this.items.values()]
      .filter((item) => item.nextAttemptAt <= now)
      .sort(compareDue)
      .slice(0, max)
      .map((item) => ({ ...item }));
  }

  /** Complete items (all checked first, then applied): remove each, remember its dedupKey as sent, log its entry. */
  complete(done: readonly OutboxDone[]): void {
    const stored = done.map((d) => ({ id: d.id, entry: storedLogEntry(d.entry) }));
    for (const d of stored) checkCompletedAt(d.entry.at);
    this.checkLogIds(stored.map((d) => d.entry));
    for (const { id, entry } of stored) {
      const item = this.items.get(id);
      if (item !== undefined) {
        this.items.delete(id);
        this.queuedKeys.delete(item.dedupKey);
        this.sent.set(item.dedupKey, entry.at);
      }
      this.append(entry);
    }
  }

  /** Bump each item's attempts and move its nextAttemptAt; log its entry (also when the item is gone). */
  retry(retries: readonly OutboxRetry[]): void {
    const stored = retries.map((r) => {
      if (typeof r.nextAttemptAt !== 'string') throw new TypeError(`outbox item ${r.id}: nextAttemptAt must be a string (NOT NULL).`);
      return { ...r, entry: storedLogEntry(r.entry) };
    });
    this.checkLogIds(stored.map((r) => r.entry));
    for (const { id, nextAttemptAt, entry } of stored) {
      const item = this.items.get(id);
      if (item !== undefined) this.items.set(id, { ...item, attempts: item.attempts + 1, nextAttemptAt });
      this.append(entry);
    }
  }

  /** Forget sent keys older than 7 days and the oldest log entries older than 30 days (at most `maxEntries`). */
  prune(now: string, maxEntries: number): number {
    const cutoff = sentPruneCutoff(now);
    for (const [key, sentAt] of this.sent) if (sentAt < cutoff) this.sent.delete(key);
    const logCutoff = logPruneCutoff(now);
    const old = this.log.filter((row) => row.entry.at < logCutoff).sort((a, b) => compareText(a.entry.at, b.entry.at) || a.seq - b.seq).slice(0, maxEntries);
    if (old.length === 0) return 0;
    const gone = new Set(old.map((row) => row.seq));
    const keep = this.log.filter((row) => !gone.has(row.seq));
    this.log.splice(0, this.log.length, ...keep);
    for (const row of old) this.logIds.delete(row.entry.id);
    return old.length;
  }

  /** Log entries passing every set filter, newest `at` first (then latest inserted first), at most the limit. */
  list(filter: NotificationFilter): NotificationLogEntry[] {
    const { receiver, fingerprint, since } = filter;
    return this.log
      .filter(
        ({ entry }) =>
          (receiver === undefined || entry.receiver === receiver) &&
          (fingerprint === undefined || entry.fingerprints.includes(fingerprint)) &&
          (since === undefined || entry.at >= since),
      )
      .sort((a, b) => compareText(b.entry.at, a.entry.at) || b.seq - a.seq)
      .slice(0, resolveNotificationLimit(filter.limit))
      .map(({ entry }) => jsonCopy(entry));
  }

  private checkLogIds(entries: readonly NotificationLogEntry[]): void {
    const ids = new Set<string>();
    for (const entry of entries) {
      if (this.logIds.has(entry.id) || ids.has(entry.id)) throw new TypeError(`notification log entry ${entry.id}: id is already used (UNIQUE).`);
      ids.add(entry.id);
    }
  }

  private append(entry: NotificationLogEntry): void {
    this.log.push({ seq: this.nextSeq, entry });
    this.nextSeq += 1;
    this.logIds.add(entry.id);
  }
}

/** The outbox item a log entry belongs to (`<item id>:<suffix>`), or '' when it names none. */
export function ownerOf(logId: string): string {
  const at = logId.lastIndexOf(':');
  return at <= 0 ? '' : logId.slice(0, at);
}
