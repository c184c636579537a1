// Pure: which enforcement actions an evaluation's alert changes call for, with their targets read from the
// snapshot that caused them. One action per alert episode, stage and type (its id says so), never re-planned.
import type { Alert, AlertChange } from '../alerts/alert.ts';
import type { Rule } from '../engine/rules/rule-schema.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import type { ActionParams, ActionTarget, ActionType, PlannedAction } from './action.ts';
import type { StoredAction } from './stored-action.ts';
import { actionNote } from './action-words.ts';

/** One action a rule asks for, enabled. */
export interface ActionSpec {
  type: ActionType;
  params: ActionParams;
}

/** What a rule asks the hosts to do: per stage (null: when the alert first fires, whatever its stage). */
export interface RuleEnforcement {
  approve: boolean;
  byStage: ReadonlyMap<string | null, readonly ActionSpec[]>;
}

/** Timing of planned actions. */
export interface ActionTiming {
  /** Stops and signals wait this long after the notice that announces them (warnings go at once). */
  graceS: number;
  /** An action not carried out this long after notBefore expires. */
  lifetimeS: number;
}

/** Default timing: 5 min between the notice and a stop; an hour to carry it out. */
export const DEFAULT_ACTION_TIMING: ActionTiming = { graceS: 300, lifetimeS: 3600 };

/** The enabled actions of a rule by stage, or null when it asks for none. */
export function enforcementOf(rule: Rule): RuleEnforcement | null {
  const byStage = new Map<string | null, ActionSpec[]>();
  const add = (stage: string | null, a: { type: ActionType; params?: ActionParams | undefined; enabled?: boolean }): void => {
    if (a.enabled === false) return;
    byStage.set(stage, [...(byStage.get(stage) ?? []), { type: a.type, params: a.params ?? {} }]);
  };
  for (const a of rule.actions) add(a.stage ?? null, a);
  for (const s of rule.stages) for (const a of s.actions) add(s.id, a);
  return byStage.size === 0 ? null : { approve: rule.approve, byStage };
}

/** The snapshot's view of what an alert is about: its container or its process, as the probe must find it again. */
export function targetOf(alert: Alert, snapshot: HostSnapshot): ActionTarget | null {
  const pid = alert.labels.pid;
  if (pid !== undefined) {
    const p = snapshot.gpuProcesses.find((x) => String(x.pid) === pid);
    return p === undefined ? null : { kind: 'process', pid: p.pid, startTime: p.startTime, uid: p.uid, containerId: p.containerId };
  }
  const id = alert.labels.container;
  if (id === undefined) return null;
  const c = snapshot.containers.find((x) => x.id === id);
  return c === undefined ? null : { kind: 'container', containerId: c.id, name: c.name, createdAt: c.createdAt, startedAt: c.startedAt, state: c.state };
}

/** The action id: the alert, the stage, the type and the episode (activeSince), in characters safe anywhere. */
export function actionId(alert: Alert, type: ActionType): string {
  return `${alert.fingerprint.slice(0, 24)}-${alert.stage ?? 'fire'}-${type}-${Date.parse(alert.activeSince).toString(36)}`;
}

function warnText(alert: Alert, params: ActionParams): string {
  const text = params.message ?? [alert.annotations.summary, alert.annotations.description].filter((t) => t.trim() !== '').join('\n');
  return text.slice(0, 4000);
}

/**
 * The actions to store with an evaluation: for each alert that starts firing, its stageless actions and those of
 * its stage; for each escalation, those of the new stage. `granted(user, rule)`: a granted user's alert plans none.
 * An alert whose target is not in the snapshot (gone meanwhile) plans none.
 */
export function planActions(
  changes: readonly AlertChange[],
  snapshot: HostSnapshot,
  enforcement: ReadonlyMap<string, RuleEnforcement>,
  now: Date,
  timing: ActionTiming = DEFAULT_ACTION_TIMING,
  granted: (user: string | null, rule: string) => boolean = () => false,
): StoredAction[] {
  const planned: StoredAction[] = [];
  for (const change of changes) {
    if (change.to !== 'firing' || (change.from === 'firing' && !change.escalated)) continue;
    const alert = change.alert;
    const rule = enforcement.get(alert.rule);
    if (rule === undefined) continue;
    const specs = [...(change.from !== 'firing' ? (rule.byStage.get(null) ?? []) : []), ...(alert.stage !== null ? (rule.byStage.get(alert.stage) ?? []) : [])];
    const user = alert.labels.user ?? null;
    if (specs.length === 0 || granted(user, alert.rule)) continue;
    const target = targetOf(alert, snapshot);
    if (target === null) continue;
    for (const spec of specs) {
      const waitS = spec.type === 'warn' ? 0 : timing.graceS;
      const notBefore = new Date(now.getTime() + waitS * 1000);
      const action: PlannedAction = {
        id: actionId(alert, spec.type),
        type: spec.type,
        host: alert.host,
        user,
        target,
        params: spec.type === 'warn' ? { message: warnText(alert, spec.params) } : { ...(spec.params.remove === undefined ? {} : { remove: spec.params.remove }), ...(spec.params.graceS === undefined ? {} : { graceS: spec.params.graceS }) },
        reason: { rule: alert.rule, stage: alert.stage, fingerprint: alert.fingerprint, summary: alert.annotations.summary.slice(0, 2000) },
        notBefore: notBefore.toISOString(),
        expiresAt: new Date(notBefore.getTime() + timing.lifetimeS * 1000).toISOString(),
      };
      planned.push({ action, state: rule.approve ? 'awaiting-approval' : 'scheduled', createdAt: now.toISOString(), approvedBy: null, approvedAt: null, result: null });
    }
  }
  return planned;
}

/** The changes with each alert carrying the note of the action planned for it, so the notice announces it. */
export function withActionNotes(changes: readonly AlertChange[], planned: readonly StoredAction[]): AlertChange[] {
  if (planned.length === 0) return [...changes];
  const byAlert = new Map<string, StoredAction>();
  // A terminal warning repeats what the notice itself says: only a stop or signal is announced.
  for (const p of planned) if (p.action.type !== 'warn') byAlert.set(p.action.reason.fingerprint, p);
  return changes.map((c) => {
    const p = byAlert.get(c.fingerprint);
    return p === undefined ? c : { ...c, alert: { ...c.alert, action: actionNote(p) } };
  });
}
