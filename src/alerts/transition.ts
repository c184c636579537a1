import { type Finding, SEVERITY_ORDER } from '../engine/finding.ts';
import type { Alert, AlertChange, AlertState } from './alert.ts';
import { fingerprint } from './fingerprint.ts';

/** One evaluation's input to the state machine. */
export interface TransitionInput {
  host: string;
  /** Evidence time: the snapshot's takenAt, or the tick time for tick-evaluated rules. */
  at: Date;
  /** Rules that were evaluated: their alerts missing from `findings` are no longer active. */
  evaluatedRules: ReadonlySet<string>;
  findings: readonly Finding[];
  /** How long resolved alerts stay listed before they are dropped. */
  resolvedRetentionMs: number;
  /**
   * Rules that could not be evaluated because a source they need failed, with those sources: their alerts keep
   * their state (marked stale), pending `for` timers do not advance, and their findings (if any) are ignored.
   */
  staleRules?: ReadonlyMap<string, readonly string[]>;
  /** How long an alert may stay stale before it is resolved with reason `source-unavailable` (default: never). */
  staleResolveAfterMs?: number;
  /** keep_firing_for of a rule in seconds (default 0: resolve as soon as the condition stops holding). */
  keepFiringForSec?: (rule: string) => number;
  /** The host was silent for longer than the silence bound: pending `for` timers start again. */
  restartPending?: boolean;
}

/** What to write back: alerts to upsert, fingerprints to delete, and the state changes for notification. */
export interface TransitionResult {
  upsert: Alert[];
  remove: string[];
  changes: AlertChange[];
}

