import type { Alert } from '../../alerts/alert.ts';
import { approved, cancelledAt, expiredAt, storedActionSchema, withResult, type StoredAction } from '../../enforcement/stored-action.ts';
import type { ActionFilter, AlertCount, AlertFilter, GroupState, HostRecord, NotificationLogEntry, OutboxDone, OutboxItem, OutboxRetry, EventFilter, EventPage, EventRetention, Silence, SnapshotRow, Store } from '../store.ts';
import { filterGrants, type Grant, type GrantFilter } from '../../enforcement/grant.ts';
import { alertMatchesFilter, compareAlertsForList, compareText, resolveAlertLimit } from './alert-order.ts';
import { jsonCopy, storedAlert, storedHostRecord, storedSnapshotRow } from './alert-record.ts';
import { compareSilences, DEFAULT_PRUNE_ENTRIES, silenceInForce } from './notify-order.ts';
import { copySilence, storedGroupState, storedSilence } from './notify-record.ts';
import { storedGrant } from './grant-record.ts';
import { eventListParams, eventMatches, eventPage, eventPruneParams, eventToRow, type EventRow } from '../sqlite/event-table.ts';
import type { GwEvent } from '../../events/event.ts';
import { rowToUsageBucket, usageAdds, usagePruneParams, usageQueryParams, type UsageRow } from '../sqlite/usage-table.ts';
import type { UsageBucket, UsageHistoryQuery } from '../../usage/history.ts';
import { storedUserLink, storedWebSession, type StoredUserLink, type UserLink, type WebSession } from '../web-session.ts';
import { MemoryOutbox, type NotificationFilter } from './outbox-state.ts';
import { compareSnapshotsNewestFirst, resolveSnapshotsKept, type RetentionOptions, type SnapshotListing } from './snapshot-retention.ts';

/** The in-memory store: a Store plus snapshot listing. */
export interface MemoryStore extends Store, SnapshotListing {}

/** Options of createMemoryStore (the same retention option as the SQLite store). */
export type MemoryStoreOptions = RetentionOptions;

