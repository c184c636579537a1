// The overview page's model: the fleet at a glance.
import { activeAlerts } from './active-alerts.ts';
import { loadFleet, type WebModelDeps } from './fleet.ts';

/** Held GPUs idle at least this long are listed (a pause between two training steps is not idleness). */
export const IDLE_HELD_LISTED_AFTER_S = 10 * 60;

/** How many people the overview lists by GPU-equivalents held. */
export const TOP_USERS = 10;

/** A container holding GPUs while idle. */
export interface IdleHolding {
  host: string;
  container: string;
  user: string | null;
  gpus: string[];
  gpuEquivalents: number;
  idleS: number;
}

/** The overview: hosts, alerts, who holds most, what is held idle. */
export interface OverviewModel {
  now: string;
  /** False on a runtime without live snapshots: topUsers, idleHeld and withSourceErrors are then null. */
  live: boolean;
  /** Names of the silent hosts, and of the hosts whose newest snapshot reports a failed collector (null: not known here). */
  hosts: { total: number; silent: string[]; withSourceErrors: string[] | null };
  alerts: { firing: number; pending: number };
  topUsers: { user: string; gpuEquivalents: number; quota: number | null }[] | null;
  idleHeld: IdleHolding[] | null;
}

/** Load the overview. */
export async function loadOverview(deps: WebModelDeps): Promise<OverviewModel> {
  const fleet = await loadFleet(deps);
  const alerts = await activeAlerts(deps.store, fleet.hosts.map((h) => h.host), fleet.now);
  const rows = fleet.hosts.flatMap((h) => h.rows ?? []);
  const held = new Map<string, number>();
  for (const r of rows) if (r.user !== null && r.gpuEquivalents > 0) held.set(r.user, (held.get(r.user) ?? 0) + r.gpuEquivalents);
  const limits = deps.limits();
  const topUsers = [...held].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, TOP_USERS)
    .map(([user, gpuEquivalents]) => ({ user, gpuEquivalents, quota: limits.forUser(user, fleet.now).maxGpuEquivalents }));
  const idleHeld = rows
    .filter((r) => r.container !== null && r.gpuEquivalents > 0 && r.idleS !== null && r.idleS >= IDLE_HELD_LISTED_AFTER_S)
    .map((r) => ({ host: r.host, container: r.container ?? '', user: r.user, gpus: r.gpus, gpuEquivalents: r.gpuEquivalents, idleS: r.idleS ?? 0 }))
    .sort((a, b) => b.idleS - a.idleS || a.host.localeCompare(b.host) || a.container.localeCompare(b.container));
  return {
    now: fleet.now.toISOString(),
    live: fleet.live,
    hosts: {
      total: fleet.hosts.length,
      silent: fleet.hosts.filter((h) => !h.up).map((h) => h.host),
      withSourceErrors: fleet.live ? fleet.hosts.filter((h) => (h.snapshot?.errors.length ?? 0) > 0).map((h) => h.host) : null,
    },
    alerts: { firing: alerts.filter((a) => a.state === 'firing').length, pending: alerts.filter((a) => a.state === 'pending').length },
    topUsers: fleet.live ? topUsers : null,
    idleHeld: fleet.live ? idleHeld : null,
  };
}
