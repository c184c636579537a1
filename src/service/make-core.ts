import { loadLimits } from '../config/limits/load.ts';
import type { ServiceConfig } from '../config/service/service-config.ts';
import { loadRulesDir } from '../engine/rules/load-dir.ts';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import type { Store } from '../store/store.ts';
import type { ServiceCore } from './core.ts';
import { createCore } from './ingest.ts';
import { limitsViewFromConfig, type TimingSettings } from './limits-view-from-config.ts';
import type { RuleSet } from './rule-set.ts';
import { createRuleSet, packLoadOptions } from './rule-set-from-pack.ts';

/** What `gpuwarden serve` hands the core factory. */
export interface MakeCoreDeps {
  store: Store;
  clock: () => Date;
  rulesDir: string;
  limitsPath: string;
  serviceConfig: ServiceConfig;
  log?: (line: string) => void;
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

/** Build the real service core: the rule pack from rulesDir and DS01 limits from limitsPath, evaluated on ingest. */
export async function makeCore(deps: MakeCoreDeps): Promise<ServiceCore> {
  const rules = loadRuleSet(deps.rulesDir);
  const limits = await loadLimits(deps.limitsPath);
  for (const w of limits.warnings) deps.log?.(`limits: ${w.message}`);
  return createCore({ store: deps.store, rules, limits: limitsViewFromConfig(limits.config, timingOf(deps.serviceConfig)), log: deps.log });
}
