import type { Container, Gpu } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { type FactContext, msOf, pausedClock, ratio, round3 } from './context.ts';
import { physicalGpuName } from './gpu-name.ts';

/** Facts of one physical GPU (scope `gpu`): health, and how long it has been held but idle. */
export function gpuSubject(g: Gpu, ctx: FactContext, threshold: number): Subject {
  const uuid = g.uuid ?? `index:${g.index}`;
  const slotIds = new Set([uuid, ...g.migInstances.flatMap((m) => (m.uuid === null ? [] : [m.uuid]))]);
  const heldBy = new Set<Container>();
  const holdersBySlot = new Map<string, number>();
  for (const slot of slotIds) {
    for (const c of ctx.holdersBySlot.get(slot) ?? []) {
      heldBy.add(c);
      if (c.state === 'running') holdersBySlot.set(slot, (holdersBySlot.get(slot) ?? 0) + 1);
    }
  }
  const processes = ctx.snapshot.gpuProcesses.filter((p) => p.gpuUuid === g.uuid && !p.system);
  const allocated = heldBy.size > 0 || processes.length > 0;
  const busy = g.utilizationPct === null ? g.migMode === 'enabled' && processes.length > 0 : g.utilizationPct >= threshold;
  const prev = ctx.prev.gpus[uuid];
  // Who holds the GPU is unknown while Docker or /proc failed: its idle clock pauses and holder facts are null.
  const holdersKnown = !ctx.failed.has('docker') && !ctx.failed.has('proc');
  if (!holdersKnown) ctx.next.gpus[uuid] = { lastActiveAt: pausedClock(prev?.lastActiveAt, ctx) };
  const keepPrev = allocated && !busy && g.utilizationPct !== null && prev !== undefined;
  const lastActiveMs = keepPrev ? (msOf(prev.lastActiveAt) ?? ctx.nowMs) : ctx.nowMs;
  if (holdersKnown) ctx.next.gpus[uuid] = { lastActiveAt: keepPrev ? prev.lastActiveAt : ctx.nowIso };
  const users = [...new Set([...[...heldBy].map((c) => c.owner.user), ...processes.map((p) => p.user)].filter((u): u is string => u !== null))];
  const labels: Record<string, string> = { host: ctx.snapshot.host, gpu: uuid, gpuIndex: String(g.index) };
  if (users.length === 1 && users[0] !== undefined) labels.user = users[0];
  return {
    scope: 'gpu',
    key: uuid,
    labels,
    facts: {
      index: g.index,
      gpuName: physicalGpuName(g),
      name: g.name,
      migMode: g.migMode,
      utilizationPct: g.utilizationPct,
      memoryUsedPct: g.memoryTotalMiB === null || g.memoryUsedMiB === null ? null : round3((100 * (ratio(g.memoryUsedMiB, g.memoryTotalMiB) ?? 0))),
      temperatureC: g.temperatureC,
      powerW: g.powerW,
      allocated: holdersKnown ? allocated : null,
      users: holdersKnown ? users : null,
      slotHolders: holdersKnown ? Math.max(0, ...holdersBySlot.values()) : null,
      idleMinutes: holdersKnown && allocated ? round3((ctx.nowMs - lastActiveMs) / 60_000) : null,
    },
  };
}
