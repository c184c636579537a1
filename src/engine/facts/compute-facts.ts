import type { ErrorSource, HostSnapshot } from '../../snapshot/schema.ts';
import { failedSources } from '../fact-sources.ts';
import type { Subject } from '../subject.ts';
import { containerSubject } from './container-facts.ts';
import { makeContext, pausedClock } from './context.ts';
import { gpuSubject } from './gpu-facts.ts';
import { hostSubject } from './host-facts.ts';
import type { LimitsView } from './limits-view.ts';
import { processSubject } from './process-facts.ts';
import { emptyTrackedState, type TrackedState } from './tracked.ts';
import { userSubjects } from './user-facts.ts';

/** Subjects of every scope for one snapshot, and the tracked state to keep for the next one. */
export interface FactsResult {
  subjects: Subject[];
  tracked: TrackedState;
}

/** How one evaluation sees its snapshot beyond the snapshot itself. */
export interface FactOptions {
  /** Evaluation time; default the snapshot's takenAt (the service passes a corrected time when the host clock is off). */
  at?: Date;
  /** Seconds the host's clock is ahead of the service's (negative: behind); null when not measured. */
  clockSkewS?: number | null;
  /** Skew beyond which the host's clock counts as wrong. */
  maxClockSkewS?: number;
}

/** Keep tracked entries of subjects a failed source could not list (they are unknown, not gone). */
function carryOver<T>(into: Record<string, T>, from: Record<string, T>, map: (v: T) => T = (v) => v): void {
  for (const [key, value] of Object.entries(from)) if (!(key in into)) into[key] = map(value);
}

/**
 * Pure: snapshot + the host's tracked state + limits → facts per subject (GPU processes, containers, users,
 * GPUs, the host). Time is the snapshot's `takenAt` (or `options.at`), so replaying old captures gives the same
 * answer. Facts over a source that failed in this snapshot are null, and what it tracks is kept, not dropped.
 */
export function computeFacts(snapshot: HostSnapshot, prev: TrackedState, limits: LimitsView, options: FactOptions = {}): FactsResult {
  const now = options.at ?? new Date(snapshot.takenAt);
  const next = emptyTrackedState();
  next.lastTakenAt = now.toISOString();
  const failed: ReadonlySet<ErrorSource> = failedSources(snapshot);
  const ctx = makeContext(snapshot, prev, limits, now, next, failed);
  const total = ctx.slots.reduce((n, s) => n + s.weight, 0);
  const held = [...ctx.holdings.values()].reduce((n, h) => n + h.gpuEquivalents, 0);
  const capacityKnown = !failed.has('gpu') && !failed.has('docker');
  const capacity = capacityKnown ? { totalGpuEquivalents: total, freeGpuEquivalents: Math.max(0, total - held) } : null;
  const threshold = limits.forUser(null, now).gpuIdleThresholdPct;
  const subjects: Subject[] = [
    ...snapshot.gpuProcesses.map((p) => processSubject(p, ctx)),
    ...snapshot.containers.map((c) => containerSubject(c, ctx)),
    ...userSubjects(ctx, capacity),
    ...snapshot.gpus.map((g) => gpuSubject(g, ctx, threshold)),
    hostSubject(snapshot.host, {
      snapshot,
      capacity,
      secondsSinceSnapshot: 0,
      probeIntervalS: limits.probeIntervalS,
      silentAfterIntervals: limits.hostSilentAfterIntervals,
      clockSkewS: options.clockSkewS ?? null,
      maxClockSkewS: options.maxClockSkewS ?? null,
    }),
  ];
  // Idle clocks of what could not be seen pause: unknown time counts neither as idle nor as active.
  if (failed.has('docker')) carryOver(next.containers, prev.containers, (c) => ({ ...c, lastActiveAt: pausedClock(c.lastActiveAt, ctx) }));
  if (failed.has('gpu')) {
    carryOver(next.processes, prev.processes);
    carryOver(next.gpus, prev.gpus, (g) => ({ lastActiveAt: pausedClock(g.lastActiveAt, ctx) }));
  }
  return { subjects, tracked: next };
}
