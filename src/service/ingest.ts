import type { Alert } from '../alerts/alert.ts';
import { transition } from '../alerts/transition.ts';
import { failedSources } from '../engine/fact-sources.ts';
import { computeFacts } from '../engine/facts/compute-facts.ts';
import { hostSubject } from '../engine/facts/host-facts.ts';
import { groupStateKey, planActionNotices, planChanges, planRepeats, type Plan, type PlannedRecipient } from '../notify/plan.ts';
import type { ActionResult, PlannedAction } from '../enforcement/action.ts';
import { actionNote } from '../enforcement/action-words.ts';
import { planActions, withActionNotes } from '../enforcement/plan-actions.ts';
import { withResult } from '../enforcement/stored-action.ts';
import { activeGrantFor, withGrantNotes, type Grant } from '../enforcement/grant.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import type { EventRetention, GroupState, SnapshotRow, Store } from '../store/store.ts';
import { evaluationTime } from './clock-skew.ts';
import type { IngestMeta, IngestResult, TickingCore } from './core.ts';
import { type CoreConfig, type CoreSettings, coreSettings } from './core-config.ts';
import { logText } from './log-text.ts';
import { createTrackedCache } from './tracked-cache.ts';
import { actionResultEvent, alertEvents, plannedActionEvents } from '../events/evaluation-events.ts';
import type { GwEvent } from '../events/event.ts';
import { createTurnGate, type TurnGate, yieldToIo } from '../scheduling/turn-gate.ts';
import { usageIncrements } from '../usage/increments.ts';

/** What the pipeline needs; all injected, nothing runtime-specific. The CoreConfig part can be replaced while running. */
export interface CoreDeps extends CoreConfig {
  store: Store;
  /** How long resolved alerts stay listed (default 24 h). */
  resolvedRetentionMs?: number;
  /** Ids for outbox rows (default crypto.randomUUID). */
  newId?: () => string;
  /** The service's clock, for notification timing (group_wait, repeats). */
  clock?: () => Date;
  log?: (line: string) => void;
  /** Spreads evaluations over event-loop turns (default: 4 per turn), so a burst never blocks other requests. */
  gate?: TurnGate;
  /** How long and how much of the event log is kept (default 30 days, 100,000 events); pruned by the tick. */
  eventRetention?: EventRetention;
}

/** The core with a way to swap its config (a reload); alert state, queues and caches are kept. */
export interface ReconfigurableCore extends TickingCore {
  /**
   * Use `next` for every evaluation and tick that starts from now on. Then, one host at a time after the host's
   * evaluations in flight, the alerts of rules the new pack lacks are dropped (never told as resolved: nothing
   * checked that) and their open actions cancelled. Returns the dropped alerts.
   */
  reconfigure(next: CoreConfig, now: Date): Promise<Alert[]>;
}

/** Enforcement actions handed to a host per reply, at most. */
const ACTIONS_PER_REPLY = 100;

const DAY_MS = 86_400_000;
/** The tick prunes the event log at most this often (the count limit walks the newest maxCount rows). */
const EVENT_PRUNE_EVERY_MS = 10 * 60_000;
/** Hosts the scheduled tick evaluates per event-loop turn before letting requests in. */
const TICK_HOSTS_PER_TURN = 50;
/** Firing alerts the tick routes (for repeats) per event-loop turn. */
const ALERTS_ROUTED_PER_TURN = 200;

/** A host's alerts once an evaluation's upserts and removals are applied (what the store now holds). */
function alertsAfter(previous: readonly Alert[], result: { upsert: readonly Alert[]; remove: readonly string[] }): Alert[] {
  const byFp = new Map(previous.map((a) => [a.fingerprint, a]));
  for (const fp of result.remove) byFp.delete(fp);
  for (const a of result.upsert) byFp.set(a.fingerprint, a);
  return [...byFp.values()];
}

function current(alerts: Alert[]): Alert[] {
  return alerts.filter((a) => a.state !== 'resolved');
}

/**
 * The evaluation pipeline: store the snapshot (idempotent on host + id), compute facts against the host's
 * tracked state, evaluate the rule pack, step the alert state machine, and commit host state and alerts in
 * one transaction. An older snapshot than the newest seen is stored but not evaluated, so it never moves
 * alert state backwards. The tick evaluates host rules on time alone (a silent host fires with no snapshot), each
 * host in turn with that host's snapshots (the same per-host queue).
 */
