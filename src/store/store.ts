import type { Alert, AlertState } from '../alerts/alert.ts';
import type { ActionResult } from '../enforcement/action.ts';
import type { ActionState, StoredAction } from '../enforcement/stored-action.ts';
import type { Grant, GrantFilter } from '../enforcement/grant.ts';
import type { GwEvent } from '../events/event.ts';
import type { UsageBucket, UsageHistoryQuery, UsageIncrement } from '../usage/history.ts';
import type { StoredUserLink, UserLink, WebSession } from './web-session.ts';

/**
 * A stored snapshot row. Every accepted snapshot keeps one (dedup on host + id, arrival history); `body`, the
 * validated HostSnapshot as JSON text, only when it is evidence: it changed an alert, or was stored without being
 * evaluated. Writing 30 KB of unchanged state with every snapshot cost about a quarter of the ingest CPU.
 */
export interface SnapshotRow {
  host: string;
  snapshotId: string;
  takenAt: string;
  receivedAt: string;
  body: string | null;
}

/** What the service remembers per host between snapshots: small and bounded, never a copy of every snapshot. */
export interface HostRecord {
  host: string;
  lastSeenAt: string;
  lastTakenAt: string;
  /** JSON text of the engine's tracked state (counters, last-active timestamps), opaque to the store. */
  tracked: string;
}

/** One row of alertCounts. */
export interface AlertCount {
  rule: string;
  state: AlertState;
  severity: string;
  count: number;
}

/** Filters of GET /v1/alerts; all optional, combined with AND. */
export interface AlertFilter {
  host?: string;
  rule?: string;
  state?: AlertState;
  severity?: string;
  user?: string;
  limit?: number;
}

/**
 * The service's persistence, async so SQLite (Node), D1 (Workers) and memory share it.
 * Implementations: store/memory, store/sqlite; migrations in store/migrations/*.sql.
 */
export interface Store {
  /** Insert unless (host, snapshotId) exists; says which. */
  putSnapshot(row: SnapshotRow): Promise<'inserted' | 'duplicate'>;
  /** Whether (host, snapshotId) is stored. */
  hasSnapshot(host: string, snapshotId: string): Promise<boolean>;
  getHost(host: string): Promise<HostRecord | null>;
  listHosts(): Promise<HostRecord[]>;
  /**
   * Atomically: upsert the host record, upsert/delete the given alerts, enqueue outbox items (an item whose dedupKey
   * is already queued or sent is skipped: at most once) and append notification-log entries; a log entry whose id
   * is `<outbox item id>:<suffix>` belongs to that item and is skipped with it; `snapshot`, when given, is stored
   * (unless already there) and its host pruned, as putSnapshot does. One transaction.
   */
  commitEvaluation(input: {
    snapshot?: SnapshotRow;
    hostRecord: HostRecord | null;
    upsert: Alert[];
    remove: string[];
    outbox?: OutboxItem[];
    log?: NotificationLogEntry[];
    /** Planned enforcement actions; an id already stored is left as it is (planned once). */
    actions?: StoredAction[];
    /** The host's reports: each applies only to a scheduled action of that host (others are ignored). */
    actionResults?: { host: string; results: ActionResult[] };
    /** Event-log entries of this evaluation (alert transitions), written in the same transaction. */
    events?: GwEvent[];
    /** What users held over the evaluated interval: added into the usage history's 5-minute and hourly buckets. */
    usage?: UsageIncrement[];
  }): Promise<void>;
  /** Every alert of one host, in any state (the engine drops resolved ones past their retention). */
  alertsForHost(host: string): Promise<Alert[]>;
  listAlerts(filter: AlertFilter): Promise<Alert[]>;
  /** Every pending and firing alert of every host (no limit: what is active now), firing first, then updatedAt newest first, then fingerprint. */
  activeAlerts(): Promise<Alert[]>;
  /** How many alerts are stored per rule, state and severity (resolved ones within retention too), ordered by those three. */
  alertCounts(): Promise<AlertCount[]>;

