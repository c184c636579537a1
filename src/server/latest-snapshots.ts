import type { HostSnapshot } from '../snapshot/schema.ts';

/**
 * Each host's newest accepted snapshot (by takenAt), in memory only: the store keeps a snapshot's body only when it
 * is evidence, so the newest body may be absent there. One snapshot per host (tens of KB); empty after a restart
 * until each host sends its next one (every 30 s by default). On Workers, what this isolate has seen.
 */
export interface LatestSnapshots {
  /** Keep `snapshot` when it is newer than the host's kept one. */
  remember(snapshot: HostSnapshot): void;
  /** The newest snapshot of each host (or of `host` only), by host name. */
  list(host?: string): HostSnapshot[];
}

/** An empty LatestSnapshots. */
export function createLatestSnapshots(): LatestSnapshots {
  const byHost = new Map<string, HostSnapshot>();
  return {
    remember(snapshot) {
      const kept = byHost.get(snapshot.host);
      if (kept === undefined || Date.parse(snapshot.takenAt) >= Date.parse(kept.takenAt)) byHost.set(snapshot.host, snapshot);
    },
    list(host) {
      if (host !== undefined) {
        const one = byHost.get(host);
        return one === undefined ? [] : [one];
      }
      return [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host));
    },
  };
}
