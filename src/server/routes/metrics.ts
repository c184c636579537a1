import type { Hono, MiddlewareHandler } from 'hono';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import type { Histogram } from '../metrics/histogram.ts';
import type { LatestSnapshots } from '../latest-snapshots.ts';
import { renderMetrics } from '../metrics/render-metrics.ts';

/** The content type of the Prometheus text exposition format 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What GET /metrics needs. */
export interface MetricsRouteDeps {
  store: Store;
  clock: () => Date;
  /** Each host's newest snapshot; null where no process sees them all (Workers): GPU and user values are then absent. */
  latest: LatestSnapshots | null;
  silentAfterMs: number;
  ingestDuration: Histogram;
  authenticated: MiddlewareHandler<AppEnv>;
  /** A user's quota in GPU-equivalents at `now` under the limits in force (read per scrape: a reload may change them). */
  quotaOf: (user: string, now: Date) => number | null;
}

/** GET /metrics: the Prometheus text format (an admin or a scrape token). */
export function registerMetricsRoute(app: Hono<AppEnv>, deps: MetricsRouteDeps): void {
  app.get('/metrics', deps.authenticated, async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'scrape') requireKind(principal, 'admin');
    const records = await deps.store.listHosts();
    // Counted by the store in one query (never capped at a page, never one query per host).
    const alerts = await deps.store.alertCounts();
    const hosts = records.map((r) => ({ host: r.host, lastTakenAt: r.lastTakenAt, snapshot: deps.latest?.list(r.host)[0] ?? null }));
    const outboxDepth = await deps.store.outboxDepth();
    const notificationCounts = await deps.store.notificationCounts();
    const now = deps.clock();
    const body = renderMetrics({
      nowMs: now.getTime(), silentAfterMs: deps.silentAfterMs, hosts, alerts, outboxDepth, notificationCounts, ingestDuration: deps.ingestDuration.counts(),
      quotaOf: (user) => deps.quotaOf(user, now),
    });
    return c.body(body, 200, { 'Content-Type': METRICS_CONTENT_TYPE });
  });
}
