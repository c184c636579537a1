import type { Container, ErrorSource, GpuProcess, HostSnapshot } from '../../snapshot/schema.ts';
import { holdingOf, holdsGpus, type Holding, type Slot, slotsOf } from './gpu-equivalents.ts';
import type { LimitsView, UserLimits } from './limits-view.ts';
import type { TrackedState } from './tracked.ts';

/** Everything the per-scope fact builders share for one evaluation of one snapshot. */
export interface FactContext {
  snapshot: HostSnapshot;
  nowMs: number;
  now: Date;
  nowIso: string;
  prev: TrackedState;
  next: TrackedState;
  limits: LimitsView;
  slots: Slot[];
  holdings: Map<string, Holding>;
  containerById: Map<string, Container>;
  processesByContainer: Map<string, GpuProcess[]>;
  /** Containers holding each slot uuid (any state). */
  holdersBySlot: Map<string, Container[]>;
  /** GPU (or MIG) uuids → utilisation % of the physical GPU (null = unknown, e.g. MIG). */
  utilizationBySlot: Map<string, number | null>;
  /** Fraction of the host's GPU-equivalents held by containers (DS01's high-demand ratio). */
  allocatedRatio: number;
  /** Sources that failed in this snapshot: facts over them are unknown (null), tracked clocks over them pause. */
  failed: ReadonlySet<ErrorSource>;
  /** Milliseconds since the previous evaluation of this host (0 for the first), for pausing tracked clocks. */
  sincePreviousMs: number;
  userLimits(user: string | null): UserLimits;
}

/** Hours between two instants (ms), never negative. */
export function hoursBetween(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 3_600_000;
}

/** Epoch ms of an ISO time, or null. */
export function msOf(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** An ISO time moved later by the time since the previous evaluation: a clock paused while its source was unknown. */
export function pausedClock(iso: string | undefined, ctx: Pick<FactContext, 'nowMs' | 'nowIso' | 'sincePreviousMs'>): string {
  const ms = msOf(iso);
  return ms === null ? ctx.nowIso : new Date(Math.min(ctx.nowMs, ms + ctx.sincePreviousMs)).toISOString();
}

/** Round for facts: 3 decimals keeps alerts readable and comparisons stable. */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A ratio value/limit; null when the limit is unlimited or zero-sized. */
export function ratio(value: number | null, limit: number | null): number | null {
  if (value === null || limit === null || limit <= 0) return null;
  return round3(value / limit);
}

/** Whether a stopped container still holds its GPUs: within its owner's gpu_hold_after_stop_h (unknown stop time: yes). */
function stillHeldAfterStop(c: Container, limits: LimitsView, now: Date): boolean {
  const type = containerTypeOf(c);
  const holdH = type === 'orchestration' || type === 'api' ? 0 : limits.forUser(c.owner.user, now).gpuHoldAfterStopH;
  if (holdH === null) return true;
  const finishedMs = msOf(c.finishedAt);
  return finishedMs === null || now.getTime() - finishedMs < holdH * 3_600_000;
}

/** Build the shared context of one evaluation. */
export function makeContext(
  snapshot: HostSnapshot,
  prev: TrackedState,
  limits: LimitsView,
  now: Date,
  next: TrackedState,
  failed: ReadonlySet<ErrorSource> = new Set(),
): FactContext {
  const slots = slotsOf(snapshot.gpus);
  const holdings = new Map<string, Holding>();
  let held = 0;
  for (const c of snapshot.containers) {
    const h = holdingOf(c, snapshot, slots, holdsGpus(c, (x) => stillHeldAfterStop(x, limits, now)));
    holdings.set(c.id, h);
    held += h.gpuEquivalents;
  }
  const total = slots.reduce((n, s) => n + s.weight, 0);
  const processesByContainer = new Map<string, GpuProcess[]>();
  for (const p of snapshot.gpuProcesses) {
    if (p.containerId === null) continue;
    const list = processesByContainer.get(p.containerId);
    if (list === undefined) processesByContainer.set(p.containerId, [p]);
    else list.push(p);
  }
  const holdersBySlot = new Map<string, Container[]>();
  for (const c of snapshot.containers) {
    for (const slot of holdings.get(c.id)?.slots ?? []) {
      const list = holdersBySlot.get(slot.uuid);
      if (list === undefined) holdersBySlot.set(slot.uuid, [c]);
      else list.push(c);
    }
  }
  const utilizationBySlot = new Map<string, number | null>();
  for (const g of snapshot.gpus) {
    const util = g.migMode === 'enabled' ? null : g.utilizationPct;
    utilizationBySlot.set(g.uuid ?? `index:${g.index}`, util);
    for (const m of g.migInstances) if (m.uuid !== null) utilizationBySlot.set(m.uuid, null);
  }
  const cache = new Map<string, UserLimits>();
  return {
    snapshot,
    now,
    nowMs: now.getTime(),
    nowIso: now.toISOString(),
    prev,
    next,
    limits,
    slots,
    holdings,
    containerById: new Map(snapshot.containers.map((c) => [c.id, c])),
    processesByContainer,
    holdersBySlot,
    utilizationBySlot,
    allocatedRatio: total > 0 ? Math.min(1, held / total) : 0,
    failed,
    sincePreviousMs: Math.max(0, now.getTime() - (msOf(prev.lastTakenAt) ?? now.getTime())),
    userLimits(user) {
      const key = user ?? '';
      let l = cache.get(key);
      if (l === undefined) {
        l = limits.forUser(user, now);
        cache.set(key, l);
      }
      return l;
    },
  };
}

/** The DS01 container type that picks idle/runtime limits: ds01.interface / ds01.container_type label, else by class. */
export function containerTypeOf(c: Container): string {
  const label = c.labels['ds01.interface'] ?? c.labels['ds01.container_type'];
  if (label !== undefined && label !== '') return label;
  if (c.owner.user === null) return 'unknown'; // DS01's strict limits for containers nobody owns
  if (c.class === 'devcontainer') return 'devcontainer';
  if (c.class === 'compose') return 'compose';
  if (c.class === 'managed') return 'atomic';
  return 'docker';
}
