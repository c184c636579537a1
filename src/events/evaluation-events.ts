import type { AlertChange } from '../alerts/alert.ts';
import type { ActionResult } from '../enforcement/action.ts';
import type { StoredAction } from '../enforcement/stored-action.ts';
import type { GwEvent } from './event.ts';

/**
 * The events of one evaluation's alert changes: `alert.<new state>` for each change of state (an escalation while
 * firing is `alert.firing` with `escalated: true`); subject the fingerprint, user the alert's `user` label.
 */
export function alertEvents(changes: readonly AlertChange[], at: Date, newId: () => string): GwEvent[] {
  return changes
    .filter((c) => c.from !== c.to || c.escalated)
    .map((c) => ({
      id: newId(),
      at: at.toISOString(),
      type: `alert.${c.to}` as const,
      host: c.alert.host,
      ...(c.alert.labels['user'] === undefined || c.alert.labels['user'] === '' ? {} : { user: c.alert.labels['user'] }),
      subject: c.fingerprint,
      details: { rule: c.alert.rule, from: c.from, severity: c.alert.severity, stage: c.alert.stage, escalated: c.escalated, summary: c.alert.annotations.summary },
    }));
}

/** The `action.planned` events of newly planned enforcement actions; subject the action id. */
export function plannedActionEvents(planned: readonly StoredAction[], at: Date, newId: () => string): GwEvent[] {
  return planned.map((p) => ({
    id: newId(),
    at: at.toISOString(),
    type: 'action.planned' as const,
    host: p.action.host,
    ...(p.action.user === null || p.action.user === '' ? {} : { user: p.action.user }),
    subject: p.action.id,
    details: { actionType: p.action.type, state: p.state, notBefore: p.action.notBefore },
  }));
}

/**
 * The event of a host's result for one of its scheduled actions: `action.done` (done, dry-run), `action.vetoed`
 * (the user's veto), else `action.failed` (failed, target-changed, refused, expired); details.outcome says which.
 */
export function actionResultEvent(stored: StoredAction, result: ActionResult, at: Date, id: string): GwEvent {
  const type = result.outcome === 'done' || result.outcome === 'dry-run' ? 'action.done' : result.outcome === 'vetoed' ? 'action.vetoed' : 'action.failed';
  return {
    id,
    at: at.toISOString(),
    type,
    host: stored.action.host,
    ...(stored.action.user === null || stored.action.user === '' ? {} : { user: stored.action.user }),
    subject: stored.action.id,
    details: { actionType: stored.action.type, outcome: result.outcome, detail: result.detail, rule: stored.action.reason.rule },
  };
}
