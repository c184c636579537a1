// The hosts page's model: each host's health, source errors and who is on it.
import type { ErrorSource, SourceError } from '../../../snapshot/schema.ts';
import { activeAlerts } from './active-alerts.ts';
import { loadFleet, type WebModelDeps } from './fleet.ts';

/** One host's line. */
export interface HostSummary {
  host: string;
  /** When its last snapshot arrived; null for a host the store has no record of yet. */
  lastSeenAt: string | null;
  /** Up: its last snapshot arrived within the silent threshold; else silent. */
  up: boolean;
  /** The newest snapshot's takenAt, its failed collectors, GPUs and users; null where no snapshot is kept here. */
  snapshotTakenAt: string | null;
  sourceErrors: SourceError[] | null;
  disabledSources: ErrorSource[];
  gpuCount: number | null;
  migInstanceCount: number | null;
  users: string[] | null;
  firingAlerts: number;
  pendingAlerts: number;
}

/** The hosts page. */
export interface HostsModel {
  now: string;
  live: boolean;
  silentAfterMs: number;
  hosts: HostSummary[];
}

/** Load the hosts page. */
export async function loadHosts(deps: WebModelDeps): Promise<HostsModel> {
  const fleet = await loadFleet(deps);
  const alerts = await activeAlerts(deps.store, fleet.hosts.map((h) => h.host), fleet.now);
  return {
    now: fleet.now.toISOString(),
    live: fleet.live,
    silentAfterMs: deps.silentAfterMs,
    hosts: fleet.hosts.map((h) => {
      const s = h.snapshot;
      const users = h.rows === null ? null : [...new Set(h.rows.map((r) => r.user).filter((u): u is string => u !== null))].sort();
      return {
        host: h.host,
        lastSeenAt: h.record?.lastSeenAt ?? null,
        up: h.up,
        snapshotTakenAt: s?.takenAt ?? null,
        sourceErrors: s === null ? null : s.errors,
        disabledSources: s?.disabledSources ?? [],
        gpuCount: s === null ? null : s.gpus.length,
        migInstanceCount: s === null ? null : s.gpus.reduce((n, g) => n + g.migInstances.length, 0),
        users,
        firingAlerts: alerts.filter((a) => a.host === h.host && a.state === 'firing').length,
        pendingAlerts: alerts.filter((a) => a.host === h.host && a.state === 'pending').length,
      };
    }),
  };
}
