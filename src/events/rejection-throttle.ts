import type { GwEvent } from './event.ts';

/** At most one snapshot.rejected event per host in this long (a misconfigured probe posts twice a minute). */
export const REJECTION_EVENT_EVERY_MS = 10 * 60_000;

/**
 * Per host: whether a rejected snapshot is an event now, and how many were left out since the last one. In memory
 * (per process or Worker isolate): a restart may write one more, never fewer than one per window.
 */
export function createRejectionThrottle(everyMs = REJECTION_EVENT_EVERY_MS) {
  const last = new Map<string, { atMs: number; suppressed: number }>();
  return {
    /** The count left out since the last event when one is due now, else null (this one is counted). */
    take(host: string, nowMs: number): number | null {
      const seen = last.get(host);
      if (seen !== undefined && nowMs - seen.atMs < everyMs) {
        seen.suppressed += 1;
        return null;
      }
      last.set(host, { atMs: nowMs, suppressed: 0 });
      return seen?.suppressed ?? 0;
    },
  };
}

/** The `snapshot.rejected` event of a host's refused POST /v1/snapshots: HTTP status, error code, message. */
export function snapshotRejectedEvent(host: string, at: Date, rejection: { status: number; code: string; message: string }, leftOut: number): GwEvent {
  return { id: crypto.randomUUID(), at: at.toISOString(), type: 'snapshot.rejected', host, details: { ...rejection, leftOut } };
}
