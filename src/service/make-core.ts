import type { ServiceConfig } from '../config/service/service-config.ts';
import type { Grant } from '../enforcement/grant.ts';
import type { LimitsView } from '../engine/facts/limits-view.ts';
import type { AuthConfig } from '../server/auth.ts';
import type { ReloadReport } from '../server/routes/events.ts';
import type { TurnGate } from '../scheduling/turn-gate.ts';
import type { Store } from '../store/store.ts';
import type { ServiceCore } from './core.ts';
import { createCore } from './ingest.ts';
import { loadServeParts, type ServeParts } from './load-serve-parts.ts';
import { createNotificationService } from './notification-service.ts';
import { createReloader } from './reload.ts';

export { actionTimingOf, loadRuleSet, StartupError, timingOf, truthSettingsOf } from './load-serve-parts.ts';

/** The core plus, when notifications are configured, the delivery pass `serve` runs on a timer. */
export type ServeCore = ServiceCore & {
  deliver?: () => Promise<number>;
  closeNotifiers?: () => Promise<void>;
  /** The read-only grants of lifecycle-exemptions.yaml (as last loaded), for GET /v1/grants. */
  grantsFromConfig?: () => readonly Grant[];
  /** The rule ids of the loaded pack (POST /v1/grants refuses others). */
  ruleIds?: () => ReadonlySet<string>;
  /** The limits in force (a reload may change them): quotas and fair-share settings for /metrics and the web view. */
  limits?: () => LimitsView;
  /** The tokens in force (a reload may change them). */
  auth?: () => AuthConfig;
  /** Re-read every file, and swap it all in only when all of it is valid; records a reload event either way. */
  reload?: (by: string) => Promise<ReloadReport>;
};

/** What `gpuwarden serve` hands the core factory. */
export interface MakeCoreDeps {
  store: Store;
  clock: () => Date;
  rulesDir: string;
  limitsPath: string;
  serviceConfig: ServiceConfig;
  log?: (line: string) => void;
  /** Shared with the HTTP routes, so parsing and evaluating take turns with everything else. */
  gate?: TurnGate;
  /** Read the service config again (file + flags) for a reload; default: reload the other files of the config in force. */
  rereadServiceConfig?: () => Promise<ServiceConfig>;
}

type NotificationService = ReturnType<typeof createNotificationService>;

/**
 * Build the real service core: the rule pack from rulesDir and DS01 limits from limitsPath, evaluated on ingest;
 * with `notifications` (and `users`) configured, alert changes are queued in the outbox and delivered by `deliver`.
 * `reload` re-reads all of it (see reload.ts).
 */
export async function makeCore(deps: MakeCoreDeps): Promise<ServeCore> {
  const log = deps.log ?? (() => undefined);
  const config: ServiceConfig = { ...deps.serviceConfig, rulesDir: deps.rulesDir, limitsPath: deps.limitsPath };
  const loadDeps = { store: deps.store, clock: deps.clock, log };
  let parts: ServeParts = await loadServeParts(config, loadDeps);
  const core = createCore({ store: deps.store, log, clock: deps.clock, ...(deps.gate === undefined ? {} : { gate: deps.gate }), ...parts.core });

  // The notification service of the routing in force; a reload replaces it once its running pass has finished.
  const notifierOf = (p: ServeParts): NotificationService | null => (p.routing === null ? null : createNotificationService({ store: deps.store, routing: p.routing, clock: deps.clock, log, webUrl: deps.serviceConfig.publicUrl }));
  let notify = notifierOf(parts);
  let delivering: Promise<number> | null = null;
  const deliver = (): Promise<number> => {
    const running = notify?.deliver() ?? Promise.resolve(0);
    delivering = running;
    return running.finally(() => {
      if (delivering === running) delivering = null;
    });
  };

  const reload = createReloader({
    store: deps.store,
    clock: deps.clock,
    log,
    current: () => parts,
    read: async () => loadServeParts(deps.rereadServiceConfig === undefined ? parts.config : await deps.rereadServiceConfig(), loadDeps),
    swap: async (next) => {
      // Core settings, routing, grants and tokens are swapped in one synchronous step (reconfigure swaps before its
      // first await): no evaluation or request sees some of the old config and some of the new.
      const dropping = core.reconfigure(next.core, deps.clock());
      const old = notify;
      parts = next;
      notify = notifierOf(next);
      const dropped = await dropping;
      await delivering?.catch(() => undefined);
      await old?.close().catch(() => undefined);
      return dropped;
    },
  });

  return {
    ingest: core.ingest,
    tick: core.tick,
    drain: core.drain,
    deliver,
    closeNotifiers: async () => notify?.close(),
    grantsFromConfig: () => parts.configGrants,
    ruleIds: () => parts.rules.ruleIds,
    auth: () => parts.config.auth,
    limits: () => parts.core.limits,
    reload,
  };
}
