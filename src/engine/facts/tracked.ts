import { z } from 'zod';

const iso = z.string();

/**
 * What the engine remembers per host between snapshots: last-active times and first-seen times of what
 * is present now, and decayed GPU-hours per user. Small and bounded: entries for subjects that are gone
 * are dropped (users once their decayed hours fall below 0.01).
 */
export const trackedStateSchema = z.object({
  version: z.literal(1),
  lastTakenAt: iso.nullable(),
  containers: z.record(z.string(), z.object({ firstSeenAt: iso, lastActiveAt: iso })),
  processes: z.record(z.string(), z.object({ firstSeenAt: iso })),
  gpus: z.record(z.string(), z.object({ lastActiveAt: iso })),
  users: z.record(z.string(), z.object({ decayedGpuHours: z.number(), updatedAt: iso })),
});

/** Parsed tracked state of one host. */
export type TrackedState = z.infer<typeof trackedStateSchema>;

/** State of a host never seen before. */
export function emptyTrackedState(): TrackedState {
  return { version: 1, lastTakenAt: null, containers: {}, processes: {}, gpus: {}, users: {} };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parse stored tracked state; anything unreadable starts afresh rather than blocking ingestion. The service
 * wrote this JSON itself, so a shape check stands in for the full schema (which cost more than the facts on
 * every snapshot); the schema still documents it and checks it in tests.
 */
export function parseTrackedState(json: string | null): TrackedState {
  if (json === null || json === '') return emptyTrackedState();
  try {
    const v: unknown = JSON.parse(json);
    if (!isRecord(v) || v.version !== 1) return emptyTrackedState();
    if (!isRecord(v.containers) || !isRecord(v.processes) || !isRecord(v.gpus) || !isRecord(v.users)) return emptyTrackedState();
    return v as TrackedState;
  } catch {
    return emptyTrackedState();
  }
}
