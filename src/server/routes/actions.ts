import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ACTION_STATES } from '../../enforcement/stored-action.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { parseQuery } from './notifications.ts';

/** GET /v1/actions query: filters (exact) and a limit (1-1000, default 100). */
export const actionQuerySchema = z.strictObject({
  host: z.string().min(1).max(253).optional(),
  state: z.enum(ACTION_STATES).optional(),
  user: z.string().min(1).max(256).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** What the action routes need. */
export interface ActionRouteDeps {
  store: Store;
  clock: () => Date;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * GET /v1/actions (?host=&state=&user=&limit=): planned enforcement actions, newest first, with their state and the
 * probe's result; POST /v1/actions/:id/approve: release an action of an `approve: true` rule. Admin token only.
 */
export function registerActionRoutes(app: Hono<AppEnv>, deps: ActionRouteDeps): void {
  app.get('/v1/actions', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(actionQuerySchema, c.req.queries(), 'GET /v1/actions');
    const actions = await deps.store.listActions({
      ...(q.host === undefined ? {} : { host: q.host }),
      ...(q.state === undefined ? {} : { state: q.state }),
      ...(q.user === undefined ? {} : { user: q.user }),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
    });
    return c.json({ actions }, 200);
  });

  app.post('/v1/actions/:id/approve', deps.authenticated, async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const id = c.req.param('id');
    const shown = JSON.stringify(id.slice(0, 200));
    const outcome = await deps.store.approveAction(id, principal.name, deps.clock().toISOString());
    const [action] = await deps.store.getActions([id]);
    if (outcome === 'not-found' || action === undefined) throw new HttpError(404, 'not_found', `no action with id ${shown}`);
    if (outcome === 'not-awaiting') throw new HttpError(409, 'not_awaiting_approval', `action ${shown} is ${action.state}, not awaiting approval`);
    return c.json({ action }, 200);
  });
}
