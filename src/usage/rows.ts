// The current GPU picture per container (and per user) from snapshots: what `gpuwarden usage` prints.
import { holdingOf, holdsGpus, migProfileWeight, slotsOf } from '../engine/facts/gpu-equivalents.ts';
import type { Container, GpuProcess, HostSnapshot } from '../snapshot/schema.ts';

/** One container (or the host's own GPU processes, container null) that holds or uses GPUs now. */
export interface UsageRow {
  host: string;
  /** GPUs and MIG instances used or held: `0`, `0:2` (GPU 0, MIG instance 2); sorted. */
  gpus: string[];
  /** GPU indexes of `gpus` (what --gpu N matches). */
  gpuIndexes: number[];
  user: string | null;
  /** Container name; null for processes outside containers. */
  container: string | null;
  containerId: string | null;
  /** GPU-equivalents held (its request, DS01's count), or used by its processes when it requested none. */
  gpuEquivalents: number;
  /** GPU memory its processes use now, in MiB; null when nvidia-smi reported none of their sizes. */
  memoryMiB: number | null;
  /** Mean utilisation of the whole GPUs it uses, in %; null when unknown (MIG instances report none). */
  utilizationPct: number | null;
  processCount: number;
  /** Seconds since it was last seen active (the service's tracked state); null when not known (a snapshot alone does not say). */
  idleS: number | null;
}

/** Options of usageRows: a container stopped this long ago still holds its GPUs (DS01's gpu_hold_after_stop_h). */
export interface UsageRowOptions {
  /** Stopped containers still hold their GPUs for this long after they finished; default 0 (they hold nothing). */
  holdAfterStopMs?: number;
  /** Seconds each container (by id) has been idle, where the service knows it. */
  idleSByContainer?: Readonly<Record<string, number>>;
}

/** Where a process runs: its slot label (`0`, `0:2`), GPU index, slot weight, and the whole GPU's uuid (null on MIG). */
export interface Place {
  label: string;
  gpuIndex: number;
  weight: number;
  wholeGpuUuid: string | null;
}