function sameSources(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** When a pending alert's `for` counts from: paused while it was stale, restarted after a silent gap. */
function pendingSince(prev: Alert, atMs: number, restart: boolean): string {
  if (restart) return new Date(atMs).toISOString();
  if (prev.stale === null || prev.stale === undefined) return prev.activeSince;
  const pausedMs = Math.max(0, atMs - Date.parse(prev.stale.since));
  return new Date(Date.parse(prev.activeSince) + pausedMs).toISOString();
}

function sameAnnotations(a: Alert, f: Finding): boolean {
  return a.annotations.summary === f.annotations.summary && a.annotations.description === f.annotations.description;
}

function change(from: AlertState | 'inactive', alert: Alert, escalated = false): AlertChange {
  return { fingerprint: alert.fingerprint, from, to: alert.state, escalated, alert };
}

/**
 * The alert state machine (pure, injected time): inactive → pending → firing (once `for` has elapsed) →
 * resolved; a pending alert that stops matching is dropped, as in Prometheus. Out-of-order snapshots are
 * kept away from it by the caller (an older snapshot is stored but not evaluated).
 */
export function transition(previous: readonly Alert[], input: TransitionInput): TransitionResult {
  const atMs = input.at.getTime();
  const at = input.at.toISOString();
  const prevByFp = new Map(previous.map((a) => [a.fingerprint, a]));
  const seen = new Set<string>();
  const upsert: Alert[] = [];
  const remove: string[] = [];
  const changes: AlertChange[] = [];

  for (const f of input.findings) {
    if (input.staleRules?.has(f.rule) === true) continue;
    const fp = fingerprint(f.rule, f.labels);
    if (seen.has(fp)) continue;
    seen.add(fp);
    const prev = prevByFp.get(fp);
    const fresh = prev === undefined || prev.state === 'resolved';
    const activeSince = fresh ? at : prev.state === 'pending' ? pendingSince(prev, atMs, input.restartPending === true) : prev.activeSince;
    const due = atMs - Date.parse(activeSince) >= f.forSec * 1000;
    const state: AlertState = !fresh && prev.state === 'firing' ? 'firing' : due ? 'firing' : 'pending';
    // A move up to a stage with its own `for` waits until that stage has held for it; moves down apply at once.
    let severity = f.severity;
    let stage = f.stage;
    let pendingStage: Alert['pendingStage'] = null;
    if (!fresh && state === 'firing' && prev.stage !== f.stage && SEVERITY_ORDER.indexOf(f.severity) >= SEVERITY_ORDER.indexOf(prev.severity)) {
      const since = prev.pendingStage?.id === f.stage ? prev.pendingStage.since : at;
      if (atMs - Date.parse(since) < f.forSec * 1000) {
        severity = prev.severity;
        stage = prev.stage;
        pendingStage = { id: f.stage, since };
      }
    }
    const from: AlertState | 'inactive' = fresh ? 'inactive' : prev.state;
    // Unchanged alerts are not rewritten: most evaluations change nothing, and each write costs.
    const samePending = (prev?.pendingStage ?? null)?.id === pendingStage?.id && (prev?.pendingStage ?? null)?.since === pendingStage?.since;
    const settled = (prev?.stale ?? null) === null && (prev?.keepFiringSince ?? null) === null && prev?.activeSince === activeSince;
    if (!fresh && from === state && prev.severity === severity && prev.stage === stage && samePending && settled && sameAnnotations(prev, f)) continue;
    // Built only for what is written (most findings are unchanged and skipped above).
    const alert: Alert = {
      fingerprint: fp,
      rule: f.rule,
      host: input.host,
      severity,
      stage,
      labels: f.labels,
      annotations: f.annotations,
      notify: f.notify,
      state,
      activeSince,
      firedAt: state === 'firing' ? (!fresh && prev.firedAt !== null ? prev.firedAt : at) : null,
      resolvedAt: null,
      lastMatchedAt: at,
      updatedAt: at,
      pendingStage,
      stale: null,
      keepFiringSince: null,
      resolvedReason: null,
    };
    upsert.push(alert);
    if (from !== state) changes.push(change(from, alert));
    else if (state === 'firing' && prev !== undefined && (prev.stage !== stage || prev.severity !== severity)) {
      const escalated = SEVERITY_ORDER.indexOf(severity) >= SEVERITY_ORDER.indexOf(prev.severity);
      changes.push(change(from, alert, escalated));
    }
  }

  for (const prev of previous) {
    if (seen.has(prev.fingerprint)) continue;
    if (prev.state === 'resolved') {
      if (atMs - Date.parse(prev.resolvedAt ?? prev.updatedAt) > input.resolvedRetentionMs) remove.push(prev.fingerprint);
      continue;
    }
    if (!input.evaluatedRules.has(prev.rule)) continue;
    const staleSources = input.staleRules?.get(prev.rule);
    if (staleSources !== undefined) {
      // Unknown is not absent: the alert keeps its state until the source is back, or has been gone too long.
      const since = prev.stale?.since ?? at;
      const sources = [...staleSources];
      if (atMs - Date.parse(since) >= (input.staleResolveAfterMs ?? Number.POSITIVE_INFINITY)) {
        if (prev.state === 'pending') {
          remove.push(prev.fingerprint);
          continue;
        }
        const gone: Alert = { ...prev, state: 'resolved', resolvedAt: at, updatedAt: at, stale: { since, sources }, keepFiringSince: null, resolvedReason: 'source-unavailable' };
        upsert.push(gone);
        changes.push(change('firing', gone));
      } else if (prev.stale === null || prev.stale === undefined || !sameSources(prev.stale.sources, sources)) {
        upsert.push({ ...prev, stale: { since, sources } });
      }
      continue;
    }
    if (prev.state === 'pending') {
      remove.push(prev.fingerprint); // never fired: nobody was told, so it just goes away
      continue;
    }
    // keep_firing_for: a firing alert resolves only once its condition has been false that long (no flapping).
    const keepForMs = (input.keepFiringForSec?.(prev.rule) ?? 0) * 1000;
    const falseSince = prev.keepFiringSince ?? at;
    if (atMs - Date.parse(falseSince) < keepForMs) {
      if (prev.keepFiringSince !== falseSince || (prev.stale ?? null) !== null) upsert.push({ ...prev, keepFiringSince: falseSince, stale: null });
      continue;
    }
    const resolved: Alert = { ...prev, state: 'resolved', resolvedAt: at, updatedAt: at, stale: null, keepFiringSince: null, resolvedReason: 'cleared' };
    upsert.push(resolved);
    changes.push(change('firing', resolved));
  }
  return { upsert, remove, changes };
}
