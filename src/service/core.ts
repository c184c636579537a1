import type { Alert } from '../alerts/alert.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import type { PlannedAction } from '../enforcement/action.ts';

/** What one accepted snapshot produced; `accepted: false` means a duplicate (host, snapshot id). */
export interface IngestResult {
  accepted: boolean;
  /** The host's current alerts (pending and firing, plus those resolved by this snapshot). */
  alerts: Alert[];
  /** The host's due enforcement actions (scheduled, between notBefore and expiresAt), until it reports on them. */
  actions: PlannedAction[];
}

/** What the transport tells beside the snapshot. */
export interface IngestMeta {
  /** The probe's clock when it sent the snapshot (X-Gpuwarden-Sent-At), for measuring clock skew. */
  sentAt?: Date | null;
}

/**
 * The service's evaluation pipeline, independent of HTTP and runtime: store → facts → rules → alert state.
 * Implemented in src/service/ingest.ts; the Hono app only authenticates, validates and calls it.
 */
export interface ServiceCore {
  ingest(snapshot: HostSnapshot, receivedAt: Date, meta?: IngestMeta): Promise<IngestResult>;
  /** Advance time-based state without a snapshot: pending → firing, host silent, resolutions. */
  tick(now: Date): Promise<void>;
  /** Settles when every ingest begun so far has finished (a closing server waits for it before closing the store). */
  drain?(): Promise<void>;
}

/**
 * A core whose tick also runs in parts, for a runtime where each host ticks itself (Workers: the host's Durable
 * Object, from its alarm) and a scheduler runs only the fleet-wide rest. `tick(now)` is the fleet's every
 * `tickHost`, then `tickFleet`.
 */
export interface TickingCore extends ServiceCore {
  /** One host's time-based rules (host silent) at `now`, in turn with that host's snapshots; false for an unknown host. */
  tickHost(host: string, now: Date): Promise<boolean>;
  /** The tick without its per-host rules: expired actions, and repeats of every firing alert. */
  tickFleet(now: Date): Promise<void>;
}