/**
 * A Store held in Maps, with the SQLite store's semantics (idempotent snapshots, pruning, atomic commits,
 * NOT NULL checks, ordering, limits, JSON round trips). Imports nothing from node:*, so it runs in workerd.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const kept = resolveSnapshotsKept(options.snapshotsKeptPerHost);
  const snapshots = new Map<string, SnapshotRow[]>();
  const hosts = new Map<string, HostRecord>();
  const alerts = new Map<string, Alert>();
  const outbox = new MemoryOutbox();
  // Keyed by JSON of [receiver, groupKey]: no separator a name could contain makes two keys collide.
  const groups = new Map<string, GroupState>();
  const silences = new Map<string, Silence>();
  const actions = new Map<string, StoredAction>();
  const grants = new Map<string, Grant>();
  // The event log in seq order; seq only grows (AUTOINCREMENT, as in SQL).
  let events: (EventRow & { seq: number })[] = [];
  let lastEventSeq = 0;
  // Usage buckets keyed by JSON of [stepS, startS, host, user].
  const usage = new Map<string, UsageRow>();
  // Web sessions and sign-in links by the digest of their secret.
  const webSessions = new Map<string, WebSession>();
  const userLinks = new Map<string, StoredUserLink>();
  let closed = false;

  const open = (): void => {
    if (closed) throw new Error('The memory store is closed.');
  };

  const insertSnapshot = (stored: SnapshotRow): 'inserted' | 'duplicate' => {
    const rows = snapshots.get(stored.host) ?? [];
    if (rows.some((r) => r.snapshotId === stored.snapshotId)) return 'duplicate';
    snapshots.set(stored.host, [...rows, stored].sort(compareSnapshotsNewestFirst).slice(0, kept));
    return 'inserted';
  };

  return {
    async putSnapshot(row: SnapshotRow): Promise<'inserted' | 'duplicate'> {
      open();
      return insertSnapshot(storedSnapshotRow(row));
    },

    async hasSnapshot(host: string, snapshotId: string): Promise<boolean> {
      open();
      return (snapshots.get(host) ?? []).some((r) => r.snapshotId === snapshotId);
    },

    async listSnapshots(host: string): Promise<SnapshotRow[]> {
      open();
      return (snapshots.get(host) ?? []).map((r) => ({ ...r }));
    },

    async getHost(host: string): Promise<HostRecord | null> {
      open();
      const record = hosts.get(host);
      return record === undefined ? null : { ...record };
    },

    async listHosts(): Promise<HostRecord[]> {
      open();
      return [...hosts.values()].sort((a, b) => compareText(a.host, b.host)).map((r) => ({ ...r }));
    },

    async commitEvaluation(input: Parameters<Store['commitEvaluation']>[0]): Promise<void> {
      open();
      // Check and copy everything first, then apply: a bad alert, outbox item or log entry leaves nothing
      // half-written (like a rolled-back transaction).
      const snapshot = input.snapshot === undefined ? null : storedSnapshotRow(input.snapshot);
      const hostRecord = input.hostRecord === null ? null : storedHostRecord(input.hostRecord);
      const upserts = input.upsert.map(storedAlert);
      const removals = [...input.remove];
      const applyOutbox = outbox.stage(input.outbox ?? [], input.log ?? []);
      const planned = (input.actions ?? []).map((a) => storedActionSchema.parse(a));
      const results = input.actionResults;
      const newEvents = (input.events ?? []).map(eventToRow);
      const adds = usageAdds(input.usage ?? []);
      const ids = new Set(events.map((e) => e.id));
      for (const e of newEvents) {
        if (ids.has(e.id)) throw new TypeError(`event ${e.id}: id is already used (UNIQUE).`);
        ids.add(e.id);
      }
      if (hostRecord !== null) hosts.set(hostRecord.host, hostRecord);
      for (const alert of upserts) alerts.set(alert.fingerprint, alert);
      for (const fingerprint of removals) alerts.delete(fingerprint);
      applyOutbox();
      if (snapshot !== null) insertSnapshot(snapshot);
      for (const a of planned) if (!actions.has(a.action.id)) actions.set(a.action.id, a);
      for (const r of results?.results ?? []) {
        const stored = actions.get(r.id);
        const next = stored === undefined ? null : withResult(stored, results?.host ?? '', r);
        if (next !== null) actions.set(r.id, next);
      }
      for (const e of newEvents) events.push({ ...e, seq: ++lastEventSeq });
      for (const a of adds) {
        const key = JSON.stringify([a.stepS, a.startS, a.host, a.user]);
        const row = usage.get(key) ?? { step_s: a.stepS, start_s: a.startS, host: a.host, user: a.user, gpu_seconds: 0, idle_gpu_seconds: 0 };
        usage.set(key, { ...row, gpu_seconds: row.gpu_seconds + a.gpuSeconds, idle_gpu_seconds: row.idle_gpu_seconds + a.idleGpuSeconds });
      }
    },

    async alertsForHost(host: string): Promise<Alert[]> {
      open();
      return [...alerts.values()]
        .filter((a) => a.host === host)
        .sort((a, b) => compareText(a.fingerprint, b.fingerprint))
        .map(jsonCopy);
    },

    async activeAlerts(): Promise<Alert[]> {
      open();
      return [...alerts.values()].filter((a) => a.state !== 'resolved').sort(compareAlertsForList).map(jsonCopy);
    },

    async alertCounts(): Promise<AlertCount[]> {
      open();
      const counts = new Map<string, AlertCount>();
      for (const a of alerts.values()) {
        const key = JSON.stringify([a.rule, a.state, a.severity]);
        const row = counts.get(key) ?? { rule: a.rule, state: a.state, severity: a.severity, count: 0 };
        row.count += 1;
        counts.set(key, row);
      }
      return [...counts.values()].sort((x, y) => compareText(x.rule, y.rule) || compareText(x.state, y.state) || compareText(x.severity, y.severity));
    },

    async listAlerts(filter: AlertFilter): Promise<Alert[]> {
      open();
      return [...alerts.values()]
        .filter((a) => alertMatchesFilter(a, filter))
        .sort(compareAlertsForList)
        .slice(0, resolveAlertLimit(filter.limit))
        .map(jsonCopy);
    },

    async notificationCounts() {
      open();
      return outbox.statusCounts();
    },

    async outboxDepth(): Promise<number> {
      open();
      return outbox.depth;
    },

    async dueOutbox(now: string, limit: number): Promise<OutboxItem[]> {
      open();
      return outbox.due(now, limit);
    },

    async completeOutbox(done: readonly OutboxDone[]): Promise<void> {
      open();
      outbox.complete(done);
    },

    async retryOutbox(retries: readonly OutboxRetry[]): Promise<void> {
      open();
      outbox.retry(retries);
    },

    async pruneNotifications(now: string, maxEntries = DEFAULT_PRUNE_ENTRIES): Promise<number> {
      open();
      return outbox.prune(now, maxEntries);
    },

    async listNotifications(filter: NotificationFilter): Promise<NotificationLogEntry[]> {
      open();
      return outbox.list(filter);
    },

    async getGroupState(receiver: string, groupKey: string): Promise<GroupState | null> {
      open();
      const state = groups.get(JSON.stringify([receiver, groupKey]));
      return state === undefined ? null : { ...state };
    },

    async putGroupState(state: GroupState): Promise<void> {
      open();
      const stored = storedGroupState(state);
      groups.set(JSON.stringify([stored.receiver, stored.groupKey]), stored);
    },

    async addSilence(silence: Silence): Promise<void> {
      open();
      const stored = storedSilence(silence);
      if (silences.has(stored.id)) throw new TypeError(`silence ${stored.id}: id is already used (UNIQUE).`);
      silences.set(stored.id, stored);
    },

    async listSilences(filter: { activeAt?: string }): Promise<Silence[]> {
      open();
      const { activeAt } = filter;
      return [...silences.values()]
        .filter((s) => activeAt === undefined || silenceInForce(s, activeAt))
        .sort(compareSilences)
        .map(copySilence);
    },

    async expireSilence(id: string, at: string): Promise<boolean> {
      open();
      const silence = silences.get(id);
      if (silence === undefined || silence.expiredAt !== null || silence.endsAt <= at) return false;
      silences.set(id, { ...silence, expiredAt: at });
      return true;
    },

    async getActions(ids: readonly string[]): Promise<StoredAction[]> {
      open();
      return ids.flatMap((id) => {
        const a = actions.get(id);
        return a === undefined ? [] : [structuredClone(a)];
      });
    },

    async dueActions(host: string, now: string, limit: number): Promise<StoredAction[]> {
      open();
      const nowMs = Date.parse(now);
      return [...actions.values()]
        .filter((a) => a.action.host === host && a.state === 'scheduled' && Date.parse(a.action.notBefore) <= nowMs && Date.parse(a.action.expiresAt) > nowMs)
        .sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.action.id, b.action.id))
        .slice(0, limit)
        .map((a) => structuredClone(a));
    },

    async listActions(filter: ActionFilter): Promise<StoredAction[]> {
      open();
      return [...actions.values()]
        .filter((a) => (filter.host === undefined || a.action.host === filter.host) && (filter.state === undefined || a.state === filter.state) && (filter.user === undefined || a.action.user === filter.user))
        .sort((a, b) => compareText(b.createdAt, a.createdAt) || compareText(b.action.id, a.action.id))
        .slice(0, resolveAlertLimit(filter.limit))
        .map((a) => structuredClone(a));
    },

    async approveAction(id: string, by: string, at: string): Promise<'approved' | 'not-found' | 'not-awaiting'> {
      open();
      const stored = actions.get(id);
      if (stored === undefined) return 'not-found';
      const next = approved(stored, by, at);
      if (next === null) return 'not-awaiting';
      actions.set(id, next);
      return 'approved';
    },

    async expireActions(now: string): Promise<StoredAction[]> {
      open();
      const out: StoredAction[] = [];
      for (const a of actions.values()) {
        const next = expiredAt(a, now);
        if (next === null) continue;
        actions.set(a.action.id, next);
        out.push(structuredClone(next));
      }
      return out;
    },

    async cancelActions(ids: readonly string[], now: string, why: string): Promise<StoredAction[]> {
      open();
      const out: StoredAction[] = [];
      for (const id of ids) {
        const stored = actions.get(id);
        const next = stored === undefined ? null : cancelledAt(stored, now, why);
        if (next === null) continue;
        actions.set(id, next);
        out.push(structuredClone(next));
      }
      return out;
    },

    async close(): Promise<void> {
      closed = true;
    },

    async putGrant(grant: Grant): Promise<void> {
      open();
      const stored = storedGrant(grant);
      if (grants.has(stored.id)) throw new TypeError(`grant ${stored.id}: id is already used (UNIQUE).`);
      grants.set(stored.id, stored);
    },

    async revokeGrant(id: string, at: string): Promise<'revoked' | 'not-found' | 'already-revoked'> {
      open();
      const grant = grants.get(id);
      if (grant === undefined) return 'not-found';
      if (grant.revokedAt !== null) return 'already-revoked';
      grants.set(id, storedGrant({ ...grant, revokedAt: new Date(at).toISOString() }));
      return 'revoked';
    },

    async listGrants(filter: GrantFilter, now: string): Promise<Grant[]> {
      open();
      return filterGrants([...grants.values()], filter, new Date(now)).map((g) => ({ ...g }));
    },

    async addEvent(event: GwEvent): Promise<void> {
      open();
      const row = eventToRow(event);
      if (events.some((e) => e.id === row.id)) throw new TypeError(`event ${row.id}: id is already used (UNIQUE).`);
      events.push({ ...row, seq: ++lastEventSeq });
    },

    async listEvents(filter: EventFilter): Promise<EventPage> {
      open();
      const params = eventListParams(filter);
      const matching = events.filter((e) => eventMatches(e, params));
      const rows = params.after === null ? matching.slice(-params.limit) : matching.filter((e) => e.seq > (params.after ?? 0)).slice(0, params.limit);
      return eventPage(structuredClone(rows), params);
    },

    async pruneEvents(now: string, retention?: EventRetention): Promise<number> {
      open();
      const { cutoff, keep } = eventPruneParams(now, retention);
      const before = events.length;
      events = events.filter((e) => e.at >= cutoff);
      events = keep === 0 ? [] : events.slice(-keep);
      return before - events.length;
    },

    async usageHistory(q: UsageHistoryQuery): Promise<UsageBucket[]> {
      open();
      const p = usageQueryParams(q);
      return [...usage.values()]
        .filter((r) => r.step_s === p.stepS && r.start_s >= p.fromS && r.start_s < p.toS && (p.user === null || r.user === p.user) && (p.host === null || r.host === p.host))
        .sort((a, b) => a.start_s - b.start_s || compareText(a.host, b.host) || compareText(a.user, b.user))
        .map(rowToUsageBucket);
    },

    async pruneUsage(now: string): Promise<number> {
      open();
      let n = 0;
      for (const p of usagePruneParams(now)) {
        for (const [key, r] of usage) {
          if (r.step_s === p.stepS && r.start_s <= p.cutoffS && usage.delete(key)) n += 1;
        }
      }
      return n;
    },

    async putWebSession(session: WebSession): Promise<void> {
      open();
      const stored = storedWebSession(session);
      if (webSessions.has(stored.idSha256)) throw new TypeError('web session: idSha256 is already used (UNIQUE).');
      webSessions.set(stored.idSha256, stored);
    },

    async getWebSession(idSha256: string, now: string): Promise<WebSession | null> {
      open();
      const s = webSessions.get(idSha256);
      return s === undefined || s.expiresAt <= new Date(now).toISOString() ? null : structuredClone(s);
    },

    async deleteWebSession(idSha256: string): Promise<boolean> {
      open();
      return webSessions.delete(idSha256);
    },

    async putUserLink(link: UserLink): Promise<void> {
      open();
      const stored = storedUserLink(link);
      if (userLinks.has(stored.keySha256)) throw new TypeError(`user link for ${stored.user}: keySha256 is already used (UNIQUE).`);
      userLinks.set(stored.keySha256, { ...stored, lastUsedAt: null, uses: 0 });
    },

    async takeUserLink(keySha256: string, now: string): Promise<StoredUserLink | null> {
      open();
      const at = new Date(now).toISOString();
      const link = userLinks.get(keySha256);
      if (link === undefined || link.expiresAt <= at) return null;
      const used = { ...link, lastUsedAt: at, uses: link.uses + 1 };
      userLinks.set(keySha256, used);
      return { ...used };
    },

    async pruneWebSessions(now: string): Promise<number> {
      open();
      const at = new Date(now).toISOString();
      let n = 0;
      for (const [k, s] of webSessions) if (s.expiresAt <= at && webSessions.delete(k)) n += 1;
      for (const [k, l] of userLinks) if (l.expiresAt <= at && userLinks.delete(k)) n += 1;
      return n;
    },
  };
}