  /** How many notification-log entries (the retained 30 days) have each status; statuses with none are left out. */
  notificationCounts(): Promise<Partial<Record<NotificationLogEntry['status'], number>>>;
  /** How many items the outbox holds, due or not (GET /metrics' outbox depth). */
  outboxDepth(): Promise<number>;
  /** Outbox items due at `now` (nextAttemptAt <= now), oldest first, at most `limit`. */
  dueOutbox(now: string, limit: number): Promise<OutboxItem[]>;
  /**
   * Items delivered (or given up on): each is removed from the outbox, its dedupKey kept as sent, its entry logged
   * (also when the item is gone). Few transactions for a whole group (SQLite: one per 100 items, yielding between).
   */
  completeOutbox(done: readonly OutboxDone[]): Promise<void>;
  /** Try again later, one commit for all: bump each item's attempts and nextAttemptAt, log its entry. */
  retryOutbox(retries: readonly OutboxRetry[]): Promise<void>;
  /**
   * Forget sent dedup keys older than 7 days and log entries older than 30 days as of `now`, at most `maxEntries`
   * log entries per call (bounded work: run it on a timer, not per delivery); returns how many log entries went.
   */
  pruneNotifications(now: string, maxEntries?: number): Promise<number>;
  /** Notification log, newest first. */
  listNotifications(filter: { receiver?: string; fingerprint?: string; since?: string; limit?: number }): Promise<NotificationLogEntry[]>;

  /** Per (receiver, group key): when the group was last notified, for group_interval / repeat_interval. */
  getGroupState(receiver: string, groupKey: string): Promise<GroupState | null>;
  putGroupState(state: GroupState): Promise<void>;

  addSilence(silence: Silence): Promise<void>;
  /** Silences; with `activeAt`, only those in force then (started, not ended, not expired). */
  listSilences(filter: { activeAt?: string }): Promise<Silence[]>;
  /** Expire a silence now; false when there is no such silence or it already ended. */
  expireSilence(id: string, at: string): Promise<boolean>;

  /** Stored enforcement actions with these ids, in any state (unknown ids are left out). */
  getActions(ids: readonly string[]): Promise<StoredAction[]>;
  /** A host's scheduled actions due at `now` (notBefore <= now < expiresAt), oldest first, at most `limit`. */
  dueActions(host: string, now: string, limit: number): Promise<StoredAction[]>;
  /** Actions, newest first (filters combined with AND; limit default 100, at most 1,000). */
  listActions(filter: ActionFilter): Promise<StoredAction[]>;
  /** awaiting-approval → scheduled, recording who and when (notBefore moves to `at` if earlier); says what happened. */
  approveAction(id: string, by: string, at: string): Promise<'approved' | 'not-found' | 'not-awaiting'>;
  /** Open actions (awaiting approval or scheduled) whose expiresAt is at or before `now` become expired; returns them. */
  expireActions(now: string): Promise<StoredAction[]>;
  /** These open actions are closed as expired ("cancelled: <why>") and never handed out again; returns those closed. */
  cancelActions(ids: readonly string[], now: string, why: string): Promise<StoredAction[]>;

  close(): Promise<void>;

  // Grants (src/enforcement/grant.ts): an admin's time-boxed exemption of one user from one rule.
  /** Store a new grant, checked against grantSchema (a reused id fails: UNIQUE). */
  putGrant(grant: Grant): Promise<void>;
  /** Revoke a grant at `at` (an expired one too: its record then says it was revoked); says what happened. */
  revokeGrant(id: string, at: string): Promise<'revoked' | 'not-found' | 'already-revoked'>;
  /** Grants in force at `now` (every one with includeInactive), by user and exact rule; newest createdAt first, then id. */
  listGrants(filter: GrantFilter, now: string): Promise<Grant[]>;

  /** Append an event to the event log, checked against eventSchema (a reused id fails). */
  addEvent(event: GwEvent): Promise<void>;
  /**
   * A page of the event log, newest last: without `after` the newest `limit` matching events, with it the first
   * `limit` after that cursor; `next` is the cursor to pass as `after` for the events that come later.
   */
  listEvents(filter: EventFilter): Promise<EventPage>;
  /** Drop events older than retention.maxAgeMs before `now` and all but the newest maxCount; returns how many went. */
  pruneEvents(now: string, retention?: EventRetention): Promise<number>;

