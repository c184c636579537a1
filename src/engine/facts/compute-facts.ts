import type { HostSnapshot } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { containerSubject } from './container-facts.ts';
import { makeContext } from './context.ts';
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

/**
 * Pure: snapshot + the host's tracked state + limits → facts per subject (GPU processes, containers, users,
 * GPUs, the host). Time is the snapshot's `takenAt`, so replaying old captures gives the same answer.
 */
export function computeFacts(snapshot: HostSnapshot, prev: TrackedState, limits: LimitsView): FactsResult {
  const now = new Date(snapshot.takenAt);
  const next = emptyTrackedState();
  next.lastTakenAt = snapshot.takenAt;
  const ctx = makeContext(snapshot, prev, limits, now, next);
  const total = ctx.slots.reduce((n, s) => n + s.weight, 0);
  const held = [...ctx.holdings.values()].reduce((n, h) => n + h.gpuEquivalents, 0);
  const capacity = { totalGpuEquivalents: total, freeGpuEquivalents: Math.max(0, total - held) };
  const threshold = limits.forUser(null, now).gpuIdleThresholdPct;
  const subjects: Subject[] = [
    ...snapshot.gpuProcesses.map((p) => processSubject(p, ctx)),
    ...snapshot.containers.map((c) => containerSubject(c, ctx)),
    ...userSubjects(ctx, capacity.totalGpuEquivalents, capacity.freeGpuEquivalents),
    ...snapshot.gpus.map((g) => gpuSubject(g, ctx, threshold)),
    hostSubject(snapshot.host, { snapshot, capacity, secondsSinceSnapshot: 0, probeIntervalS: limits.probeIntervalS, silentAfterIntervals: limits.hostSilentAfterIntervals }),
  ];
  return { subjects, tracked: next };
}
