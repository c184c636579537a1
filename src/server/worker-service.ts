import type { ExecutionContext, Hono } from 'hono';
import type { Grant } from '../enforcement/grant.ts';
import { SERVICE_DEFAULTS } from '../config/service/service-defaults.ts';
import type { MailFetch } from '../notify/email/http-mail-notifier.ts';
import type { ServiceCore, TickingCore } from '../service/core.ts';
import { createCore } from '../service/ingest.ts';
import { createDeliveryService, SLACK_MIN_GAP_MS } from '../service/notifications.ts';
import type { Store } from '../store/store.ts';
import { createApp } from './app.ts';
import type { AppEnv } from './app-env.ts';
import { createHostAlarm, type AlarmStorage, type HostAlarm } from './host-alarm.ts';
import { forwardingIngest, handleForwardedIngest } from './host-writer.ts';
import { loadWorkerConfig, WORKER_TIMING, type WorkerConfig } from './worker-config.ts';
import { workerNotifiers } from './worker-notifiers.ts';
import { authFromEnv, bodyLimitFromEnv, maxSnapshotAgeHFromEnv, publicUrlFromEnv, type WorkerEnv } from './worker-env.ts';
import type { WorkerPack } from './worker-pack-types.ts';
import { WORKER_PACK } from './worker-pack.ts';
import { openWorkerStore } from './worker-store.ts';
import { escapingLog } from '../service/log-text.ts';
import { createLogger } from '../log/logger.ts';

/** The parts of a Workers ScheduledController this entry uses. */
export interface ScheduledInfo {
  scheduledTime: number;
}

/** What tests in workerd replace: the store (memory instead of D1), the notifiers' fetch (Slack, mail API), the bundled pack, the clock. */
export interface WorkerSeams {
  store?: Store;
  fetch?: MailFetch;
  pack?: WorkerPack;
  clock?: () => Date;
}

const log = escapingLog((line: string): void => console.error(line));
/** The access log: JSON lines, which Workers Logs index by field. */
const accessLogger = createLogger({ level: 'info', format: 'json', write: (line) => console.error(line) });

let seams: WorkerSeams = {};
/** Bumped by setWorkerSeams, so a Durable Object rebuilds its core on the new seams. */
let seamsGeneration = 0;
/** The configuration, parsed and compiled once per isolate (lazily, on the first request), keyed by its pack. */
let loaded: { pack: WorkerPack; config: Promise<WorkerConfig> } | null = null;

/**
 * Replace the store, fetch, pack or clock for every later request of this isolate, Durable Objects included (in
 * vitest-pool-workers the Worker, its Durable Objects and the tests share one isolate). For tests only.
 */
export function setWorkerSeams(next: WorkerSeams): void {
  seams = next;
  seamsGeneration += 1;
  loaded = null;
}

