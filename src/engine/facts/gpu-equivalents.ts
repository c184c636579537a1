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

/**
 * What a container holds now: its slots (when they can be named), how many units it asked for, the
 * GPU-equivalents it holds, and the device ids it asked for that this host does not have.
 */
export interface Holding {
  slots: Slot[];
  /** GPU/MIG units requested (what the per-container cap is about), whether or not they are held now. */
  slotCount: number;
  /** GPU-equivalents held now: 0 for a container that holds nothing (created, or stopped past its hold). */
  gpuEquivalents: number;
  /** Requested device ids (index, UUID, `<gpu>:<mig>`) that name no GPU or MIG instance of this host. */
  missingDevices: string[];
}

/** Container states that hold their GPUs: the process may use them at any moment. */
const HOLDING_STATES = new Set(['running', 'paused', 'restarting']);

/**
 * Whether a container holds the GPUs it asked for, as DS01 counts them: running containers hold what they
 * requested; stopped (`exited`) containers keep holding until `gpu_hold_after_stop_h` has passed
 * (`stillHeldAfterStop`); created-never-started, dead and removing containers hold nothing.
 */
export function holdsGpus(c: Container, stillHeldAfterStop: (c: Container) => boolean): boolean {
  if (HOLDING_STATES.has(c.state)) return true;
  return c.state === 'exited' && stillHeldAfterStop(c);
}

/** Resolve one requested device id against the host's GPUs: the slots it names, its weight, or null when absent. */
function resolveDevice(id: string, snapshot: HostSnapshot, slots: readonly Slot[]): { slots: Slot[]; weight: number } | null {
  const byUuid = slots.find((s) => s.uuid === id);
  if (byUuid !== undefined) return { slots: [byUuid], weight: byUuid.weight };
  if (/^\d+$/.test(id)) {
    const byIndex = slots.filter((s) => s.gpuIndex === Number(id));
    return byIndex.length > 0 ? { slots: byIndex, weight: 1 } : null;
  }
  const byMigIndex = /^(\d+):(\d+)$/.exec(id);
  if (byMigIndex !== null) {
    const gpu = snapshot.gpus.find((g) => g.index === Number(byMigIndex[1]));
    const mig = gpu?.migInstances.find((m) => m.index === Number(byMigIndex[2]));
    if (mig === undefined) return null;
    const slot = slots.find((s) => s.uuid === mig.uuid);
    return { slots: slot === undefined ? [] : [slot], weight: migProfileWeight(mig.profile) };
  }
  const physical = snapshot.gpus.find((g) => g.uuid === id);
  return physical === undefined ? null : { slots: slots.filter((s) => s.gpuUuid === id), weight: 1 };
}

/** Resolve a container's GPU request against the host's slots; `holds` says whether it holds them now (holdsGpus). */
export function holdingOf(c: Container, snapshot: HostSnapshot, slots: readonly Slot[], holds = true): Holding {
  const req = c.gpu;
  const none: Holding = { slots: [], slotCount: 0, gpuEquivalents: 0, missingDevices: [] };
  if (req.requested === 'none') return none;
  const physical = snapshot.gpus.length;
  if (req.requested === 'all') return holds ? { slots: [...slots], slotCount: physical, gpuEquivalents: physical, missingDevices: [] } : { ...none, slotCount: physical };
  if (req.requested === 'count') {
    const count = req.count ?? 0;
    return { slots: [], slotCount: count, gpuEquivalents: holds ? Math.min(count, physical) : 0, missingDevices: [] };
  }
  const held: Slot[] = [];
  const missingDevices: string[] = [];
  let weight = 0;
  for (const id of req.deviceIds) {
    const found = resolveDevice(id, snapshot, slots);
    if (found === null) {
      missingDevices.push(id);
      continue;
    }
    held.push(...found.slots);
    weight += found.weight;
  }
  return { slots: holds ? held : [], slotCount: req.deviceIds.length, gpuEquivalents: holds ? weight : 0, missingDevices };
}
