import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError, type ApiIssue } from '../errors.ts';
import { toApiIssues } from '../issues.ts';

/** Log entries GET /v1/notifications returns when `limit` is not given. */
export const DEFAULT_NOTIFICATION_LIMIT = 100;
/** The largest `limit` GET /v1/notifications accepts. */
export const MAX_NOTIFICATION_LIMIT = 1000;

const name = z.string().min(1).max(253);

/** An ISO 8601 time with a zone (`Z` or an offset), normalised to the canonical UTC form the store compares as text. */
export const isoTimeSchema = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());

/** GET /v1/notifications query: every filter optional, unknown names rejected. */
export const notificationQuerySchema = z.strictObject({
  receiver: name.optional(),
  fingerprint: name.optional(),
  since: isoTimeSchema.optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_NOTIFICATION_LIMIT))
    .optional(),
});

/**
 * Parse a query (each name with all its values) with a strict schema: a name given twice and every schema problem
 * become issues of one 400 `invalid_query` naming the endpoint.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string[]>, endpoint: string): z.output<S> {
  const repeated: ApiIssue[] = Object.entries(query)
    .filter(([, values]) => values.length > 1)
    .map(([key]) => ({ path: key, message: 'given more than once' }));
  const single = Object.fromEntries(Object.entries(query).map(([key, values]) => [key, values[0]]));
  const result = schema.safeParse(single);
  const issues = [...repeated, ...(result.success ? [] : toApiIssues(result.error.issues))];
  if (issues.length > 0 || !result.success) throw new HttpError(400, 'invalid_query', `bad query for ${endpoint}`, issues.slice(0, 20));
  return result.data;
}

/** The store filter of a GET /v1/notifications query (default limit filled in, absent filters left out). */
export function parseNotificationQuery(query: Record<string, string[]>): Parameters<Store['listNotifications']>[0] {
  const q = parseQuery(notificationQuerySchema, query, 'GET /v1/notifications');
  const filter: Parameters<Store['listNotifications']>[0] = { limit: q.limit ?? DEFAULT_NOTIFICATION_LIMIT };
  if (q.receiver !== undefined) filter.receiver = q.receiver;
  if (q.fingerprint !== undefined) filter.fingerprint = q.fingerprint;
  if (q.since !== undefined) filter.since = q.since;
  return filter;
}

/** What the notification routes need. */
export interface NotificationRouteDeps {
  store: Store;
  authenticated: MiddlewareHandler<AppEnv>;
}

/** GET /v1/notifications (receiver, fingerprint, since, limit): the notification log, newest first; admin token only. */
export function registerNotificationRoutes(app: Hono<AppEnv>, deps: NotificationRouteDeps): void {
  app.get('/v1/notifications', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const filter = parseNotificationQuery(c.req.queries());
    return c.json({ notifications: await deps.store.listNotifications(filter) }, 200);
  });
}
