import { z } from 'zod';

/** Every event type of the event log, `category.action`; GET /v1/events and `gpuwarden events --type` filter by prefix. */
export const EVENT_TYPES = [
  'snapshot.accepted',
  'snapshot.rejected',
  'alert.pending',
  'alert.firing',
  'alert.resolved',
  'notification.sent',
  'notification.failed',
  'action.planned',
  'action.done',
  'action.vetoed',
  'action.failed',
  'silence.created',
  'silence.expired',
  'grant.created',
  'grant.revoked',
  'config.reload',
  'config.reload_failed',
  'web.login',
  'web.login_failed',
  'web.link_created',
] as const;

/** One event type. */
export type EventType = (typeof EVENT_TYPES)[number];

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
const name = z.string().min(1).max(256);

/** The envelope of every event: when, what (`category.action`), about which host / user / subject, and details. */
export const eventSchema = z.strictObject({
  id: z.string().min(1).max(128),
  at: isoTime,
  type: z.enum(EVENT_TYPES),
  host: name.optional(),
  user: name.optional(),
  /** What the event is about within its category: an alert fingerprint, a silence or grant id, an action id. */
  subject: name.optional(),
  details: z.record(z.string(), z.unknown()),
});

/** One event of the event log. */
export type GwEvent = z.infer<typeof eventSchema>;

/** The event of a config reload: `config.reload` when applied, `config.reload_failed` when the running config was kept. */
export function reloadEvent(id: string, at: Date, by: string, report: { ok: boolean; summary: string; details: string[] }): GwEvent {
  return { id, at: at.toISOString(), type: report.ok ? 'config.reload' : 'config.reload_failed', details: { by, summary: report.summary, lines: report.details } };
}
