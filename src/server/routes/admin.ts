import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { SEVERITY_ORDER } from '../../engine/finding.ts';
import type { AlertFilter, Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError, type ApiIssue } from '../errors.ts';
import { toApiIssues } from '../issues.ts';

/** Alerts returned when `limit` is not given. */
export const DEFAULT_ALERT_LIMIT = 100;
/** The largest `limit` GET /v1/alerts accepts. */
export const MAX_ALERT_LIMIT = 1000;

const name = z.string().min(1).max(253);

/** GET /v1/alerts query: every filter optional, unknown names rejected (a typo must not silently widen the result). */
export const alertQuerySchema = z.strictObject({
  host: name.optional(),
  rule: name.optional(),
  state: z.enum(['pending', 'firing', 'resolved']).optional(),
  severity: z.enum(SEVERITY_ORDER).optional(),
  user: name.optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_ALERT_LIMIT))
    .optional(),
});

/** What the admin routes need. */
export interface AdminRouteDeps {
  store: Store;
  authenticated: MiddlewareHandler<AppEnv>;
}

/** GET /v1/alerts (filters host, rule, state, severity, user, limit) and GET /v1/hosts; admin token only. */
export function registerAdminRoutes(app: Hono<AppEnv>, deps: AdminRouteDeps): void {
  app.get('/v1/alerts', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const filter = parseAlertQuery(c.req.queries());
    return c.json({ alerts: await deps.store.listAlerts(filter) }, 200);
  });

  app.get('/v1/hosts', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const hosts = (await deps.store.listHosts()).map(({ host, lastSeenAt, lastTakenAt }) => ({ host, lastSeenAt, lastTakenAt }));
    return c.json({ hosts }, 200);
  });
}

/** Turn the query (each name with all its values) into an AlertFilter, or throw 400 `invalid_query` with issues. */
export function parseAlertQuery(query: Record<string, string[]>): AlertFilter {
  const repeated: ApiIssue[] = Object.entries(query)
    .filter(([, values]) => values.length > 1)
    .map(([key]) => ({ path: key, message: 'given more than once' }));
  const single = Object.fromEntries(Object.entries(query).map(([key, values]) => [key, values[0]]));
  const result = alertQuerySchema.safeParse(single);
  const issues = [...repeated, ...(result.success ? [] : toApiIssues(result.error.issues))];
  if (issues.length > 0 || !result.success) {
    throw new HttpError(400, 'invalid_query', 'bad filter for GET /v1/alerts', issues.slice(0, 20));
  }
  const q = result.data;
  const filter: AlertFilter = { limit: q.limit ?? DEFAULT_ALERT_LIMIT };
  if (q.host !== undefined) filter.host = q.host;
  if (q.rule !== undefined) filter.rule = q.rule;
  if (q.state !== undefined) filter.state = q.state;
  if (q.severity !== undefined) filter.severity = q.severity;
  if (q.user !== undefined) filter.user = q.user;
  return filter;
}
