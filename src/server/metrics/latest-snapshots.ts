import type { HostSnapshot } from '../../snapshot/schema.ts';

/**
 * The newest snapshot per host that this process accepted, for /metrics' GPU and user values. Kept in memory only
 * (the store keeps a snapshot's body only as alert evidence): after a restart, or on another Workers isolate, a host
 * has none until its next snapshot, and /metrics then gives only its host_up and age.
 */
export interface LatestSnapshots {
  /** Remember `snapshot` unless a newer one (by takenAt) of its host is held. */
  record(snapshot: HostSnapshot): void;
  /** The host's newest snapshot, or null. */
  get(host: string): HostSnapshot | null;
}

/** An in-memory LatestSnapshots (one snapshot per host: bounded by the fleet). */
export function createLatestSnapshots(): LatestSnapshots {
  const byHost = new Map<string, HostSnapshot>();
  return {
    record(snapshot) {
      const held = byHost.get(snapshot.host);
      if (held !== undefined && Date.parse(held.takenAt) > Date.parse(snapshot.takenAt)) return;
      byHost.set(snapshot.host, snapshot);
    },
    get: (host) => byHost.get(host) ?? null,
  };
}
