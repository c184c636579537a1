import { z } from 'zod';
import { ACTION_OUTCOMES, actionResultSchema, plannedActionSchema, type ActionResult } from './action.ts';

/**
 * Where a planned action stands in the service: awaiting-approval (the rule says `approve: true`), scheduled (sent
 * to its host with every reply until a result comes back), then the probe's outcome; `expired` also when no result
 * came back before expiresAt.
 */
export const ACTION_STATES = ['awaiting-approval', 'scheduled', ...ACTION_OUTCOMES] as const;

/** One of ACTION_STATES. */
export type ActionState = (typeof ACTION_STATES)[number];

/** A planned action as the service keeps it (GET /v1/actions lists these). */
export const storedActionSchema = z.object({
  action: plannedActionSchema,
  state: z.enum(ACTION_STATES),
  createdAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** The probe's report (or the service's, for an action that expired unanswered). */
  result: actionResultSchema.nullable(),
});

/** A planned action as the service keeps it. */
export type StoredAction = z.infer<typeof storedActionSchema>;

/** Whether an action still waits for something (approval or a result). */
export function isOpen(state: ActionState): boolean {
  return state === 'awaiting-approval' || state === 'scheduled';
}

/** The action once its host's result is applied, or null when the result does not apply (another host, not scheduled). */
export function withResult(stored: StoredAction, host: string, result: ActionResult): StoredAction | null {
  if (stored.action.host !== host || stored.state !== 'scheduled') return null;
  return { ...stored, state: result.outcome, result };
}

/** The action once approved by `by` at `at`, or null when it is not awaiting approval. */
export function approved(stored: StoredAction, by: string, at: string): StoredAction | null {
  if (stored.state !== 'awaiting-approval') return null;
  const notBefore = Date.parse(stored.action.notBefore) < Date.parse(at) ? at : stored.action.notBefore;
  return { ...stored, state: 'scheduled', approvedBy: by, approvedAt: at, action: { ...stored.action, notBefore } };
}

/** The action expired by the service at `now` (no result came back in time), or null when it is closed or not yet due to expire. */
export function expiredAt(stored: StoredAction, now: string): StoredAction | null {
  if (Date.parse(stored.action.expiresAt) > Date.parse(now)) return null;
  const why = stored.state === 'awaiting-approval' ? 'nobody approved it' : 'the host reported no result';
  return closedByService(stored, now, `${why} before ${stored.action.expiresAt}`);
}

/** The action closed by the service at `now` because `why` (its alert resolved or left the stage): null when already closed. */
export function cancelledAt(stored: StoredAction, now: string, why: string): StoredAction | null {
  return closedByService(stored, now, `cancelled: ${why}`);
}

/** An open action closed by the service as expired, with its reason as the result; null when already closed. */
function closedByService(stored: StoredAction, now: string, detail: string): StoredAction | null {
  if (!isOpen(stored.state)) return null;
  return { ...stored, state: 'expired', result: { id: stored.action.id, outcome: 'expired', detail, at: now } };
}
