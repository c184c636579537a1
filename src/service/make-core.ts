import { loadLimits } from '../config/limits/load.ts';
import { loadRoutingConfig, loadUserDirectory } from '../config/routing/load.ts';
import type { ServiceConfig } from '../config/service/service-config.ts';
import { loadRulesDir } from '../engine/rules/load-dir.ts';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import type { Store } from '../store/store.ts';
import { grantsFromExemptions, type Grant } from '../enforcement/grant.ts';
import type { ActionTiming } from '../enforcement/plan-actions.ts';
import type { ServiceCore } from './core.ts';
import { type CoreDeps, createCore } from './ingest.ts';
import { limitsViewFromConfig, type TimingSettings } from './limits-view-from-config.ts';
import type { RuleSet } from './rule-set.ts';
import type { TurnGate } from '../scheduling/turn-gate.ts';
import { recipientsFromRouting } from './notifications.ts';
import { createNotificationService } from './notification-service.ts';
import { createRuleSet, packLoadOptions } from './rule-set-from-pack.ts';

/** The core plus, when notifications are configured, the delivery pass `serve` runs on a timer. */
export type ServeCore = ServiceCore & {
  deliver?: () => Promise<number>;
  closeNotifiers?: () => Promise<void>;
  /** The read-only grants of lifecycle-exemptions.yaml (as loaded at start), for GET /v1/grants. */
  grantsFromConfig?: () => readonly Grant[];
  /** The rule ids of the loaded pack (POST /v1/grants refuses others). */
  ruleIds?: ReadonlySet<string>;
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
}

/** Thrown when the rule pack or the limits file cannot be used; the message lists every problem. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Load and compile a rules folder, failing with every problem (file, rule id, JSON path) when it has any. */
export function loadRuleSet(dir: string): RuleSet {
  const loaded = loadRulesDir(dir, packLoadOptions());
  if (loaded.problems.length > 0) {
    throw new StartupError(`rules in ${dir} have ${loaded.problems.length} problem(s):\n${loaded.problems.map(formatRuleProblem).join('\n')}`);
  }
  if (loaded.rules.length === 0) throw new StartupError(`no rules found in ${dir}`);
  return createRuleSet(loaded.rules);
}

/** Timing settings of a service config. */
export function timingOf(config: ServiceConfig): TimingSettings {
  return { probeIntervalS: config.probeIntervalS, hostSilentAfterIntervals: config.hostSilentAfterIntervals, fairShareHalfLifeH: config.fairShareHalfLifeH };
}

/** Clock-skew, stale-source and snapshot-age bounds of a service config, as the core takes them. */
export function truthSettingsOf(config: ServiceConfig): Pick<CoreDeps, 'maxClockSkewMs' | 'staleResolveAfterMs' | 'maxSnapshotAgeMs'> {
  return {
    maxClockSkewMs: config.maxClockSkewS * 1000,
    staleResolveAfterMs: config.sourceUnavailableResolveAfterM * 60_000,
    maxSnapshotAgeMs: config.maxSnapshotAgeH * 3_600_000,
  };
}

/** When planned stops and signals become due and how long they stay valid (service config `enforcement`). */
export function actionTimingOf(config: ServiceConfig): ActionTiming {
  return { graceS: config.enforcementGraceS, lifetimeS: config.enforcementLifetimeS };
}

/**
 * Build the real service core: the rule pack from rulesDir and DS01 limits from limitsPath, evaluated on ingest;
 * with `notifications` (and `users`) configured, alert changes are queued in the outbox and delivered by `deliver`.
 */
export async function makeCore(deps: MakeCoreDeps): Promise<ServeCore> {
  const rules = loadRuleSet(deps.rulesDir);
  const limits = await loadLimits(deps.limitsPath);
  const log = deps.log ?? (() => undefined);
  for (const w of limits.warnings) log(`limits: ${w.message}`);
  const view = limitsViewFromConfig(limits.config, timingOf(deps.serviceConfig));
  const { notificationsPath, usersPath } = deps.serviceConfig;
  const truth = truthSettingsOf(deps.serviceConfig);
  const configGrants = grantsFromExemptions(limits.config.exemptions, deps.clock());
  const grants = { grantsFromConfig: (): readonly Grant[] => configGrants, ruleIds: rules.ruleIds };
  const inForce = async (at: Date): Promise<readonly Grant[]> => [...(await deps.store.listGrants({}, at.toISOString())), ...configGrants];
  const enforcement = { grants: inForce, actionTiming: actionTimingOf(deps.serviceConfig) };
  if (notificationsPath === null) return { ...createCore({ store: deps.store, rules, limits: view, log, clock: deps.clock, ...truth, ...enforcement, ...(deps.gate === undefined ? {} : { gate: deps.gate }) }), ...grants };
  const routing = await loadRoutingConfig(notificationsPath);
  const directory = usersPath === null ? null : await loadUserDirectory(usersPath, routing);
  const core = createCore({ store: deps.store, rules, limits: view, log, clock: deps.clock, ...truth, ...enforcement, ...(deps.gate === undefined ? {} : { gate: deps.gate }), recipientsOf: recipientsFromRouting(routing, directory, log) });
  const notify = createNotificationService({ store: deps.store, routing, clock: deps.clock, log });
  return { ...core, ...grants, deliver: notify.deliver, closeNotifiers: notify.close };
}
