// What every page's loader starts from: each host's record, its newest snapshot (where this runtime has it), its
// tracked state and its usage rows. The loaders turn this into plain view models; the pages only render them.
import type { LimitsView } from '../../../engine/facts/limits-view.ts';
import { parseTrackedState, type TrackedState } from '../../../engine/facts/tracked.ts';
import type { HostSnapshot } from '../../../snapshot/schema.ts';
import type { HostRecord, Store } from '../../../store/store.ts';
import { idleSecondsByContainer } from '../../../usage/idle.ts';
import { usageRows, type UsageRow } from '../../../usage/rows.ts';
import type { LatestSnapshots } from '../../latest-snapshots.ts';

/** What the loaders read: the AppDeps of the web view (latest null on Workers). */
export interface WebModelDeps {
  store: Store;
  /** Each host's newest snapshot; null where no process sees them all (Workers): live per-GPU detail is then absent. */
  latest: LatestSnapshots | null;
  clock: () => Date;
  limits: () => LimitsView;
  /** A host whose last snapshot arrived longer ago than this is silent. */
  silentAfterMs: number;
}

/** One host as the pages see it. */
export interface FleetHost {
  host: string;
  /** The service's record (last seen, tracked state); null for a host only the in-memory snapshots know. */
  record: HostRecord | null;
  /** Its newest snapshot in this process; null when none (Workers, or none since the service started). */
  snapshot: HostSnapshot | null;
  tracked: TrackedState;
  /** Whether its last snapshot arrived within the silent threshold. */
  up: boolean;
  /** Usage rows of `snapshot` with the tracked idle times; null without a snapshot. */
  rows: UsageRow[] | null;
}

/** The fleet at `now`: every host, and whether this runtime keeps live snapshots at all. */
export interface Fleet {
  now: Date;
  /** False on a runtime without in-memory snapshots (Workers). */
  live: boolean;
  hosts: FleetHost[];
}

/** Whether a host last seen at `lastSeenAt` is up at `now` (within `silentAfterMs`). */
export function isUp(lastSeenAt: string | null, now: Date, silentAfterMs: number): boolean {
  if (lastSeenAt === null) return false;
  const ageMs = now.getTime() - Date.parse(lastSeenAt);
  return Number.isFinite(ageMs) && ageMs <= silentAfterMs;
}

/**
 * Every host (store records and in-memory snapshots), sorted by name, with its usage rows; with `only`, just that
 * host (one record read, one snapshot), for a host's own page.
 */
export async function loadFleet(deps: WebModelDeps, only?: string): Promise<Fleet> {
  const now = deps.clock();
  const records = only === undefined ? await deps.store.listHosts() : [await deps.store.getHost(only)].filter((r): r is HostRecord => r !== null);
  const snapshots = deps.latest?.list(only) ?? [];
  const recordOf = new Map(records.map((r) => [r.host, r]));
  const snapshotOf = new Map(snapshots.map((s) => [s.host, s]));
  const names = [...new Set([...recordOf.keys(), ...snapshotOf.keys()])].sort((a, b) => a.localeCompare(b));
  const hosts = names.map((host) => {
    const record = recordOf.get(host) ?? null;
    const snapshot = snapshotOf.get(host) ?? null;
    return {
      host, record, snapshot,
      tracked: parseTrackedState(record?.tracked ?? null),
      up: isUp(record?.lastSeenAt ?? null, now, deps.silentAfterMs),
      rows: snapshot === null ? null : usageRows(snapshot, { idleSByContainer: idleSecondsByContainer(snapshot, record) }),
    };
  });
  return { now, live: deps.latest !== null, hosts };
}
