import type { Container, Gpu, HostSnapshot } from '../../snapshot/schema.ts';

/** A schedulable GPU unit of a host: a full GPU, or a MIG instance with its weight in GPU-equivalents. */
export interface Slot {
  uuid: string;
  gpuUuid: string;
  gpuIndex: number;
  weight: number;
}

/**
 * Weight of a MIG profile in GPU-equivalents as DS01 computes it: compute slices / 7, from the compute-instance
 * prefix (`1c.3g.71gb` → 1/7) or the leading `Ng` (`3g.40gb` → 3/7); unknown → 1/7 (DS01's 1g.10gb default).
 */
export function migProfileWeight(profile: string | null): number {
  const m = profile === null ? null : /^(\d+)c\.|^(\d+)g\./.exec(profile);
  const slices = Number(m?.[1] ?? m?.[2] ?? 1);
  return Math.min(slices, 7) / 7;
}

/** The host's slots: MIG instances of MIG-enabled GPUs that have some, else whole GPUs. */
export function slotsOf(gpus: readonly Gpu[]): Slot[] {
  return gpus.flatMap((g): Slot[] => {
    const uuid = g.uuid ?? `index:${g.index}`;
    if (g.migMode === 'enabled' && g.migInstances.length > 0) {
      return g.migInstances.map((m) => ({ uuid: m.uuid ?? `${uuid}/mig:${m.index}`, gpuUuid: uuid, gpuIndex: g.index, weight: migProfileWeight(m.profile) }));
    }
    if (g.migMode === 'enabled') return [];
    return [{ uuid, gpuUuid: uuid, gpuIndex: g.index, weight: 1 }];
  });
}

/** What a container holds: its slots (when they can be named), how many, and their GPU-equivalents. */
export interface Holding {
  slots: Slot[];
  slotCount: number;
  gpuEquivalents: number;
}

/** Resolve a container's GPU request against the host's slots (ids as GPU-/MIG- UUIDs or indices). */
export function holdingOf(c: Container, snapshot: HostSnapshot, slots: readonly Slot[]): Holding {
  const req = c.gpu;
  if (req.requested === 'none') return { slots: [], slotCount: 0, gpuEquivalents: 0 };
  if (req.requested === 'all') {
    const physical = snapshot.gpus.length;
    return { slots: [...slots], slotCount: physical, gpuEquivalents: physical };
  }
  if (req.requested === 'count') return { slots: [], slotCount: req.count ?? 0, gpuEquivalents: req.count ?? 0 };
  const held: Slot[] = [];
  let weight = 0;
  for (const id of req.deviceIds) {
    const byUuid = slots.find((s) => s.uuid === id);
    const byIndex = /^\d+$/.test(id) ? slots.filter((s) => s.gpuIndex === Number(id)) : [];
    const byMigIndex = /^(\d+):(\d+)$/.exec(id);
    if (byUuid !== undefined) {
      held.push(byUuid);
      weight += byUuid.weight;
    } else if (byIndex.length > 0) {
      held.push(...byIndex);
      weight += 1;
    } else if (byMigIndex !== null) {
      const gpu = snapshot.gpus.find((g) => g.index === Number(byMigIndex[1]));
      const mig = gpu?.migInstances.find((m) => m.index === Number(byMigIndex[2]));
      weight += migProfileWeight(mig?.profile ?? null);
    } else {
      weight += id.startsWith('MIG-') ? migProfileWeight(null) : 1;
    }
  }
  return { slots: held, slotCount: req.deviceIds.length, gpuEquivalents: weight };
}
