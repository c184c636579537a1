// Runs the actions of a push reply: checks them in a fixed order (host, expiry, notBefore, allow list, mode, vetoes,
// re-check, keep-alive), then acts (mode on) or reports what it would have done (dry-run). Each action runs in the
// background, so a 60 s stop grace never holds up sampling; results queue until the next snapshot takes them.
import type { Mount, HostSnapshot } from '../../snapshot/schema.ts';
import { ACTION_ID_PATTERN, type ActionOutcome, type ActionResult, type PlannedAction } from '../action.ts';
import { keepAliveVeto } from './keep-alive.ts';
import type { InvalidAction } from './parse-actions.ts';
import type { EnforcementSettings } from './settings.ts';
import { stopWords, type ActOutcome } from './stop-container.ts';
import { signalWords } from './signal-process.ts';
import { vetoOf, type TargetFacts } from './vetoes.ts';

/** The target re-read right before acting, or why it is not the planned one. */
export type RecheckResult = { ok: true; facts: TargetFacts; mounts?: readonly Mount[] } | { ok: false; detail: string };

/** The host side of enforcement (real: host-enforcer.ts; tests may fake it). */
export interface Enforcer {
  /** Re-read the target (container inspect, /proc) and say what it is now. */
  recheck(action: PlannedAction): Promise<RecheckResult>;
  /** Carry the action out and confirm it. */
  act(action: PlannedAction, graceS: number): Promise<ActOutcome>;
}

/** Options of createActionRunner. */
export interface ActionRunnerOptions {
  /** This probe's host name (default: the host of the latest observed snapshot). */
  host?: string;
  settings: EnforcementSettings;
  enforcer: Enforcer;
  log: (line: string) => void;
  nowMs?: () => number;
  /** How many action ids are remembered against a second run (default 10,000). */
  maxRememberedIds?: number;
  /** How long an action id is remembered (default 24 h). */
  rememberMs?: number;
}

/** Runs actions in the background and hands their results to the next snapshot. */
export interface ActionRunner {
  /** Start the actions of one accepted reply (and report the invalid ones). Never throws. */
  accept(actions: readonly PlannedAction[], invalid?: readonly InvalidAction[]): void;
  /** The latest snapshot, for what it says about targets (protected containers, system processes). */
  observe(snapshot: HostSnapshot): void;
  /** Results not yet sent, oldest first, at most `max` (the rest wait for the next snapshot). */
  takeResults(max?: number): ActionResult[];
  /** Resolves when no action is running (tests, shutdown). */
  idle(): Promise<void>;
}

/** Most results one snapshot carries (the snapshot schema's bound). */
export const MAX_RESULTS_PER_SNAPSHOT = 1000;
const MAX_DETAIL_CHARS = 1000;

/** A string from the service or a user, safe in one log line: control characters escaped, bounded. */
export function escapeForLog(text: string, maxChars = 300): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return escaped.length > maxChars ? `${escaped.slice(0, maxChars)}…` : escaped;
}

function targetText(action: PlannedAction): string {
  return action.target.kind === 'container' ? `container ${action.target.name || action.target.containerId.slice(0, 12)}` : `process ${action.target.pid}`;
}

/** What the action would have done: the dry-run detail (pure). */
export function dryRunDetail(action: PlannedAction, graceS: number): string {
  switch (action.type) {
    case 'stop-container':
      // A container that is not running is only removed (or left alone): never "stopped".
      if (action.target.kind === 'container' && action.target.state !== 'running') {
        return action.params.remove === true ? `would have removed ${targetText(action)} (it is not running)` : `would have left ${targetText(action)} as it is (it is not running)`;
      }
      return `would have stopped ${targetText(action)} ${stopWords(graceS, false)}${action.params.remove === true ? ' and removed it' : ''}`;
    case 'signal-process':
      return `would have signalled ${targetText(action)} (${signalWords(graceS)})`;
    case 'warn':
      return `would have written the message to the terminals of ${action.user ?? 'the target'}`;
  }
}

/** Facts about the target from the latest snapshot (before any live re-read). */
function snapshotFacts(action: PlannedAction, snapshot: HostSnapshot | null): TargetFacts {
  const t = action.target;
  if (t.kind === 'container') {
    const c = snapshot?.containers.find((x) => x.id === t.containerId);
    if (c === undefined) return { containerName: t.name };
    return { containerName: c.name, containerLabels: c.labels, containerProtected: c.protected, containerClass: c.class, users: c.owner.user === null ? [] : [c.owner.user] };
  }
  const p = snapshot?.gpuProcesses.find((x) => x.pid === t.pid && x.startTime === t.startTime);
  return p === undefined ? { processUid: t.uid } : { processUid: t.uid, processSystem: p.system, users: p.user === null ? [] : [p.user] };
}

