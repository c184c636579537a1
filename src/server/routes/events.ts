import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { EventFilter, Store } from '../../store/store.ts';
import { MAX_EVENT_LIMIT } from '../../store/sqlite/event-table.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { parseQuery } from './notifications.ts';

const name = z.string().min(1).max(256);

/** GET /v1/events query: type prefix, host, user, since, cursor (`after`, the `next` of a reply) and limit; unknown names rejected. */
export const eventQuerySchema = z.strictObject({
  type: z.string().regex(/^[a-z_]+(\.[a-z_]*)?$/, 'must be a type prefix such as alert or alert.firing').optional(),
  host: name.optional(),
  user: name.optional(),
  since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time').optional(),
  after: z.string().regex(/^[0-9]{1,15}$/, 'must be the next cursor of an earlier reply').transform(Number).optional(),
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

/** GET /v1/events (the event log, newest last, with a cursor) and POST /v1/reload (when the runtime can reload); admin token only. */
export function registerEventRoutes(app: Hono<AppEnv>, deps: EventRouteDeps): void {
  app.get('/v1/events', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(eventQuerySchema, c.req.queries(), 'GET /v1/events');
    const filter = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as EventFilter;
    const page = await deps.store.listEvents(filter);
    return c.json({ events: page.events, next: page.next }, 200);
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