export function createCore(deps: CoreDeps): ReconfigurableCore {
  const retentionMs = deps.resolvedRetentionMs ?? DAY_MS;
  const { store } = deps;
  // The one reference a reload swaps: each evaluation and tick reads it once, at its start.
  let settings: CoreSettings = coreSettings(deps);

  /** Rules that need a source that failed in this snapshot, with those sources. */
  function staleRulesOf(snapshot: HostSnapshot, rules: CoreSettings['rules']): Map<string, string[]> {
    const failed = failedSources(snapshot);
    const stale = new Map<string, string[]>();
    if (failed.size === 0) return stale;
    for (const [rule, needs] of rules.sourcesOf) {
      const missing = needs.filter((s) => failed.has(s));
      if (missing.length > 0) stale.set(rule, missing);
    }
    return stale;
  }
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const gate = deps.gate ?? createTurnGate();
  const clock = deps.clock ?? (() => new Date());
  let lastEventPruneMs = Number.NEGATIVE_INFINITY;
  // The ~7 KB tracked-state JSON a host's last evaluation wrote is kept parsed, and reused while the store holds it.
  const trackedCache = createTrackedCache();

  /** Recipients of each alert, routed once per planning pass (group states and the plan both need them). */
  function routedOnce(recipientsOf: (alert: Alert) => PlannedRecipient[]): (alert: Alert) => PlannedRecipient[] {
    const routed = new Map<Alert, PlannedRecipient[]>();
    return (alert) => {
      let found = routed.get(alert);
      if (found === undefined) {
        found = recipientsOf(alert);
        routed.set(alert, found);
      }
      return found;
    };
  }

  async function groupStatesFor(alerts: readonly Alert[], recipientsOf: (alert: Alert) => PlannedRecipient[]): Promise<Map<string, GroupState>> {
    const states = new Map<string, GroupState>();
    for (const a of alerts) {
      for (const r of recipientsOf(a)) {
        const key = groupStateKey(r.receiver, r.groupKey);
        if (states.has(key)) continue;
        const state = await store.getGroupState(r.receiver, r.groupKey);
        if (state !== null) states.set(key, state);
      }
    }
    return states;
  }

  async function plan(changes: Parameters<typeof planChanges>[0], now: Date, cfg: CoreSettings): Promise<Plan> {
    if (cfg.recipientsOf === undefined || changes.length === 0) return { outbox: [], log: [] };
    const recipientsOf = routedOnce(cfg.recipientsOf);
    return planChanges(changes, recipientsOf, await groupStatesFor(changes.map((c) => c.alert), recipientsOf), now, newId);
  }

  /** Notices of enforcement results, for alerts that carry their action note. */
  async function planNotices(noted: readonly Alert[], now: Date, cfg: CoreSettings): Promise<Plan> {
    if (cfg.recipientsOf === undefined || noted.length === 0) return { outbox: [], log: [] };
    const recipientsOf = routedOnce(cfg.recipientsOf);
    return planActionNotices(noted, recipientsOf, await groupStatesFor(noted, recipientsOf), now, newId);
  }

  /**
   * Close the host's open actions whose alert no longer calls for them (resolved, gone, its condition no longer
   * holding, or another stage): a stop must never reach a host after the person made it unnecessary. Done before
   * the evaluation's commit, so a failure in between errs on the side of not acting.
   */
  async function cancelUnneeded(host: string, after: readonly Alert[], reported: ReadonlySet<string>, now: Date): Promise<void> {
    // An action this snapshot reports on is closed by its result, not cancelled (the container it removed is gone).
    const open = [...(await store.listActions({ host, state: 'scheduled', limit: 1000 })), ...(await store.listActions({ host, state: 'awaiting-approval', limit: 1000 }))];
    if (open.length === 0) return;
    const byFp = new Map(after.map((a) => [a.fingerprint, a]));
    const unneeded = open.filter((o) => {
      if (reported.has(o.action.id)) return false;
      const a = byFp.get(o.action.reason.fingerprint);
      const stillCalled = a !== undefined && a.state === 'firing' && (a.keepFiringSince ?? null) === null && (o.action.reason.stage === null || a.stage === o.action.reason.stage);
      return !stillCalled;
    });
    if (unneeded.length === 0) return;
    await cancelLogged(host, unneeded.map((o) => o.action.id), now, 'its alert resolved before it was carried out');
  }

  async function cancelLogged(host: string, ids: readonly string[], now: Date, why: string): Promise<void> {
    for (const a of await store.cancelActions(ids, now.toISOString(), why)) {
      deps.log?.(`${logText(host)}: action ${logText(a.action.id)} (${a.action.type}, rule ${logText(a.action.reason.rule)}) cancelled: ${why}`);
    }
  }

  /** The host's due actions for the reply. */
  async function dueFor(host: string, now: Date): Promise<PlannedAction[]> {
    return (await store.dueActions(host, now.toISOString(), ACTIONS_PER_REPLY)).map((a) => a.action);
  }

  /**
   * The probe's action results in a snapshot: what to store, and the notices they call for (each result's alert
   * with its action note). Results for unknown, foreign or already closed actions are logged and ignored.
   */
  async function actionReports(snapshot: HostSnapshot, alerts: readonly Alert[], now: Date, cfg: CoreSettings): Promise<{ stored: { host: string; results: ActionResult[] } | undefined; notices: Plan; events: GwEvent[] }> {
    const results = snapshot.actionResults ?? [];
    if (results.length === 0) return { stored: undefined, notices: { outbox: [], log: [] }, events: [] };
    const events: GwEvent[] = [];
    const host = snapshot.host;
    const known = new Map((await store.getActions(results.map((r) => r.id))).map((a) => [a.action.id, a]));
    const noted: Alert[] = [];
    for (const r of results) {
      const before = known.get(r.id);
      const after = before === undefined ? null : withResult(before, host, r);
      if (before === undefined || after === null) {
        const why = before === undefined ? 'no such action' : before.action.host !== host ? "another host's action" : `the action is already ${before.state}`;
        deps.log?.(`${logText(host)}: result ${logText(r.outcome)} for action ${logText(r.id)} ignored: ${why}`);
        continue;
      }
      known.set(r.id, after);
      events.push(actionResultEvent(before, r, now, crypto.randomUUID()));
      deps.log?.(`${logText(host)}: action ${logText(r.id)} (${after.action.type}, rule ${logText(after.action.reason.rule)}): ${r.outcome}: ${logText(r.detail)}`);
      const alert = alerts.find((a) => a.fingerprint === after.action.reason.fingerprint);
      if (alert !== undefined) noted.push({ ...alert, action: actionNote(after) });
    }
    return { stored: { host, results }, notices: await planNotices(noted, now, cfg), events };
  }

  // Snapshots of one host, and the tick of that host, run one at a time (each reads and rewrites the host's tracked
  // state or alerts); different hosts proceed concurrently.
  const hostQueues = new Map<string, Promise<unknown>>();
  function serialised<T>(host: string, work: () => Promise<T>): Promise<T> {
    const before = hostQueues.get(host) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    hostQueues.set(host, settled);
    void settled.then(() => {
      if (hostQueues.get(host) === settled) hostQueues.delete(host);
    });
    return run;
  }

  // Ingests begun and not finished: a request whose client went away may still wait for its turn at close.
  const inFlight = new Set<Promise<unknown>>();
  function ingest(snapshot: HostSnapshot, receivedAt: Date, meta: IngestMeta = {}): Promise<IngestResult> {
    const run = serialised(snapshot.host, () => ingestOne(snapshot, receivedAt, meta));
    const settled = run.catch(() => undefined);
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return run;
  }

  async function drain(): Promise<void> {
    while (inFlight.size > 0) await Promise.all(inFlight);
  }

  async function ingestOne(snapshot: HostSnapshot, receivedAt: Date, meta: IngestMeta): Promise<IngestResult> {
    await gate.turn();
    const cfg = settings;
    const { rules, limits, maxSkewMs, maxAgeMs } = cfg;
    // The snapshot row is written in the same transaction as the evaluation (one commit per snapshot). Two copies
    // of one snapshot arriving together are serialised per host, so the second is seen as a duplicate.
    const duplicate = await store.hasSnapshot(snapshot.host, snapshot.id);
    const previous = await store.alertsForHost(snapshot.host);
    // A duplicate (a resend after a lost reply) gets the due actions again; its results were taken the first time.
    if (duplicate) return { accepted: false, alerts: current(previous), actions: await dueFor(snapshot.host, receivedAt) };
    const reports = await actionReports(snapshot, previous, receivedAt, cfg);
    // Every snapshot keeps its row; the body only where it is evidence (it changed an alert, or was not evaluated).
    const row = (evidence: boolean): SnapshotRow => ({
      host: snapshot.host,
      snapshotId: snapshot.id,
      takenAt: snapshot.takenAt,
      receivedAt: receivedAt.toISOString(),
      body: evidence ? JSON.stringify(snapshot) : null,
    });
    const host = await store.getHost(snapshot.host);
    // A host clock that is off is measured and corrected for, never trusted: a snapshot from the future must not
    // freeze the host (every later one would look older), and one from a slow clock must not look spooled.
    const clock = evaluationTime(snapshot.takenAt, receivedAt, meta.sentAt ?? null, maxSkewMs);
    const notEvaluated = async (why: string): Promise<IngestResult> => {
      deps.log?.(`${logText(snapshot.host)}: snapshot ${logText(snapshot.id)} ${logText(why)}; stored, not evaluated`);
      // A new host is recorded all the same (listed, and watched for silence), with nothing tracked yet.
      const hostRecord = host ?? { host: snapshot.host, lastTakenAt: clock.at.toISOString(), tracked: '' };
      await store.commitEvaluation({
        snapshot: row(true),
        hostRecord: { ...hostRecord, lastSeenAt: receivedAt.toISOString() },
        upsert: [],
        remove: [],
        outbox: reports.notices.outbox,
        log: reports.notices.log,
        ...(reports.stored === undefined ? {} : { actionResults: reports.stored }),
        events: reports.events,
      });
      return { accepted: true, alerts: current(previous), actions: await dueFor(snapshot.host, receivedAt) };
    };
    if (receivedAt.getTime() - clock.at.getTime() > maxAgeMs) return notEvaluated(`was taken more than ${Math.round(maxAgeMs / 3_600_000)} h before it arrived`);
    if (host !== null && clock.at.getTime() < Date.parse(host.lastTakenAt)) return notEvaluated(`is older than ${host.lastTakenAt}`);
    const prevTracked = trackedCache.read(snapshot.host, host?.tracked ?? null);
    const { subjects, tracked } = computeFacts(snapshot, prevTracked, limits, {
      at: clock.at,
      clockSkewS: clock.skewMs === null ? null : clock.skewMs / 1000,
      maxClockSkewS: maxSkewMs / 1000,
    });
    const findings = rules.evaluate(subjects);
    const result = transition(previous, {
      host: snapshot.host,
      at: clock.at,
      evaluatedRules: rules.ruleIds,
      findings,
      resolvedRetentionMs: retentionMs,
      staleRules: staleRulesOf(snapshot, rules),
      staleResolveAfterMs: cfg.staleResolveAfterMs,
      keepFiringForSec: cfg.keepFiringForSec,
      // Pending `for` timers do not carry over a gap longer than the host-silent bound.
      restartPending: host !== null && clock.at.getTime() - Date.parse(host.lastTakenAt) > cfg.silentGapMs,
    });
    if (result.upsert.length > 0 || result.remove.length > 0) await cancelUnneeded(snapshot.host, alertsAfter(previous, result), new Set(snapshot.actionResults?.map((r) => r.id)), receivedAt);
    const grants = result.changes.length === 0 || cfg.grants === undefined ? [] : await cfg.grants(receivedAt);
    const grantOf = (user: string | null, rule: string): Grant | null => (user === null || grants.length === 0 ? null : activeGrantFor(grants, { user, rule }, receivedAt));
    const planned = rules.enforcement.size === 0 ? [] : planActions(result.changes, snapshot, rules.enforcement, receivedAt, cfg.actionTiming, (user, rule) => grantOf(user, rule) !== null);
    const notifications = await plan(withGrantNotes(withActionNotes(result.changes, planned), grantOf), receivedAt, cfg);
    const trackedJson = JSON.stringify(tracked);
    // The usage history: what each user holds now, credited back to the previous evaluation (at most 3 probe
    // intervals: a gap in snapshots is not usage); nothing for a first evaluation or unknown holdings.
    const lastEvaluatedAt = prevTracked.lastTakenAt === null ? null : new Date(prevTracked.lastTakenAt);
    const usage = usageIncrements(subjects, { host: snapshot.host, from: lastEvaluatedAt, to: clock.at, maxSpanS: 3 * limits.probeIntervalS });
    await store.commitEvaluation({
      snapshot: row(result.changes.length > 0 || reports.stored !== undefined),
      hostRecord: { host: snapshot.host, lastSeenAt: receivedAt.toISOString(), lastTakenAt: clock.at.toISOString(), tracked: trackedJson },
      upsert: result.upsert,
      remove: result.remove,
      outbox: [...notifications.outbox, ...reports.notices.outbox],
      log: [...notifications.log, ...reports.notices.log],
      actions: planned,
      ...(reports.stored === undefined ? {} : { actionResults: reports.stored }),
      events: [...reports.events, ...alertEvents(result.changes, receivedAt, newId), ...plannedActionEvents(planned, receivedAt, newId)],
      usage,
    });
    trackedCache.wrote(snapshot.host, trackedJson, tracked);
    // Commits are acknowledged together (one WAL sync): their replies are built a few per turn, not all at once.
    await gate.turn();
    const resolvedNow = new Set(result.changes.filter((c) => c.to === 'resolved').map((c) => c.fingerprint));
    const actions = await dueFor(snapshot.host, receivedAt);
    return { accepted: true, alerts: alertsAfter(previous, result).filter((a) => a.state !== 'resolved' || resolvedNow.has(a.fingerprint)), actions };
  }

  /** Actions nobody approved, or no host reported on, before they expired: closed as expired, admins told. */
  async function expireActions(now: Date, cfg: CoreSettings): Promise<void> {
    const expired = await store.expireActions(now.toISOString());
    for (const a of expired) deps.log?.(`${logText(a.action.host)}: action ${logText(a.action.id)} (${a.action.type}) expired: ${logText(a.result?.detail ?? '')}`);
    if (expired.length === 0) return;
    const noted: Alert[] = [];
    const alertsOf = new Map<string, Alert[]>(); // each host's alerts read once, however many of its actions expired
    for (const a of expired) {
      const host = a.action.host;
      if (!alertsOf.has(host)) alertsOf.set(host, await store.alertsForHost(host));
      const alert = alertsOf.get(host)?.find((x) => x.fingerprint === a.action.reason.fingerprint);
      if (alert !== undefined) noted.push({ ...alert, action: actionNote(a) });
    }
    const notices = await planNotices(noted, now, cfg);
    if (notices.outbox.length > 0) await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: notices.outbox, log: notices.log });
  }

  /**
   * One host's rules on time alone (host silent) at `now` under `cfg`; its alerts afterwards, or null for an unknown
   * host. The host record is read here, in the host's turn, so a snapshot evaluated just before counts as seen.
   */
  async function tickHostOne(name: string, now: Date, cfg: CoreSettings): Promise<Alert[] | null> {
    const { rules, limits } = cfg;
    const host = await store.getHost(name);
    if (host === null) return null;
    const secondsSinceSnapshot = Math.max(0, (now.getTime() - Date.parse(host.lastSeenAt)) / 1000);
    const subject = hostSubject(name, { snapshot: null, capacity: null, secondsSinceSnapshot, probeIntervalS: limits.probeIntervalS, silentAfterIntervals: limits.hostSilentAfterIntervals });
    const previous = await store.alertsForHost(name);
    const result = transition(previous, {
      host: name,
      at: now,
      evaluatedRules: rules.tickRuleIds,
      findings: rules.evaluateTick([subject]),
      resolvedRetentionMs: retentionMs,
      keepFiringForSec: cfg.keepFiringForSec,
    });
    // A reload swapped the config meanwhile: results of the replaced rules are not written (the next tick runs the new ones).
    if (settings !== cfg) return previous;
    if (result.upsert.length > 0 || result.remove.length > 0) {
      const notifications = await plan(result.changes, now, cfg);
      await store.commitEvaluation({ hostRecord: null, upsert: result.upsert, remove: result.remove, outbox: notifications.outbox, log: notifications.log, events: alertEvents(result.changes, now, newId) });
    }
    return alertsAfter(previous, result);
  }

  /** A host's tick in the host's queue: it reads and rewrites the host's alerts, as its snapshots do. */
  function tickHostQueued(host: string, now: Date, cfg: CoreSettings): Promise<Alert[] | null> {
    return serialised(host, () => tickHostOne(host, now, cfg));
  }

  /**
   * The tick under `cfg`: the event log, the usage history, and expired web sessions and sign-in links pruned (every 10 min), expired actions, then every host's alerts once (`alertsOf`: ticking the host, or only
   * reading it), then repeats of what is firing (all of it, however many; not a capped list). A few hosts per
   * event-loop turn, so requests are answered meanwhile.
   */
  async function tickWith(now: Date, cfg: CoreSettings, alertsOf: (host: string) => Promise<Alert[] | null>): Promise<void> {
    if (now.getTime() - lastEventPruneMs >= EVENT_PRUNE_EVERY_MS) {
      lastEventPruneMs = now.getTime();
      await store.pruneEvents(now.toISOString(), deps.eventRetention);
      await store.pruneUsage(now.toISOString());
      await store.pruneWebSessions(now.toISOString());
    }
    await expireActions(now, cfg);
    const firing: Alert[] = [];
    let n = 0;
    for (const host of await store.listHosts()) {
      if (++n % TICK_HOSTS_PER_TURN === 0) await yieldToIo();
      for (const a of (await alertsOf(host.host)) ?? []) if (a.state === 'firing') firing.push(a);
    }
    if (cfg.recipientsOf !== undefined) {
      const recipientsOf = routedOnce(cfg.recipientsOf);
      // Routing every firing alert of the fleet (1,000s after a fleet-wide event) is done a slice per turn.
      for (const [i, alert] of firing.entries()) {
        if (i % ALERTS_ROUTED_PER_TURN === ALERTS_ROUTED_PER_TURN - 1) await yieldToIo();
        recipientsOf(alert);
      }
      const repeats = planRepeats(firing, recipientsOf, await groupStatesFor(firing, recipientsOf), clock(), newId);
      if (repeats.outbox.length > 0) await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: repeats.outbox, log: repeats.log });
    }
  }

  /** Drop one host's unresolved alerts whose rule the pack in force lacks, and cancel their open actions. */
  async function dropOrphans(host: string, now: Date): Promise<Alert[]> {
    const { ruleIds } = settings.rules;
    const previous = await store.alertsForHost(host);
    const orphans = previous.filter((a) => a.state !== 'resolved' && !ruleIds.has(a.rule));
    if (orphans.length === 0) return [];
    const dropped = new Set(orphans.map((a) => a.fingerprint));
    const open = [...(await store.listActions({ host, state: 'scheduled', limit: 1000 })), ...(await store.listActions({ host, state: 'awaiting-approval', limit: 1000 }))];
    const orphaned = open.filter((o) => dropped.has(o.action.reason.fingerprint)).map((o) => o.action.id);
    if (orphaned.length > 0) await cancelLogged(host, orphaned, now, 'its rule was removed by a reload');
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [...dropped], outbox: [], log: [] });
    return orphans;
  }

  async function reconfigure(next: CoreConfig, now: Date): Promise<Alert[]> {
    settings = coreSettings(next);
    const dropped: Alert[] = [];
    for (const host of await store.listHosts()) dropped.push(...(await serialised(host.host, () => dropOrphans(host.host, now))));
    return dropped;
  }

  return {
    ingest,
    drain,
    reconfigure,
    tick: (now) => {
      const cfg = settings;
      return tickWith(now, cfg, (host) => tickHostQueued(host, now, cfg));
    },
    tickHost: async (host, now) => (await serialised(host, () => tickHostOne(host, now, settings))) !== null,
    tickFleet: (now) => tickWith(now, settings, (host) => store.alertsForHost(host)),
  };
}
