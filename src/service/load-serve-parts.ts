import { loadLimits } from '../config/limits/load.ts';
import { loadRoutingConfig, loadUserDirectory } from '../config/routing/load.ts';
import type { RoutingConfig } from '../config/routing/types.ts';
import type { ServiceConfig } from '../config/service/service-config.ts';
import { grantsFromExemptions, type Grant } from '../enforcement/grant.ts';
import type { ActionTiming } from '../enforcement/plan-actions.ts';
import { loadRulesDir } from '../engine/rules/load-dir.ts';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import type { Store } from '../store/store.ts';
import type { CoreConfig } from './core-config.ts';
import { limitsViewFromConfig, type TimingSettings } from './limits-view-from-config.ts';
import { recipientsFromRouting } from './notifications.ts';
import { unknownReceiverProblems } from './rule-receivers.ts';
import { createRuleSet, packLoadOptions } from './rule-set-from-pack.ts';
import type { RuleSet } from './rule-set.ts';

/** Thrown when the rule pack, the limits or the routing cannot be used; `problems` holds one line per problem. */
export class StartupError extends Error {
  override name = 'StartupError';
  readonly problems: string[];

  constructor(message: string, problems: string[] = message.split('\n')) {
    super(message);
    this.problems = problems;
  }
}

/**
 * Load and compile a rules folder, failing with every problem (file, rule id, JSON path) when it has any; with the
 * receiver names of the routing config, a `notify` entry naming none of them is a problem too.
 */
export function loadRuleSet(dir: string, routing: { receivers: ReadonlySet<string>; file: string } | null = null): RuleSet {
  const loaded = loadRulesDir(dir, packLoadOptions());
  const problems = [...loaded.problems, ...(routing === null ? [] : unknownReceiverProblems(loaded.rules, routing.receivers, routing.file))];
  if (problems.length > 0) {
    const lines = problems.map(formatRuleProblem);
    throw new StartupError(`rules in ${dir} have ${problems.length} problem(s):\n${lines.join('\n')}`, lines);
  }
  if (loaded.rules.length === 0) throw new StartupError(`no rules found in ${dir}`);
  return createRuleSet(loaded.rules);
}

/** Timing settings of a service config. */
export function timingOf(config: ServiceConfig): TimingSettings {
  return { probeIntervalS: config.probeIntervalS, hostSilentAfterIntervals: config.hostSilentAfterIntervals, fairShareHalfLifeH: config.fairShareHalfLifeH };
}

/** Clock-skew, stale-source and snapshot-age bounds of a service config, as the core takes them. */
export function truthSettingsOf(config: ServiceConfig): Pick<CoreConfig, 'maxClockSkewMs' | 'staleResolveAfterMs' | 'maxSnapshotAgeMs'> {
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

/** Everything `serve` reads from its files besides the service config itself, checked and ready to swap in. */
export interface ServeParts {
  config: ServiceConfig;
  core: CoreConfig;
  rules: RuleSet;
  /** The read-only grants of lifecycle-exemptions.yaml. */
  configGrants: readonly Grant[];
  /** notifications.yaml, when configured. */
  routing: RoutingConfig | null;
}

function linesOf(err: unknown): string[] {
  if (err instanceof StartupError) return err.problems;
  return (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l !== '');
}

/**
 * Read and check the limits, routing, users and rules a service config names (rules cross-checked against the
 * receivers of the routing). Every file is read even when an earlier one fails; throws one StartupError listing all.
 */
export async function loadServeParts(config: ServiceConfig, deps: { store: Store; clock: () => Date; log: (line: string) => void }): Promise<ServeParts> {
  const problems: string[] = [];
  const attempt = async <T>(load: () => Promise<T> | T): Promise<T | null> => {
    try {
      return await load();
    } catch (err) {
      problems.push(...linesOf(err));
      return null;
    }
  };
  const limits = await attempt(() => loadLimits(config.limitsPath));
  const routing = config.notificationsPath === null ? null : await attempt(() => loadRoutingConfig(config.notificationsPath ?? ''));
  const directory = config.usersPath === null || routing === null ? null : await attempt(() => loadUserDirectory(config.usersPath ?? '', routing));
  const receivers = routing === null || config.notificationsPath === null ? null : { receivers: new Set(routing.receivers.keys()), file: config.notificationsPath };
  const rules = await attempt(() => loadRuleSet(config.rulesDir, receivers));
  if (problems.length > 0 || limits === null || rules === null || (config.notificationsPath !== null && routing === null)) {
    throw new StartupError(problems.join('\n'), problems);
  }
  for (const w of limits.warnings) deps.log(`limits: ${w.message}`);
  const configGrants = grantsFromExemptions(limits.config.exemptions, deps.clock());
  const core: CoreConfig = {
    rules,
    limits: limitsViewFromConfig(limits.config, timingOf(config)),
    ...truthSettingsOf(config),
    actionTiming: actionTimingOf(config),
    grants: async (at) => [...(await deps.store.listGrants({}, at.toISOString())), ...configGrants],
    ...(routing === null ? {} : { recipientsOf: recipientsFromRouting(routing, directory, deps.log) }),
  };
  return { config, core, rules, configGrants, routing };
}
