import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { MAX_EVENT_LIMIT } from '../../store/sqlite/event-table.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { parseQuery } from './notifications.ts';

/** GET /v1/events query: kind and limit, unknown names rejected. */
export const eventQuerySchema = z.strictObject({
  kind: z.enum(['reload']).optional(),
  limit: z.string().regex(/^[0-9]{1,7}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(MAX_EVENT_LIMIT)).optional(),
});

/** What a config reload reports: applied (with what changed) or not (with every problem). */
export interface ReloadReport {
  ok: boolean;
  summary: string;
  details: string[];
}

/** What the event and reload routes need; `reload` is absent where the config cannot change while running (Workers). */
export interface EventRouteDeps {
  store: Store;
  authenticated: MiddlewareHandler<AppEnv>;
  reload?: (by: string) => Promise<ReloadReport>;
}

/** GET /v1/events (the service's event log, newest first) and POST /v1/reload (when the runtime can reload); admin token only. */
export function registerEventRoutes(app: Hono<AppEnv>, deps: EventRouteDeps): void {
  app.get('/v1/events', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(eventQuerySchema, c.req.queries(), 'GET /v1/events');
    return c.json({ events: await deps.store.listEvents({ ...(q.kind === undefined ? {} : { kind: q.kind }), ...(q.limit === undefined ? {} : { limit: q.limit }) }) }, 200);
  });

  const reload = deps.reload;
  if (reload === undefined) return;
  app.post('/v1/reload', deps.authenticated, async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const report = await reload(`admin:${principal.name}`);
    if (!report.ok) throw new HttpError(400, 'reload_failed', report.summary, report.details.slice(0, 100).map((message) => ({ path: '', message })));
    return c.json({ ok: true, summary: report.summary, details: report.details }, 200);
  });
}
