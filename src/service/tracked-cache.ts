import { parseTrackedState, type TrackedState } from '../engine/facts/tracked.ts';

/** Tracked state per host as this core last wrote it, so the next snapshot need not parse it back. */
export interface TrackedCache {
  /** The host's tracked state for the stored JSON: the cached object when the store still holds exactly that JSON, else parsed. */
  read(host: string, json: string | null): TrackedState;
  /** Remember what was just committed for the host: `state` must be what `json` parses to (computeFacts never mutates it). */
  wrote(host: string, json: string, state: TrackedState): void;
}

/**
 * A per-host cache keyed by the exact stored JSON text: anything else in the store (another writer, a restore, a
 * failed commit) is a different string and is parsed as before. One entry per host, replaced on every write.
 */
export function createTrackedCache(): TrackedCache {
  const byHost = new Map<string, { json: string; state: TrackedState }>();
  return {
    read(host, json) {
      const cached = byHost.get(host);
      if (cached !== undefined && json !== null && cached.json === json) return cached.state;
      return parseTrackedState(json);
    },
    wrote(host, json, state) {
      byHost.set(host, { json, state });
    },
  };
}
