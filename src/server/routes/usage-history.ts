import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { USAGE_RANGES, usageWindow } from '../../usage/ranges.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { parseQuery } from './notifications.ts';

const name = z.string().min(1).max(256);

/** GET /v1/usage/history query: range (default 24h), user and host (optional); unknown names rejected. */
export const usageHistoryQuerySchema = z.strictObject({
  range: z.enum(USAGE_RANGES, { error: `must be one of ${USAGE_RANGES.join(', ')}` }).optional(),
  user: name.optional(),
  host: name.optional(),
});

/** What the usage-history route needs. */
export interface UsageHistoryRouteDeps {
  store: Store;
  clock: () => Date;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * GET /v1/usage/history: the stored GPU-seconds per user, host and bucket over the last 24h (5-minute buckets), 7d
 * or 30d (hourly buckets), as `{range, stepS, from, to, buckets}`; admin token only.
 */
export function registerUsageHistoryRoute(app: Hono<AppEnv>, deps: UsageHistoryRouteDeps): void {
  app.get('/v1/usage/history', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(usageHistoryQuerySchema, c.req.queries(), 'GET /v1/usage/history');
    const range = q.range ?? '24h';
    const { stepS, from, to } = usageWindow(range, deps.clock());
    const buckets = await deps.store.usageHistory({
      from: from.toISOString(), to: to.toISOString(), stepS, ...(q.user === undefined ? {} : { user: q.user }), ...(q.host === undefined ? {} : { host: q.host }),
    });
    return c.json({ range, stepS, from: from.toISOString(), to: to.toISOString(), buckets }, 200);
  });
}
