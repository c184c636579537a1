import type { Hono, MiddlewareHandler } from 'hono';
import { SNAPSHOT_HOST_PATTERN } from '../../snapshot/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import type { LatestSnapshots } from '../latest-snapshots.ts';

/** What GET /v1/snapshots/latest needs. */
export interface LatestSnapshotRouteDeps {
  latest: LatestSnapshots;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * GET /v1/snapshots/latest[?host=H] (admin): `{snapshots: [HostSnapshot]}`, each host's newest snapshot accepted
 * since the service started (an unknown host: an empty list). Any other query name is 400 `invalid_query`.
 */
export function registerLatestSnapshotRoute(app: Hono<AppEnv>, deps: LatestSnapshotRouteDeps): void {
  app.get('/v1/snapshots/latest', deps.authenticated, (c) => {
    requireKind(c.get('principal'), 'admin');
    const query = c.req.queries();
    const unknown = Object.keys(query).filter((k) => k !== 'host');
    if (unknown.length > 0) throw new HttpError(400, 'invalid_query', `unknown filter "${unknown[0]}" for GET /v1/snapshots/latest (only host)`);
    const hosts = query.host ?? [];
    if (hosts.length > 1) throw new HttpError(400, 'invalid_query', 'host given more than once');
    const host = hosts[0];
    if (host !== undefined && (host.length > 253 || !SNAPSHOT_HOST_PATTERN.test(host))) {
      throw new HttpError(400, 'invalid_query', 'host: letters, digits and . _ - only');
    }
    return c.json({ snapshots: deps.latest.list(host) }, 200);
  });
}
