import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ServiceCore } from '../service/core.ts';
import type { Store } from '../store/store.ts';
import type { AppEnv } from './app-env.ts';
import { authenticate, compileAuth, principalForToken, type AuthConfig, type CompiledAuth, type TokenDigest } from './auth.ts';
import { registerWebAuth } from './web/login.ts';
import { registerWebPages } from './web/pages/register.ts';
import { requireViewer } from './web/session.ts';
import { userUsageChart } from './web/user-usage-chart.ts';
import { errorHandler, notFoundHandler, type LogFn } from './errors.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerNotificationRoutes } from './routes/notifications.ts';
import { registerSilenceRoutes } from './routes/silences.ts';
import { registerGrantRoutes } from './routes/grants.ts';
import { registerActionRoutes } from './routes/actions.ts';
import type { Grant } from '../enforcement/grant.ts';
import { defaultLimitsView, type LimitsView } from '../engine/facts/limits-view.ts';
import { registerSnapshotRoute } from './routes/snapshots.ts';
import { registerLatestSnapshotRoute } from './routes/latest-snapshots.ts';
import { createLatestSnapshots, type LatestSnapshots } from './latest-snapshots.ts';
import { registerEventRoutes, type ReloadReport } from './routes/events.ts';
import { escapingLog } from '../service/log-text.ts';
import type { TurnGate } from '../scheduling/turn-gate.ts';
import { SILENT_LOGGER, type Logger } from '../log/logger.ts';
import { accessLog } from './access-log.ts';
import { SERVICE_DEFAULTS } from '../config/service/service-defaults.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerUsageHistoryRoute } from './routes/usage-history.ts';
import { createHistogram, INGEST_DURATION_BUCKETS_S } from './metrics/histogram.ts';

/** Default limit on a snapshot body: 4 MiB (a large host's snapshot is a few hundred KiB). */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Default silent threshold for /metrics' host_up: the service defaults' probe interval × silent intervals (30 s × 3). */
export const DEFAULT_METRICS_SILENT_AFTER_MS = SERVICE_DEFAULTS.probeIntervalS * SERVICE_DEFAULTS.hostSilentAfterIntervals * 1000;

/** Everything the app needs, passed in so the same app runs on Node and on Workers. */
export interface AppDeps {
  store: Store;
  core: ServiceCore;
  /** The tokens; a function is read per request, so a reload can swap them (each config object compiled once). */
  auth: AuthConfig | (() => AuthConfig);
  clock: () => Date;
  bodyLimitBytes?: number;
  /** How tokens are hashed (default Web Crypto SHA-256; Node passes node:crypto's, which needs no thread-pool hop). */
  tokenDigest?: TokenDigest;
  /** One line per unexpected error (default console.error); never given bodies or tokens. */
  log?: LogFn;
  /** The access log (4xx warn, 5xx error, the rest debug); default none. Every reply carries `x-request-id` anyway. */
  logger?: Logger;
  /** The client's address for the access log; default the TCP peer on Node, none elsewhere. */
  clientAddress?: (c: Context) => string | undefined;
  /** When given, a snapshot is parsed and validated in its turn (Node: the core's gate); none on Workers. */
  gate?: TurnGate;
  /** The read-only grants of the loaded limits config (lifecycle-exemptions.yaml); default none. */
  grantsFromConfig?: () => readonly Grant[];
  /** The rule ids the service evaluates (POST /v1/grants refuses others); default: any rule id is accepted. */
  ruleIds?: () => ReadonlySet<string>;
  /** Re-read and swap the config (POST /v1/reload); absent where it cannot change while running (Workers: 404). */
  reload?: (by: string) => Promise<ReloadReport>;
  /** Each host's newest snapshot for GET /v1/snapshots/latest; default a fresh in-memory one; null: the route says 501. */
  latest?: LatestSnapshots | null;
  /** The limits in force (quotas, fair-share half-life) for /metrics and the web view; default DS01's shipped defaults. */
  limits?: () => LimitsView;
  /** GET /metrics: a host whose last snapshot is older than this has host_up 0; default DEFAULT_METRICS_SILENT_AFTER_MS. */
  silentAfterMs?: number;
  /** The web view's public base URL (public_url:, GPUWARDEN_PUBLIC_URL) for sign-in links; default none (links are paths). */
  publicUrl?: string | null;
}

