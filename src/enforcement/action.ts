// The enforcement contract between the rules service and the probe: what the service asks a host to do (a
// PlannedAction, in the push reply's `actions`), and what the probe did about it (an ActionResult, sent back in the
// next snapshot's `actionResults`). The probe decides: it acts only where its own config allows, re-checks the
// target right before acting, and reports every outcome.
import { z } from 'zod';
import { containerIdSchema, isoTimeSchema, pidSchema, SNAPSHOT_HOST_PATTERN, uidSchema } from '../snapshot/primitives.ts';

/** Enforcement actions a rule may request (carried out by the probe, opt-in). */
export const ACTION_TYPES = ['warn', 'stop-container', 'signal-process'] as const;

/** One of ACTION_TYPES. */
export type ActionType = (typeof ACTION_TYPES)[number];

/** Action ids: what the service generates (`<fingerprint prefix>-<stage>-<episode time>`), safe in a log line. */
export const ACTION_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

const actionId = z.string().min(1).max(200).regex(ACTION_ID_PATTERN, 'letters, digits and . _ : - only');

/**
 * The container an action is about, as the service saw it: a replacement under the same name has another id, a
 * restarted one another startedAt, and one that stopped meanwhile another state. Any difference: `target-changed`.
 */
export const containerTargetSchema = z.object({
  kind: z.literal('container'),
  containerId: containerIdSchema,
  name: z.string().max(300),
  createdAt: isoTimeSchema.nullable(),
  startedAt: isoTimeSchema.nullable(),
  /** The Docker state seen when the action was planned (`running`, `exited`, `created`). */
  state: z.string().max(40),
});

/** The process an action is about: a recycled pid has another start time (or uid). */
export const processTargetSchema = z.object({
  kind: z.literal('process'),
  pid: pidSchema,
  startTime: isoTimeSchema.nullable(),
  uid: uidSchema.nullable(),
  containerId: containerIdSchema.nullable(),
});

/** What an action acts on. */
export const actionTargetSchema = z.discriminatedUnion('kind', [containerTargetSchema, processTargetSchema]);

/** How to carry out an action; every field has a safe default on the probe. */
export const actionParamsSchema = z.object({
  /** stop-container: remove the container once stopped (frees its GPU; DS01 removes idle containers). */
  remove: z.boolean().optional(),
  /** stop-container and signal-process: seconds between SIGTERM and SIGKILL. */
  graceS: z.number().int().min(0).max(3600).optional(),
  /** warn: the text written to the person's terminals (bounded; control characters are removed on the probe). */
  message: z.string().max(4000).optional(),
});

/** Why the service asks for an action: the alert behind it. */
export const actionReasonSchema = z.object({
  rule: z.string().max(200),
  stage: z.string().max(200).nullable(),
  fingerprint: z.string().max(200),
  summary: z.string().max(2000),
});

/** One action the service asks a host's probe to carry out (only that host's, between notBefore and expiresAt). */
export const plannedActionSchema = z.object({
  id: actionId,
  type: z.enum(ACTION_TYPES),
  host: z.string().min(1).max(253).regex(SNAPSHOT_HOST_PATTERN),
  /** The person concerned (the alert's `user` label), if known. */
  user: z.string().max(256).nullable(),
  target: actionTargetSchema,
  params: actionParamsSchema,
  reason: actionReasonSchema,
  notBefore: isoTimeSchema,
  expiresAt: isoTimeSchema,
});

/**
 * What came of an action on the host. done: carried out and confirmed; dry-run: would have been carried out;
 * vetoed: a local rule forbids it (detail says which); target-changed: the target is not the one planned for;
 * failed: tried and did not work (detail: the error); expired: arrived after expiresAt; refused: not for this
 * probe (another host, a type outside its allowlist, enforcement off).
 */
export const ACTION_OUTCOMES = ['done', 'dry-run', 'vetoed', 'target-changed', 'failed', 'expired', 'refused'] as const;

/** One of ACTION_OUTCOMES. */
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

/** The probe's report on one action. */
export const actionResultSchema = z.object({
  id: actionId,
  outcome: z.enum(ACTION_OUTCOMES),
  /** One line for people: what was done or why not. */
  detail: z.string().max(1000),
  /** When the outcome was reached, on the probe's clock. */
  at: isoTimeSchema,
});

export type ContainerTarget = z.infer<typeof containerTargetSchema>;
export type ProcessTarget = z.infer<typeof processTargetSchema>;
export type ActionTarget = z.infer<typeof actionTargetSchema>;
export type ActionParams = z.infer<typeof actionParamsSchema>;
export type PlannedAction = z.infer<typeof plannedActionSchema>;
export type ActionResult = z.infer<typeof actionResultSchema>;