/** Where one process runs: its GPU / MIG instance label, the GPU index and the slot's weight; null when unknown. */
export function placeOf(p: GpuProcess, s: HostSnapshot): Place | null {
  const gpu = s.gpus.find((g) => g.uuid !== null && g.uuid === p.gpuUuid);
  if (gpu === undefined) return null;
  const mig = p.migUuid === null ? undefined : gpu.migInstances.find((m) => m.uuid === p.migUuid);
  if (mig !== undefined) return { label: `${gpu.index}:${mig.index}`, gpuIndex: gpu.index, weight: migProfileWeight(mig.profile), wholeGpuUuid: null };
  return { label: String(gpu.index), gpuIndex: gpu.index, weight: 1, wholeGpuUuid: gpu.uuid };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

/** Compare GPU labels `0`, `0:2`, `10` numerically. */
function byGpuLabel(a: string, b: string): number {
  const [ag = 0, am = -1] = a.split(':').map(Number);
  const [bg = 0, bm = -1] = b.split(':').map(Number);
  return ag - bg || am - bm;
}

/**
 * The usage rows of one snapshot: every container that holds GPUs (running, or stopped within holdAfterStopMs) or
 * runs GPU processes, and one row per user for GPU processes outside containers. Pure.
 */
export function usageRows(s: HostSnapshot, options: UsageRowOptions = {}): UsageRow[] {
  const holdMs = options.holdAfterStopMs ?? 0;
  const takenMs = Date.parse(s.takenAt);
  const stillHeld = (c: Container): boolean => c.finishedAt !== null && takenMs - Date.parse(c.finishedAt) < holdMs;
  const slots = slotsOf(s.gpus);
  const utilOf = new Map(s.gpus.map((g) => [g.uuid, g.utilizationPct]));
  const byContainer = new Map<string, GpuProcess[]>();
  const hostProcs = new Map<string, GpuProcess[]>();
  for (const p of s.gpuProcesses) {
    if (p.containerId !== null) byContainer.set(p.containerId, [...(byContainer.get(p.containerId) ?? []), p]);
    else hostProcs.set(p.user ?? '', [...(hostProcs.get(p.user ?? '') ?? []), p]);
  }
  const row = (procs: readonly GpuProcess[], base: Pick<UsageRow, 'user' | 'container' | 'containerId'>, held: { labels: string[]; indexes: number[]; gpuEq: number } | null): UsageRow => {
    const places = procs.map((p) => placeOf(p, s)).filter((x): x is Place => x !== null);
    const labels = new Map<string, Place>();
    for (const pl of places) labels.set(pl.label, pl);
    const usedEq = [...labels.values()].reduce((a, pl) => a + pl.weight, 0);
    const whole = [...new Set(places.map((pl) => pl.wholeGpuUuid).filter((u): u is string => u !== null))];
    const gpus = [...new Set([...(held?.labels ?? []), ...labels.keys()])].sort(byGpuLabel);
    const utils = whole.map((u) => utilOf.get(u) ?? null).filter((v): v is number => v !== null);
    return {
      host: s.host,
      gpus,
      gpuIndexes: [...new Set([...(held?.indexes ?? []), ...places.map((pl) => pl.gpuIndex)])].sort((a, b) => a - b),
      ...base,
      gpuEquivalents: held !== null && held.gpuEq > 0 ? held.gpuEq : usedEq,
      memoryMiB: sumOrNull(procs.map((p) => p.usedMemoryMiB)),
      utilizationPct: utils.length === 0 ? null : utils.reduce((a, b) => a + b, 0) / utils.length,
      processCount: procs.length,
      idleS: base.containerId === null ? null : (options.idleSByContainer?.[base.containerId] ?? null),
    };
  };
  const rows: UsageRow[] = [];
  for (const c of s.containers) {
    const procs = byContainer.get(c.id) ?? [];
    const holds = holdsGpus(c, stillHeld);
    const holding = holdingOf(c, s, slots, holds);
    if (procs.length === 0 && holding.gpuEquivalents === 0) continue;
    const labels = holding.slots.map((sl) => {
      const gpu = s.gpus.find((g) => g.index === sl.gpuIndex);
      const mig = gpu?.migInstances.find((m) => m.uuid === sl.uuid);
      return mig === undefined ? String(sl.gpuIndex) : `${sl.gpuIndex}:${mig.index}`;
    });
    const user = c.owner.user ?? procs.find((p) => p.user !== null)?.user ?? null;
    rows.push(row(procs, { user, container: c.name, containerId: c.id }, { labels, indexes: holding.slots.map((sl) => sl.gpuIndex), gpuEq: holding.gpuEquivalents }));
  }
  // Processes in a container the engine did not list (removed meanwhile): kept, named by id.
  for (const [id, procs] of byContainer) {
    if (s.containers.some((c) => c.id === id)) continue;
    rows.push(row(procs, { user: procs.find((p) => p.user !== null)?.user ?? null, container: id.slice(0, 12), containerId: id }, null));
  }
  for (const [user, procs] of hostProcs) rows.push(row(procs, { user: user === '' ? null : user, container: null, containerId: null }, null));
  return rows;
}

/** One user's total over the rows: containers, GPU-equivalents, memory, processes. */
export interface UserUsage {
  user: string | null;
  hosts: string[];
  containers: number;
  gpuEquivalents: number;
  memoryMiB: number | null;
  processCount: number;
}

/** Per-user totals of (already filtered) rows, in the order their users first appear. Pure. */
export function usageByUser(rows: readonly UsageRow[]): UserUsage[] {
  const users = new Map<string | null, UserUsage>();
  for (const r of rows) {
    const u = users.get(r.user) ?? { user: r.user, hosts: [], containers: 0, gpuEquivalents: 0, memoryMiB: null, processCount: 0 };
    if (!u.hosts.includes(r.host)) u.hosts.push(r.host);
    if (r.container !== null) u.containers += 1;
    u.gpuEquivalents += r.gpuEquivalents;
    u.memoryMiB = sumOrNull([u.memoryMiB, r.memoryMiB]);
    u.processCount += r.processCount;
    users.set(r.user, u);
  }
  return [...users.values()];
}
