// How people name a GPU: "GPU 0", or "GPU 0 · MIG 3g.40gb" for a MIG instance; UUIDs stay in the details.
import type { Gpu, HostSnapshot } from '../../snapshot/schema.ts';

/** "GPU 3" for a physical GPU. */
export function physicalGpuName(gpu: Pick<Gpu, 'index'>): string {
  return `GPU ${gpu.index}`;
}

/**
 * The readable name of the GPU or MIG instance a process runs on: "GPU 0 · MIG 3g.40gb" (the MIG profile, or its
 * index when the profile is unknown), "GPU 2"; null when the snapshot does not list that GPU.
 */
export function gpuNameOf(snapshot: Pick<HostSnapshot, 'gpus'>, gpuUuid: string | null, migUuid: string | null): string | null {
  for (const gpu of snapshot.gpus) {
    const mig = migUuid === null ? undefined : gpu.migInstances.find((m) => m.uuid === migUuid);
    if (mig !== undefined) return `${physicalGpuName(gpu)} · MIG ${mig.profile ?? `#${mig.index}`}`;
    if (gpuUuid !== null && gpu.uuid === gpuUuid) return migUuid === null ? physicalGpuName(gpu) : `${physicalGpuName(gpu)} · MIG`;
  }
  return null;
}
