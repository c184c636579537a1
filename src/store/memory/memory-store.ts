import type { Alert } from '../../alerts/alert.ts';
import type { AlertFilter, HostRecord, SnapshotRow, Store } from '../store.ts';
import { alertMatchesFilter, compareAlertsForList, compareText, resolveAlertLimit } from './alert-order.ts';
import { jsonCopy, storedAlert, storedHostRecord, storedSnapshotRow } from './alert-record.ts';
import { compareSnapshotsNewestFirst, resolveSnapshotsKept, type RetentionOptions, type SnapshotListing } from './snapshot-retention.ts';

/** The in-memory store: a Store plus snapshot listing. */
export interface MemoryStore extends Store, SnapshotListing {}

/** Options of createMemoryStore (the same retention option as the SQLite store). */
export type MemoryStoreOptions = RetentionOptions;

/**
 * A Store held in Maps, with the SQLite store's semantics (idempotent snapshots, pruning, atomic commits,
 * NOT NULL checks, ordering, limits, JSON round trips). Imports nothing from node:*, so it runs in workerd.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const kept = resolveSnapshotsKept(options.snapshotsKeptPerHost);
  const snapshots = new Map<string, SnapshotRow[]>();
  const hosts = new Map<string, HostRecord>();
  const alerts = new Map<string, Alert>();
  let closed = false;

  const open = (): void => {
    if (closed) throw new Error('The memory store is closed.');
  };

  return {
    async putSnapshot(row: SnapshotRow): Promise<'inserted' | 'duplicate'> {
      open();
      const stored = storedSnapshotRow(row);
      const rows = snapshots.get(stored.host) ?? [];
      if (rows.some((r) => r.snapshotId === stored.snapshotId)) return 'duplicate';
      const next = [...rows, stored].sort(compareSnapshotsNewestFirst).slice(0, kept);
      snapshots.set(stored.host, next);
      return 'inserted';
    },

    async listSnapshots(host: string): Promise<SnapshotRow[]> {
      open();
      return (snapshots.get(host) ?? []).map((r) => ({ ...r }));
    },

    async getHost(host: string): Promise<HostRecord | null> {
      open();
      const record = hosts.get(host);
      return record === undefined ? null : { ...record };
    },

    async listHosts(): Promise<HostRecord[]> {
      open();
      return [...hosts.values()].sort((a, b) => compareText(a.host, b.host)).map((r) => ({ ...r }));
    },

    async commitEvaluation(input: { hostRecord: HostRecord | null; upsert: Alert[]; remove: string[] }): Promise<void> {
      open();
      // Check and copy everything first, then apply: a bad alert leaves nothing half-written (like a rolled-back transaction).
      const hostRecord = input.hostRecord === null ? null : storedHostRecord(input.hostRecord);
      const upserts = input.upsert.map(storedAlert);
      const removals = [...input.remove];
      if (hostRecord !== null) hosts.set(hostRecord.host, hostRecord);
      for (const alert of upserts) alerts.set(alert.fingerprint, alert);
      for (const fingerprint of removals) alerts.delete(fingerprint);
    },

    async alertsForHost(host: string): Promise<Alert[]> {
      open();
      return [...alerts.values()]
        .filter((a) => a.host === host)
        .sort((a, b) => compareText(a.fingerprint, b.fingerprint))
        .map(jsonCopy);
    },

    async listAlerts(filter: AlertFilter): Promise<Alert[]> {
      open();
      return [...alerts.values()]
        .filter((a) => alertMatchesFilter(a, filter))
        .sort(compareAlertsForList)
        .slice(0, resolveAlertLimit(filter.limit))
        .map(jsonCopy);
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
