import type { GpuProcess } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { type FactContext, msOf, round3 } from './context.ts';
import { gpuNameOf } from './gpu-name.ts';

/** Tracking key of a process: pid plus start time, so a recycled pid starts a new history. */
export function processKey(p: GpuProcess): string {
  return `${p.pid}:${p.startTime ?? '?'}`;
}

/** Facts of one GPU process (scope `gpuProcess`); one subject per process and GPU. */
export function processSubject(p: GpuProcess, ctx: FactContext): Subject {
  const key = processKey(p);
  const prev = ctx.prev.processes[key];
  const firstSeenAt = prev?.firstSeenAt ?? ctx.nowIso;
  ctx.next.processes[key] = { firstSeenAt };
  const container = p.containerId === null ? undefined : ctx.containerById.get(p.containerId);
  const limits = ctx.userLimits(p.user);
  const gpu = p.migUuid ?? p.gpuUuid;
  const labels: Record<string, string> = { host: ctx.snapshot.host, pid: String(p.pid) };
  if (gpu !== null) labels.gpu = gpu;
  if (p.user !== null) labels.user = p.user;
  if (p.containerId !== null) labels.container = p.containerId;
  return {
    scope: 'gpuProcess',
    key: `${key}@${gpu ?? '?'}`,
    labels,
    facts: {
      kind: p.kind,
      system: p.system,
      name: p.name,
      user: p.user,
      userKnown: p.user !== null,
      userSource: p.userSource,
      uid: p.uid,
      usedMemoryMiB: p.usedMemoryMiB,
      gpuName: gpuNameOf(ctx.snapshot, p.gpuUuid, p.migUuid),
      secondsSeen: round3((ctx.nowMs - (msOf(firstSeenAt) ?? ctx.nowMs)) / 1000),
      containerKnown: container !== undefined,
      containerClass: container?.class ?? null,
      bareMetalExempt: limits.bareMetalExempt || limits.isAdmin,
    },
  };
}
