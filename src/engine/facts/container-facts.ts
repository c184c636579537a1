import type { Container } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { containerTypeOf, type FactContext, hoursBetween, msOf, ratio, round3 } from './context.ts';

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

/** Whether any GPU the container holds or runs on was busy in this snapshot (unknown utilisation counts as busy). */
function gpuActive(c: Container, ctx: FactContext, threshold: number): { active: boolean; utilizationPct: number | null } {
  const uuids = new Set((ctx.holdings.get(c.id)?.slots ?? []).map((s) => s.uuid));
  let hasProcess = false;
  for (const p of ctx.processesByContainer.get(c.id) ?? []) {
    hasProcess = true;
    const slot = p.migUuid ?? p.gpuUuid;
    if (slot !== null) uuids.add(slot);
  }
  let max: number | null = null;
  let unknown = false;
  for (const uuid of uuids) {
    const util = ctx.utilizationBySlot.get(uuid);
    if (util === null || util === undefined) unknown = true;
    else max = Math.max(max ?? 0, util);
  }
  const busy = (max !== null && max >= threshold) || (unknown && hasProcess);
  return { active: busy, utilizationPct: max };
}

/** Facts of one container (scope `container`), updating its tracked last-active time. */
export function containerSubject(c: Container, ctx: FactContext): Subject {
  const user = ctx.userLimits(c.owner.user);
  const type = containerTypeOf(c);
  const holding = ctx.holdings.get(c.id) ?? { slots: [], slotCount: 0, gpuEquivalents: 0 };
  const hasGpu = c.gpu.requested !== 'none';
  const running = RUNNING.has(c.state);
  const startedMs = running ? msOf(c.startedAt) : null;
  const prev = ctx.prev.containers[c.id];
  const { active, utilizationPct } = gpuActive(c, ctx, user.gpuIdleThresholdPct);
  // Times are only parsed and formatted when they matter: this runs for every container of every snapshot.
  const keepPrev = running && hasGpu && !active && prev !== undefined;
  const lastActiveMs = keepPrev ? (msOf(prev.lastActiveAt) ?? ctx.nowMs) : ctx.nowMs;
  ctx.next.containers[c.id] = { firstSeenAt: prev?.firstSeenAt ?? ctx.nowIso, lastActiveAt: keepPrev ? prev.lastActiveAt : ctx.nowIso };

  const idleLimit = running && hasGpu && !c.protected ? idleTimeoutMinutes(c, ctx, type) : null;
  const idleMinutes = running && hasGpu ? round3((ctx.nowMs - lastActiveMs) / 60_000) : null;
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
      gpuSlots: holding.slotCount,
      gpuEquivalents: round3(holding.gpuEquivalents),
      gpuSlotsLimit: user.maxGpuSlotsPerContainer,
      gpuSlotsRatio: ratio(holding.slotCount, user.maxGpuSlotsPerContainer),
      managed: c.class === 'managed',
      unmanagedGpuAccess: hasGpu && c.class !== 'managed' && !infrastructure,
      gpuUtilizationPct: utilizationPct,
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
