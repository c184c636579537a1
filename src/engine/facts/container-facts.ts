import type { Container } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { containerTypeOf, type FactContext, pausedClock, hoursBetween, msOf, ratio, round3 } from './context.ts';
import type { UserLimits } from './limits-view.ts';

const RUNNING = new Set(['running', 'paused', 'restarting']);

/** Idle timeout in minutes as DS01 picks it (§6), null = exempt; includes the high-demand reduction. */
function idleTimeoutMinutes(c: Container, ctx: FactContext, type: string): number | null {
  const user = ctx.userLimits(c.owner.user);
  if (user.exemptIdle || type === 'devcontainer') return null;
  let hours: number | null;
  if (type === 'orchestration' || type === 'atomic') hours = user.idleTimeoutH;
  else if (type === 'compose' || type === 'docker' || type === 'unknown') hours = ctx.limits.forContainerType(type)?.idleTimeoutH ?? 0.5;
  else hours = 0.25;
  if (hours === null) return null;
  if (ctx.allocatedRatio >= user.highDemandThreshold) hours *= user.highDemandIdleReduction;
  return round3(hours * 60);
}

/** Max runtime in hours as DS01 picks it (§6), null = unlimited. */
function maxRuntimeHours(c: Container, ctx: FactContext, type: string): number | null {
  const user = ctx.userLimits(c.owner.user);
  if (user.exemptRuntime) return null;
  if (type === 'orchestration' || type === 'atomic') return user.maxRuntimeH;
  const typed = ctx.limits.forContainerType(type);
  if (typed !== null) return typed.maxRuntimeH ?? 48;
  return 24;
}

/** Whether the container was active in this snapshot, and from which signal. */
interface Activity {
  active: boolean;
  utilizationPct: number | null;
  /** 'gpu': utilisation decided; 'usage': the GPU signal was missing and CPU/network decided; 'processes': neither known. */
  signal: 'gpu' | 'usage' | 'processes';
}

/**
 * Whether the container was active: any GPU it holds or runs on at or above the idle threshold. Where the GPU
 * signal is missing (MIG instances report no utilisation; no GPU could be named) DS01 falls back on the
 * container's CPU use and network traffic over the last interval; without those either, a container with a GPU
 * process counts as busy (unknown is not idle).
 */
function activityOf(c: Container, ctx: FactContext, user: UserLimits): Activity {
  const uuids = new Set((ctx.holdings.get(c.id)?.slots ?? []).map((s) => s.uuid));
  let hasProcess = false;
  for (const p of ctx.processesByContainer.get(c.id) ?? []) {
    hasProcess = true;
    const slot = p.migUuid ?? p.gpuUuid;
    if (slot !== null) uuids.add(slot);
  }
  let max: number | null = null;
  let unknown = uuids.size === 0;
  for (const uuid of uuids) {
    const util = ctx.utilizationBySlot.get(uuid);
    if (util === null || util === undefined) unknown = true;
    else max = Math.max(max ?? 0, util);
  }
  if ((max !== null && max >= user.gpuIdleThresholdPct) || !unknown) return { active: max !== null && max >= user.gpuIdleThresholdPct, utilizationPct: max, signal: 'gpu' };
  const usage = c.usage ?? null;
  if (usage !== null && usage.cpuPct !== null) {
    const rxBytes = usage.netRxBytesPerS === null ? 0 : usage.netRxBytesPerS * usage.intervalS;
    return { active: usage.cpuPct > user.cpuIdleThresholdPct || rxBytes > user.networkIdleThresholdBytes, utilizationPct: max, signal: 'usage' };
  }
  return { active: hasProcess, utilizationPct: max, signal: 'processes' };
}

