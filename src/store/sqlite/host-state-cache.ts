import type { Alert } from '../../alerts/alert.ts';
import type { HostRecord } from '../store.ts';
import { alertToRow, rowToAlert } from './alert-row.ts';

/** What one committed evaluation changed of a host's state (the parts the cache mirrors). */
export interface HostStateWrite {
  hostRecord: HostRecord | null;
  upsert: readonly Alert[];
  remove: readonly string[];
}

/**
 * Each host's record and alerts as this connection last read or committed them, so ingest does not re-read and
 * re-parse them on every snapshot. Trusted only while `dataVersion` (SQLite's PRAGMA data_version, which moves
 * when another connection commits) is unchanged; any other writer empties it.
 */
export class HostStateCache {
  private version: number | null = null;
  private readonly records = new Map<string, HostRecord | null>();
  /** Per host: its alerts by fingerprint, only for hosts whose alerts were read or written whole. */
  private readonly alerts = new Map<string, Map<string, Alert>>();
  private readonly hostOf = new Map<string, string>();

  /** Forget everything unless the database is still as this connection left it. */
  revalidate(dataVersion: number): void {
    if (dataVersion === this.version) return;
    this.clear();
    this.version = dataVersion;
  }

  /** Forget everything (another writer, or the connection closed). */
  clear(): void {
    this.records.clear();
    this.alerts.clear();
    this.hostOf.clear();
  }

  /** The cached record (null: known absent), or undefined when not cached. */
  record(host: string): HostRecord | null | undefined {
    const record = this.records.get(host);
    return record === null || record === undefined ? record : { ...record };
  }

  /** Remember a record read from the database. */
  rememberRecord(host: string, record: HostRecord | null): void {
    this.records.set(host, record);
  }

  /** The host's alerts by fingerprint (a new array), or undefined when not cached. */
  alertsOf(host: string): Alert[] | undefined {
    const byFp = this.alerts.get(host);
    if (byFp === undefined) return undefined;
    return [...byFp.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)).map(copyAlert);
  }

  /** Remember all of a host's alerts as read from the database. */
  rememberAlerts(host: string, alerts: readonly Alert[]): void {
    this.alerts.set(host, new Map(alerts.map((a) => [a.fingerprint, a])));
    for (const a of alerts) this.hostOf.set(a.fingerprint, host);
  }

  /** Mirror a write this connection committed (upserts, then removals, as the store applies them). */
  apply(write: HostStateWrite): void {
    if (write.hostRecord !== null) this.records.set(write.hostRecord.host, { ...write.hostRecord });
    for (const given of write.upsert) {
      const before = this.hostOf.get(given.fingerprint);
      if (before !== undefined && before !== given.host) this.alerts.get(before)?.delete(given.fingerprint);
      this.hostOf.set(given.fingerprint, given.host);
      // A host whose alerts were never read whole stays uncached: one alert is not all of them. What is kept is
      // what a read of the row gives (same shape, no reference to the caller's object).
      this.alerts.get(given.host)?.set(given.fingerprint, rowToAlert(alertToRow(given)));
    }
    for (const fp of write.remove) {
      const host = this.hostOf.get(fp);
      if (host === undefined) continue;
      this.alerts.get(host)?.delete(fp);
      this.hostOf.delete(fp);
    }
  }
}

/** A copy of a cached alert sharing no object with it (spread defines own properties: a "__proto__" label stays a label). */
export function copyAlert(a: Alert): Alert {
  const copy: Alert = { ...a, labels: { ...a.labels }, annotations: { ...a.annotations }, notify: [...a.notify] };
  if (a.pendingStage !== undefined && a.pendingStage !== null) copy.pendingStage = { ...a.pendingStage };
  if (a.stale !== undefined && a.stale !== null) copy.stale = { ...a.stale, sources: [...a.stale.sources] };
  return copy;
}
