import type { Hono, MiddlewareHandler } from 'hono';
import { SNAPSHOT_HOST_PATTERN } from '../../snapshot/schema.ts';
import type { Store } from '../../store/store.ts';
import { idleSecondsByContainer } from '../../usage/idle.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import type { LatestSnapshots } from '../latest-snapshots.ts';

/** What GET /v1/snapshots/latest needs. */
export interface LatestSnapshotRouteDeps {
  /** null where no process sees every snapshot (Workers: each host's Durable Object evaluates its own). */
  latest: LatestSnapshots | null;
  store: Store;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * GET /v1/snapshots/latest[?host=H] (admin): `{snapshots: [HostSnapshot], idleS: {host: {containerId: seconds}}}`,
 * each host's newest snapshot accepted since the service started (an unknown host: an empty list), and how long each
 * of its containers has been idle by the engine's tracked state (absent: not known, e.g. never evaluated). Any other
 * query name is 400 `invalid_query`.
 */
export function registerLatestSnapshotRoute(app: Hono<AppEnv>, deps: LatestSnapshotRouteDeps): void {
  app.get('/v1/snapshots/latest', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    if (deps.latest === null) {
      throw new HttpError(501, 'not_available', 'GET /v1/snapshots/latest is not available here: no single process sees every host\'s snapshots (on Workers each host\'s Durable Object evaluates its own)');
    }
    const latest = deps.latest;
    const query = c.req.queries();
    const unknown = Object.keys(query).filter((k) => k !== 'host');
    if (unknown.length > 0) throw new HttpError(400, 'invalid_query', `unknown filter "${unknown[0]}" for GET /v1/snapshots/latest (only host)`);
    const hosts = query.host ?? [];
    if (hosts.length > 1) throw new HttpError(400, 'invalid_query', 'host given more than once');
    const host = hosts[0];
    if (host !== undefined && (host.length > 253 || !SNAPSHOT_HOST_PATTERN.test(host))) {
      throw new HttpError(400, 'invalid_query', 'host: letters, digits and . _ - only');
    }
    const snapshots = latest.list(host);
    const idle = await Promise.all(snapshots.map(async (s) => [s.host, idleSecondsByContainer(s, await deps.store.getHost(s.host))] as const));
    return c.json({ snapshots, idleS: Object.fromEntries(idle) }, 200);
  });
}
