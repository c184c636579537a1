import type { SnapshotRow } from '../store.ts';
import { compareText } from './alert-order.ts';

/** How many snapshots per host a store keeps unless told otherwise. */
export const DEFAULT_SNAPSHOTS_KEPT_PER_HOST = 100;

/** Options both stores take. */
export interface RetentionOptions {
  /** Snapshots kept per host (newest takenAt first); older ones are pruned on putSnapshot. Default 100. */
  snapshotsKeptPerHost?: number;
}

/** A store that can list what it kept of one host's snapshots (tests, debugging); both stores implement it. */
export interface SnapshotListing {
  /** The host's stored snapshots, newest takenAt first. */
  listSnapshots(host: string): Promise<SnapshotRow[]>;
}

/** The checked snapshotsKeptPerHost option; throws a plain sentence at startup for a bad value. */
export function resolveSnapshotsKept(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SNAPSHOTS_KEPT_PER_HOST;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`snapshotsKeptPerHost must be a whole number of at least 1, got ${String(value)}.`);
  }
  return value;
}

/** Retention order: newest takenAt first, then snapshotId descending (the order SQLite prunes in too). */
export function compareSnapshotsNewestFirst(a: SnapshotRow, b: SnapshotRow): number {
  return compareText(b.takenAt, a.takenAt) || compareText(b.snapshotId, a.snapshotId);
}