  /** Usage-history buckets of width stepS overlapping [from, to) (of one user / host when given), by start, host, user. */
  usageHistory(q: UsageHistoryQuery): Promise<UsageBucket[]>;
  /** Drop usage buckets past their retention at `now` (5-minute: 48 h, hourly: 90 days); returns how many went. */
  pruneUsage(now: string): Promise<number>;
  // The web view's sign-in (src/store/web-session.ts): only SHA-256 digests of session ids and link keys are stored.
  /** Store a new session (checked; a reused digest fails: UNIQUE). */
  putWebSession(session: WebSession): Promise<void>;
  /** The session with this id digest while it lasts (expiresAt after `now`), else null. */
  getWebSession(idSha256: string, now: string): Promise<WebSession | null>;
  /** End a session (sign-out); false when there was none. */
  deleteWebSession(idSha256: string): Promise<boolean>;
  /** Store a new per-user sign-in link (checked; a reused digest fails: UNIQUE). */
  putUserLink(link: UserLink): Promise<void>;
  /** Use a link: while it lasts (expiresAt after `now`) its use is counted and `now` kept as lastUsedAt, and it is returned (after the update); else null. Links are reusable until they expire. */
  takeUserLink(keySha256: string, now: string): Promise<StoredUserLink | null>;
  /** Drop sessions and links expired at `now` (expiresAt at or before it); returns how many went. */
  pruneWebSessions(now: string): Promise<number>;
}

/** Filters of listEvents and GET /v1/events; all optional, combined with AND. */
export interface EventFilter {
  /** Type prefix: `alert` matches alert.firing, `config.reload` matches config.reload and config.reload_failed. */
  type?: string;
  host?: string;
  user?: string;
  /** Only events at or after this time. */
  since?: string;
  /** Cursor: only events after the one whose page said `next: "<after>"`. */
  after?: number;
  limit?: number;
}

/** One page of the event log. */
export interface EventPage {
  events: GwEvent[];
  /** The cursor after the last event of the page (the given one when nothing is new; null when nothing at all). */
  next: string | null;
}

/** How long and how much of the event log is kept. */
export interface EventRetention {
  maxAgeMs: number;
  maxCount: number;
}

/** Filters of GET /v1/actions. */
export interface ActionFilter {
  host?: string;
  state?: ActionState;
  user?: string;
  limit?: number;
}

/** Notification timing state of one alert group at one receiver. */
export interface GroupState {
  receiver: string;
  groupKey: string;
  /** Fingerprints and states last notified, to tell a change from a repeat. */
  lastDigest: string;
  lastSentAt: string;
  /** Repeats sent since the group last changed (drives the exponential repeat backoff). */
  repeats: number;
}

/** A silence: alerts matching all matchers are not notified between startsAt and endsAt. */
export interface Silence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
  /** End the silence when the alerts it matched resolve. */
  expireOnResolve: boolean;
  createdAt: string;
  /** Set when expired early (by an admin or by expireOnResolve). */
  expiredAt: string | null;
}

/** One queued delivery: a rendered message for one receiver, written in the same transaction as the alert change. */
export interface OutboxItem {
  id: string;
  receiver: string;
  /** Rate-limit key: the Slack webhook (as a hash, never the URL) or the SMTP server. */
  channelKey: string;
  groupKey: string;
  /** Dedup key: fingerprint(s) + receiver + state change; the unique index that makes delivery at most once. */
  dedupKey: string;
  /** JSON of the MessageGroup to render and send. */
  payload: string;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
}

/** One outbox item that is done (delivered, failed for good, muted), with its log entry. */
export interface OutboxDone {
  id: string;
  entry: NotificationLogEntry;
}

/** One outbox item to try again at `nextAttemptAt`, with its log entry. */
export interface OutboxRetry {
  id: string;
  nextAttemptAt: string;
  entry: NotificationLogEntry;
}

/** One line of the notification log: who was told what, when. */
export interface NotificationLogEntry {
  id: string;
  at: string;
  receiver: string;
  groupKey: string;
  fingerprints: string[];
  status: 'queued' | 'sent' | 'failed' | 'retried' | 'silenced' | 'inhibited';
  detail: string;
}
