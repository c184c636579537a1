// A person's usage chart for their page: the stored usage history over a range, drawn against their quota.
import type { LimitsView } from '../../engine/facts/limits-view.ts';
import type { Store } from '../../store/store.ts';
import { usageWindow, type UsageRange } from '../../usage/ranges.ts';
import { renderUsageChart } from './usage-chart.ts';

/** What userUsageChart reads: the store's usage history, the clock, the limits in force (the quota line). */
export interface UserUsageChartDeps {
  store: Store;
  clock: () => Date;
  limits: () => LimitsView;
}

/** The SVG chart of `user`'s GPU-equivalents over `range` (all hosts), from one usageHistory query. */
export function userUsageChart(deps: UserUsageChartDeps): (user: string, range: UsageRange) => Promise<string> {
  return async (user, range) => {
    const now = deps.clock();
    const { stepS, from, to } = usageWindow(range, now);
    const buckets = await deps.store.usageHistory({ from: from.toISOString(), to: to.toISOString(), stepS, user });
    return renderUsageChart({ buckets, from, to, stepS, quotaGpuEquivalents: deps.limits().forUser(user, now).maxGpuEquivalents, title: user });
  };
}