function stringEnv(env: WorkerEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The isolate's config; a failed load is not kept, so the next request tries again (and reports again). */
function workerConfig(env: WorkerEnv, pack: WorkerPack, clock: () => Date): Promise<WorkerConfig> {
  if (loaded === null || loaded.pack !== pack) {
    const config = loadWorkerConfig(pack, stringEnv(env), clock(), log);
    loaded = { pack, config };
    config.catch(() => {
      if (loaded?.config === config) loaded = null;
    });
  }
  return loaded.config;
}

/** The evaluating core on a store, as `makeCore` builds it on Node (service defaults for timings and bounds). */
function coreOn(store: Store, config: WorkerConfig, clock: () => Date, env: WorkerEnv): TickingCore {
  const inForce = async (at: Date): Promise<readonly Grant[]> => [...(await store.listGrants({}, at.toISOString())), ...config.configGrants];
  return createCore({
    store,
    rules: config.rules,
    limits: config.limits,
    log,
    clock,
    maxClockSkewMs: SERVICE_DEFAULTS.maxClockSkewS * 1000,
    staleResolveAfterMs: SERVICE_DEFAULTS.sourceUnavailableResolveAfterM * 60_000,
    maxSnapshotAgeMs: maxSnapshotAgeHFromEnv(env, SERVICE_DEFAULTS.maxSnapshotAgeH) * 3_600_000,
    grants: inForce,
    actionTiming: { graceS: SERVICE_DEFAULTS.enforcementGraceS, lifetimeS: SERVICE_DEFAULTS.enforcementLifetimeS },
    ...(config.recipientsOf === null ? {} : { recipientsOf: config.recipientsOf }),
  });
}

/** The Worker's service: the app (snapshots forwarded to their host's Durable Object), the core, and delivery. */
export interface WorkerService {
  app: Hono<AppEnv>;
  /** The evaluating core on this invocation's store (the app's ingest goes to the Durable Object instead). */
  core: ServiceCore;
  /** One outbox delivery pass; null when no routing config is bundled. */
  deliver: (() => Promise<number>) | null;
}

/** The evaluating core and the delivery pass on this invocation's store (what the cron needs). Throws for a setup problem. */
export async function buildWorkerCore(env: WorkerEnv, over: WorkerSeams = seams): Promise<{ core: TickingCore; deliver: (() => Promise<number>) | null; config: WorkerConfig; store: Store; clock: () => Date }> {
  const clock = over.clock ?? ((): Date => new Date());
  const store = over.store ?? openWorkerStore(env);
  const config = await workerConfig(env, over.pack ?? WORKER_PACK, clock);
  const core = coreOn(store, config, clock, env);
  const deliver =
    config.routing === null
      ? null
      : createDeliveryService({ store, routing: config.routing, clock, log, webUrl: publicUrlFromEnv(env), notifierFor: workerNotifiers(config.routing, over.fetch) }).deliver;
  return { core, deliver, config, store, clock };
}

/** Store, core, app and delivery for one invocation (the config is parsed once per isolate). Throws for a setup problem. */
export async function buildWorkerService(env: WorkerEnv, over: WorkerSeams = seams): Promise<WorkerService> {
  const auth = authFromEnv(env);
  const bodyLimitBytes = bodyLimitFromEnv(env);
  const publicUrl = publicUrlFromEnv(env);
  const { core, deliver, config, store, clock } = await buildWorkerCore(env, over);
  if (env.HOST_WRITER === undefined) throw new Error('the HOST_WRITER Durable Object binding is missing (wrangler.toml [[durable_objects.bindings]])');
  const app = createApp({
    store,
    core: { ...core, ingest: forwardingIngest(env.HOST_WRITER) },
    auth,
    clock,
    bodyLimitBytes,
    log,
    logger: accessLogger,
    // Set by Cloudflare's edge, not by the client.
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    // No isolate sees every host's snapshots (each host's Durable Object evaluates its own): the route says so.
    latest: null,
    grantsFromConfig: () => config.configGrants,
    ruleIds: () => config.rules.ruleIds,
    limits: () => config.limits,
    silentAfterMs: WORKER_TIMING.probeIntervalS * WORKER_TIMING.hostSilentAfterIntervals * 1000,
    publicUrl,
  });
  return { app, core, deliver };
}

/** The isolate's service: built on its first request, kept while the env object and the seams stay the same. */
let cachedService: { env: WorkerEnv; generation: number; service: Promise<WorkerService> } | null = null;

/**
 * The service for this request: the isolate's cached one when `env` is the object it was built for (workerd passes
 * the same env to every request of an isolate), else a new one. Building the Hono app's routes costs more CPU than
 * answering a request, so it is done once. A failed build is not kept: the next request tries again.
 */
export function workerServiceFor(env: WorkerEnv): Promise<WorkerService> {
  if (cachedService !== null && cachedService.env === env && cachedService.generation === seamsGeneration) return cachedService.service;
  const service = buildWorkerService(env);
  const entry = { env, generation: seamsGeneration, service };
  cachedService = entry;
  service.catch(() => {
    if (cachedService === entry) cachedService = null;
  });
  return service;
}

/** How long one cron run keeps delivering (passes one Slack gap apart) before leaving the rest to the next run. */
export const DRAIN_BUDGET_MS = 20_000;

/**
 * Deliver until the outbox has nothing sendable now: a pass sends at most one message per Slack webhook (its
 * one-per-second limit), so passes repeat a gap apart while they send, within DRAIN_BUDGET_MS. Returns messages sent.
 */
export async function drainOutbox(deliver: () => Promise<number>, budgetMs = DRAIN_BUDGET_MS, gapMs = SLACK_MIN_GAP_MS): Promise<number> {
  const until = Date.now() + budgetMs;
  let total = 0;
  for (;;) {
    const sent = await deliver();
    total += sent;
    if (sent === 0 || Date.now() + gapMs > until) return total;
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
}

function unavailable(err: unknown): Response {
  const message = err instanceof Error ? err.message : 'service setup failed';
  log(`gpuwarden: setup failed: ${message}`);
  return Response.json({ error: 'unavailable', message }, { status: 503 });
}

/**
 * The Durable Object that evaluates one host's snapshots (one object per host name) and runs the host's tick from its
 * alarm (host-alarm.ts). Its core lives as long as the object, so the core's per-host queue (snapshots and ticks in
 * one line) and tracked-state cache hold across requests.
 */
export class HostWriter {
  private core: Promise<TickingCore> | null = null;
  private generation = seamsGeneration;
  private readonly wake: HostAlarm;

  constructor(
    state: { storage: AlarmStorage },
    private readonly env: WorkerEnv,
  ) {
    this.wake = createHostAlarm(state.storage, WORKER_TIMING.probeIntervalS * 1000, log);
  }

  private build(): Promise<TickingCore> {
    const clock = seams.clock ?? ((): Date => new Date());
    const built = workerConfig(this.env, seams.pack ?? WORKER_PACK, clock).then((config) => coreOn(seams.store ?? openWorkerStore(this.env), config, clock, this.env));
    built.catch(() => {
      if (this.core === built) this.core = null;
    });
    return built;
  }

  private current(): Promise<TickingCore> {
    if (this.generation !== seamsGeneration) {
      this.generation = seamsGeneration;
      this.core = null;
    }
    return (this.core ??= this.build());
  }

  fetch(request: Request): Promise<Response> {
    return handleForwardedIngest(request, () => this.current(), (host) => this.wake.afterIngest(host));
  }

  /** The alarm: this host's tick at the core's clock, in turn with its snapshots; then the next alarm. */
  alarm(): Promise<void> {
    return this.wake.ring(async (host) => (await this.current()).tickHost(host, (seams.clock ?? ((): Date => new Date()))()));
  }
}

/** Workers entry: `fetch` serves the API, `scheduled` (cron) expires actions, repeats firing alerts and delivers. */
const worker = {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let service: WorkerService;
    try {
      service = await workerServiceFor(env);
    } catch (err) {
      return unavailable(err);
    }
    return service.app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledInfo, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const run = (async (): Promise<void> => {
      const service = await buildWorkerCore(env);
      // Each host ticks itself from its HostWriter's alarm (host-alarm.ts); the cron does the fleet-wide rest.
      await service.core.tickFleet(new Date(controller.scheduledTime));
      if (service.deliver !== null) await drainOutbox(service.deliver);
    })();
    ctx.waitUntil(run);
    await run;
  },
};

export default worker;
