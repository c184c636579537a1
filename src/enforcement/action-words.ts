// What people read about an enforcement action: said as done only when the probe's result says so.
import type { AlertActionNote } from '../alerts/alert.ts';
import type { StoredAction } from './stored-action.ts';

/** The note a message carries for a stored action. */
export function actionNote(stored: StoredAction): AlertActionNote {
  return {
    id: stored.action.id,
    type: stored.action.type,
    state: stored.state,
    remove: stored.action.params.remove === true,
    notBefore: stored.action.notBefore,
    at: stored.result?.at ?? null,
    detail: stored.result?.detail ?? null,
  };
}

/** What the action does, as a verb phrase: `stop and remove the container`. */
export function actionVerb(note: Pick<AlertActionNote, 'type' | 'remove'>): string {
  switch (note.type) {
    case 'stop-container':
      return note.remove ? 'stop and remove the container' : 'stop the container';
    case 'signal-process':
      return 'end the process (SIGTERM, then SIGKILL if it does not exit)';
    case 'warn':
      return "write a warning to the owner's terminals";
  }
}

/** Whether the person concerned is told about this state (failures and refusals are for admins). */
export function userSeesAction(state: string): boolean {
  return state === 'scheduled' || state === 'awaiting-approval' || state === 'done' || state === 'dry-run';
}

/**
 * One sentence on the action, e.g. `Scheduled: stop and remove the container, not before 2026-12-03 14:10 UTC.`,
 * `Done at 2026-12-03 14:11 UTC: stopped (SIGTERM, 60 s grace) and removed.` `formatTime` renders times.
 */
export function actionSentence(note: AlertActionNote, formatTime: (iso: string) => string): string {
  const verb = actionVerb(note);
  const at = note.at === null ? '' : ` at ${formatTime(note.at)}`;
  const detail = note.detail === null || note.detail.trim() === '' ? '' : `: ${note.detail.trim().replace(/\.$/, '')}`;
  switch (note.state) {
    case 'awaiting-approval':
      return `Proposed: ${verb}; waits for an administrator's approval.`;
    case 'scheduled':
      return `Scheduled: ${verb}, not before ${formatTime(note.notBefore)}. Nothing has been done yet.`;
    case 'done':
      return `Done${at}${detail || `: ${verb}`}.`;
    case 'dry-run':
      // The probe's own words ("would have removed container x (it is not running)") when it sent them.
      return `Dry run${at}: nothing was done; the probe ${detail === '' ? `would ${verb}` : detail.slice(2)}.`;
    default:
      return `Not done (${note.state})${at}${detail}.`;
  }
}