/**
 * The rules service's HTTP API as a Hono app. Imports nothing runtime-specific: Node (node.ts) and Workers
 * (worker.ts) both build it from their own store and core. Throws at construction for a malformed auth config.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const bodyLimitBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes <= 0) {
    throw new Error(`bodyLimitBytes must be a positive whole number, got ${String(bodyLimitBytes)}`);
  }
  const log = escapingLog(deps.log ?? ((line: string) => console.error(line)));
  const authOf = typeof deps.auth === 'function' ? deps.auth : ((auth: AuthConfig) => () => auth)(deps.auth);
  let compiledFor = authOf();
  let compiled = compileAuth(compiledFor);
  const compiledAuth = (): CompiledAuth => {
    const auth = authOf();
    if (auth !== compiledFor) {
      compiled = compileAuth(auth);
      compiledFor = auth;
    }
    return compiled;
  };
  const authenticated = createMiddleware<AppEnv>(async (c, next) => {
    c.set('principal', await authenticate(compiledAuth(), c.req.header('Authorization'), deps.tokenDigest));
    await next();
  });

  const latest = deps.latest === undefined ? createLatestSnapshots() : deps.latest;
  const ingestDuration = createHistogram(INGEST_DURATION_BUCKETS_S);
  const app = new Hono<AppEnv>();
  app.use('*', accessLog({
    logger: deps.logger ?? SILENT_LOGGER, nowMs: () => deps.clock().getTime(), ...(deps.clientAddress === undefined ? {} : { clientAddress: deps.clientAddress }),
  }));
  app.onError(errorHandler(log));
  app.notFound(notFoundHandler);
  app.get('/healthz', (c) => c.json({ ok: true }, 200));
  registerSnapshotRoute(app, { core: deps.core, clock: deps.clock, bodyLimitBytes, authenticated, store: deps.store, ingestDuration, ...(latest === null ? {} : { latest }), ...(deps.gate === undefined ? {} : { gate: deps.gate }) });
  registerLatestSnapshotRoute(app, { latest, store: deps.store, authenticated });
  registerAdminRoutes(app, { store: deps.store, authenticated });
  registerSilenceRoutes(app, { store: deps.store, clock: deps.clock, authenticated });
  registerActionRoutes(app, { store: deps.store, clock: deps.clock, authenticated });
  registerGrantRoutes(app, {
    store: deps.store, clock: deps.clock, authenticated, grantsFromConfig: deps.grantsFromConfig ?? ((): Grant[] => []), ...(deps.ruleIds === undefined ? {} : { ruleIds: deps.ruleIds }),
  });
  registerNotificationRoutes(app, { store: deps.store, authenticated });
  registerEventRoutes(app, { store: deps.store, authenticated, ...(deps.reload === undefined ? {} : { reload: deps.reload }) });
  registerUsageHistoryRoute(app, { store: deps.store, clock: deps.clock, authenticated });
  const limits = deps.limits ?? ((view: LimitsView) => () => view)(defaultLimitsView(SERVICE_DEFAULTS));
  const silentAfterMs = deps.silentAfterMs ?? DEFAULT_METRICS_SILENT_AFTER_MS;
  registerMetricsRoute(app, {
    store: deps.store, clock: deps.clock, latest, silentAfterMs, ingestDuration, authenticated,
    quotaOf: (user, now) => limits().forUser(user, now).maxGpuEquivalents,
  });
  registerWebAuth(app, {
    store: deps.store, clock: deps.clock, authenticated, publicUrl: deps.publicUrl ?? null,
    principalOfToken: (token) => principalForToken(compiledAuth(), token, deps.tokenDigest),
  });
  const sessions = { store: deps.store, clock: deps.clock };
  registerWebPages(app, { ...sessions, latest, limits, silentAfterMs, usageChart: userUsageChart({ ...sessions, limits }) }, requireViewer(sessions));
  return app;
}