function mergeFacts(a: TargetFacts, b: TargetFacts): TargetFacts {
  return { ...a, ...b, users: [...(a.users ?? []), ...(b.users ?? [])], processSystem: a.processSystem === true || b.processSystem === true };
}

/** Create a runner for this host's actions. */
export function createActionRunner(options: ActionRunnerOptions): ActionRunner {
  const { host, settings, enforcer } = options;
  const nowMs = options.nowMs ?? Date.now;
  const maxIds = options.maxRememberedIds ?? 10_000;
  const rememberMs = options.rememberMs ?? 24 * 3_600_000;
  const seen = new Map<string, number>(); // id → when first seen (insertion order = age)
  const results: ActionResult[] = [];
  const running = new Set<Promise<void>>();
  let latest: HostSnapshot | null = null;

  function remembered(id: string): boolean {
    const cutoff = nowMs() - rememberMs;
    for (const [k, at] of seen) {
      if (at >= cutoff && seen.size <= maxIds) break;
      seen.delete(k);
    }
    return seen.has(id);
  }
  function remember(id: string): void {
    seen.set(id, nowMs());
    while (seen.size > maxIds) seen.delete(seen.keys().next().value as string);
  }
  function report(action: Pick<PlannedAction, 'id'> & Partial<PlannedAction>, outcome: ActionOutcome, detail: string): void {
    const clipped = detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS - 1)}…` : detail;
    results.push({ id: action.id, outcome, detail: clipped, at: new Date(nowMs()).toISOString() });
    const what = action.type === undefined ? '' : ` ${action.type} ${action.target === undefined ? '' : targetText(action as PlannedAction)}`;
    options.log(`action ${action.id}${escapeForLog(what)}: ${outcome} (${escapeForLog(clipped)})`);
  }

  /** Everything after the cheap checks: vetoes, re-check, keep-alive, act or dry-run. */
  async function carryOut(action: PlannedAction): Promise<void> {
    const graceS = action.params.graceS ?? settings.sigtermGraceS;
    const before = snapshotFacts(action, latest);
    const early = vetoOf(action, before, settings);
    if (early !== null) return report(action, 'vetoed', early);
    let facts = before;
    // A warning harms nothing and is about a person: it is written even when the target has changed since.
    if (action.type !== 'warn') {
      const live = await enforcer.recheck(action);
      if (!live.ok) return report(action, 'target-changed', live.detail);
      facts = mergeFacts(before, live.facts);
      const veto = vetoOf(action, facts, settings);
      if (veto !== null) return report(action, 'vetoed', veto);
      if (action.type === 'stop-container' && live.mounts !== undefined) {
        const keep = await keepAliveVeto(live.mounts, facts.containerName ?? targetText(action), settings.keepAliveMaxAgeH, nowMs());
        if (keep !== null) return report(action, 'vetoed', keep);
      }
    }
    if (settings.mode === 'dry-run') return report(action, 'dry-run', dryRunDetail(action, graceS));
    const done = await enforcer.act(action, graceS);
    report(action, done.outcome, done.detail);
  }

  function start(action: PlannedAction): void {
    const task = carryOut(action)
      .catch((err: unknown) => report(action, 'failed', `error: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => running.delete(task));
    running.add(task);
  }

  function handle(action: PlannedAction): void {
    if (remembered(action.id)) return; // in flight or already reported: never twice
    const now = nowMs();
    const self = host ?? latest?.host;
    if (action.host !== self) return (remember(action.id), report(action, 'refused', `the action is for host ${action.host}, this is ${self ?? 'a probe whose host name is not known yet'}`));
    if (Date.parse(action.expiresAt) <= now) return (remember(action.id), report(action, 'expired', `arrived after it expired at ${action.expiresAt}`));
    if (Date.parse(action.notBefore) > now) return; // not yet: the service delivers it again on a later push
    remember(action.id);
    if (!settings.allow.has(action.type)) return report(action, 'refused', `${action.type} is not in this probe's allow list`);
    if (settings.mode === 'off') return report(action, 'refused', 'enforcement is off on this host');
    start(action);
  }

  return {
    accept(actions, invalid = []) {
      for (const bad of invalid) {
        options.log(`the service sent an action that is not valid: ${escapeForLog(bad.message)}${bad.id === null ? '' : ` (id ${escapeForLog(bad.id, 200)})`}`);
        if (bad.id !== null && bad.id.length <= 200 && ACTION_ID_PATTERN.test(bad.id) && !remembered(bad.id)) {
          remember(bad.id);
          report({ id: bad.id }, 'refused', `not a valid action: ${bad.message}`);
        }
      }
      for (const action of actions) {
        try {
          handle(action);
        } catch (err) {
          options.log(`action ${action.id}: cannot be handled (${escapeForLog(err instanceof Error ? err.message : String(err))})`);
        }
      }
    },
    observe(snapshot) {
      latest = snapshot;
    },
    takeResults(max = MAX_RESULTS_PER_SNAPSHOT) {
      return results.splice(0, max);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