/** Facts of one container (scope `container`), updating its tracked last-active time. */
export function containerSubject(c: Container, ctx: FactContext): Subject {
  const user = ctx.userLimits(c.owner.user);
  const type = containerTypeOf(c);
  const holding = ctx.holdings.get(c.id) ?? { slots: [], slotCount: 0, gpuEquivalents: 0, missingDevices: [] };
  const gpusKnown = !ctx.failed.has('gpu');
  const hasGpu = c.gpu.requested !== 'none';
  const running = RUNNING.has(c.state);
  const startedMs = running ? msOf(c.startedAt) : null;
  const prev = ctx.prev.containers[c.id];
  // GPU activity is unknown while nvidia-smi or /proc failed: the idle clock pauses (neither idles nor resets).
  const gpuUnknown = ctx.failed.has('gpu') || ctx.failed.has('proc');
  const activity = gpuUnknown ? null : activityOf(c, ctx, user);
  // Times are only parsed and formatted when they matter: this runs for every container of every snapshot.
  const keepPrev = running && hasGpu && activity?.active !== true && prev !== undefined;
  const lastActiveAt = keepPrev ? (activity === null ? pausedClock(prev.lastActiveAt, ctx) : prev.lastActiveAt) : ctx.nowIso;
  const lastActiveMs = keepPrev ? (msOf(lastActiveAt) ?? ctx.nowMs) : ctx.nowMs;
  ctx.next.containers[c.id] = { firstSeenAt: prev?.firstSeenAt ?? ctx.nowIso, lastActiveAt };

  const idleLimit = running && hasGpu && !c.protected ? idleTimeoutMinutes(c, ctx, type) : null;
  const idleMinutes = running && hasGpu && !gpuUnknown ? round3((ctx.nowMs - lastActiveMs) / 60_000) : null;
  const inGracePeriod = startedMs !== null && ctx.nowMs - startedMs < user.gracePeriodM * 60_000;
  const runtimeHours = running && startedMs !== null ? round3(hoursBetween(startedMs, ctx.nowMs)) : null;
  const runtimeLimit = hasGpu && !c.protected ? maxRuntimeHours(c, ctx, type) : null;
  const finishedMs = c.state === 'exited' ? msOf(c.finishedAt) : null;
  const stoppedHours = c.state === 'exited' && finishedMs !== null ? round3(hoursBetween(finishedMs, ctx.nowMs)) : null;
  const holdLimit = type === 'orchestration' || type === 'api' ? 0 : user.gpuHoldAfterStopH;
  const createdMs = c.state === 'created' ? msOf(c.createdAt) : null;
  const createdMinutes = c.state === 'created' && createdMs !== null ? round3((ctx.nowMs - createdMs) / 60_000) : null;
  const infrastructure = c.class === 'infrastructure' || c.protected;

  const labels: Record<string, string> = { host: ctx.snapshot.host, container: c.id, containerName: c.name };
  if (c.owner.user !== null) labels.user = c.owner.user;
  return {
    scope: 'container',
    key: c.id,
    labels,
    facts: {
      name: c.name,
      state: c.state,
      running,
      class: c.class,
      containerType: type,
      protected: infrastructure,
      owner: c.owner.user,
      ownerKnown: c.owner.user !== null,
      ownerMethod: c.owner.method,
      hasGpu,
      gpuRequested: c.gpu.requested,
      gpuAll: c.gpu.requested === 'all',
      gpuSlots: gpusKnown ? holding.slotCount : null,
      gpuEquivalents: gpusKnown ? round3(holding.gpuEquivalents) : null,
      holdsGpu: gpusKnown ? holding.gpuEquivalents > 0 : null,
      missingGpuDevices: gpusKnown ? holding.missingDevices : null,
      missingGpuDeviceCount: gpusKnown ? holding.missingDevices.length : null,
      gpuSlotsLimit: user.maxGpuSlotsPerContainer,
      gpuSlotsRatio: gpusKnown ? ratio(holding.slotCount, user.maxGpuSlotsPerContainer) : null,
      managed: c.class === 'managed',
      unmanagedGpuAccess: hasGpu && c.class !== 'managed' && !infrastructure,
      gpuUtilizationPct: activity?.utilizationPct ?? null,
      activitySignal: activity?.signal ?? null,
      cpuPct: c.usage?.cpuPct ?? null,
      netRxBytesPerS: c.usage?.netRxBytesPerS ?? null,
      activeProcessCount: c.usage?.activeProcessCount ?? null,
      idleMinutes,
      idleTimeoutMinutes: idleLimit,
      idleRatio: inGracePeriod ? null : ratio(idleMinutes, idleLimit),
      inGracePeriod,
      runtimeHours,
      maxRuntimeHours: runtimeLimit,
      runtimeRatio: ratio(runtimeHours, runtimeLimit),
      stoppedHours,
      gpuHoldAfterStopHours: hasGpu ? holdLimit : null,
      stoppedHoldRatio: hasGpu && stoppedHours !== null && holdLimit !== null ? (holdLimit === 0 ? 1 : ratio(stoppedHours, holdLimit)) : null,
      containerHoldAfterStopHours: user.containerHoldAfterStopH,
      stoppedRatio: infrastructure ? null : ratio(stoppedHours, user.containerHoldAfterStopH),
      createdMinutes,
      createdTimeoutMinutes: user.createdContainerTimeoutM,
      createdRatio: infrastructure ? null : ratio(createdMinutes, user.createdContainerTimeoutM),
      exemptIdle: user.exemptIdle,
      exemptRuntime: user.exemptRuntime,
    },
  };
}
