// Run snapshots through the real pipeline (default rule pack, memory store) as the service would.
import { DEFAULT_USER_LIMITS, type LimitsView, type UserLimits } from '../../src/engine/facts/limits-view.ts';
import { loadRulesDir } from '../../src/engine/rules/load-dir.ts';
import { createCore } from '../../src/service/ingest.ts';
import { defaultLimitsView } from '../../src/service/limits-view-from-config.ts';
import { createRuleSet, packLoadOptions } from '../../src/service/rule-set-from-pack.ts';
import type { HostSnapshot } from '../../src/snapshot/schema.ts';
import { createMemoryStore } from '../../src/store/memory/memory-store.ts';

const loaded = loadRulesDir('rules', packLoadOptions());
if (loaded.problems.length > 0) throw new Error(`default pack has problems: ${JSON.stringify(loaded.problems)}`);
/** The default pack, compiled. */
export const DEFAULT_PACK = createRuleSet(loaded.rules);
/** The default pack's rule objects. */
export const DEFAULT_RULES = loaded.rules;

/** DS01 student limits for everyone, with per-user changes. */
export function testLimits(byUser: Record<string, Partial<UserLimits>> = {}): LimitsView {
  return {
    ...defaultLimitsView({ fairShareHalfLifeH: 24, probeIntervalS: 30, hostSilentAfterIntervals: 3 }),
    forUser: (user) => ({ ...DEFAULT_USER_LIMITS, ...(user === null ? {} : byUser[user]) }),
  };
}

/** A compact view of an alert for exact comparisons. */
export interface Seen {
  rule: string;
  severity: string;
  stage: string | null;
  state: string;
  labels: Record<string, string>;
}

/** Ingest snapshots in order; then optionally tick at `tickAt`; return the non-resolved alerts, sorted. */
export async function runPack(snaps: HostSnapshot[], opts: { limits?: LimitsView; tickAt?: string; only?: string; probeIntervalS?: number } = {}) {
  const store = createMemoryStore();
  const limits = opts.limits ?? testLimits();
  // Sparse snapshots (minutes apart) need a matching probe interval, or each gap counts as a silence and restarts `for`.
  const core = createCore({ store, rules: DEFAULT_PACK, limits: opts.probeIntervalS === undefined ? limits : { ...limits, probeIntervalS: opts.probeIntervalS } });
  for (const s of snaps) await core.ingest(s, new Date(s.takenAt));
  if (opts.tickAt !== undefined) await core.tick(new Date(opts.tickAt));
  const alerts = await store.listAlerts({});
  const seen: Seen[] = alerts
    .filter((a) => a.state !== 'resolved' && (opts.only === undefined || a.rule === opts.only))
    .map((a) => ({ rule: a.rule, severity: a.severity, stage: a.stage, state: a.state, labels: a.labels }));
  return { seen: seen.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), alerts, store };
}
