import { SNAPSHOT_BOUNDS, type GpuRequest } from '../../snapshot/schema.ts';
import type { InspectedContainer } from './inspected-container.ts';
import { arrayFieldOf, asRecord, field, stringFieldOf, stringOrNull } from './safe-access.ts';

/** Runtimes of the NVIDIA Container Toolkit that read `NVIDIA_VISIBLE_DEVICES`. */
export const NVIDIA_RUNTIMES: readonly string[] = ['nvidia', 'nvidia-legacy', 'nvidia-cdi'];

const CDI_GPU_PREFIX = 'nvidia.com/gpu=';
const NONE: GpuRequest = { requested: 'none', count: 0, deviceIds: [], uuids: [], via: 'none' };

/**
 * What GPUs a container asked the engine for. `HostConfig.DeviceRequests` wins (entries with
 * Driver `nvidia`, a `gpu`/`nvidia` capability, or a CDI `nvidia.com/gpu=` id); otherwise the legacy
 * `nvidia` runtime + `NVIDIA_VISIBLE_DEVICES`; then `/dev/nvidiaN` device nodes. The env var alone (baked into every CUDA image)
 * proves nothing. Across several entries: all > devices > count. Never throws.
 */
export function gpuRequestOf(c: InspectedContainer): GpuRequest {
  return fromDeviceRequests(arrayFieldOf(c, 'deviceRequests')) ?? fromNvidiaRuntime(c) ?? fromDeviceNodes(c) ?? { ...NONE };
}

/** `uuids` of a device list: the ids that are GPU-/MIG- UUIDs (incl. the pre-R470 `MIG-GPU-…/gi/ci`). */
export function uuidsOf(deviceIds: readonly string[]): string[] {
  return deviceIds.filter((id) => id.startsWith('GPU-') || id.startsWith('MIG-'));
}

function fromDeviceRequests(entries: readonly unknown[]): GpuRequest | null {
  let all = false;
  let count = 0;
  const ids: string[] = [];
  for (const entry of entries) {
    if (asRecord(entry) === null) continue;
    const driver = (stringOrNull(field(entry, 'Driver')) ?? '').trim().toLowerCase();
    const rawIds = splitIds(field(entry, 'DeviceIDs'));
    if (driver === 'cdi') {
      for (const id of rawIds) {
        if (!id.startsWith(CDI_GPU_PREFIX)) continue;
        const device = id.slice(CDI_GPU_PREFIX.length);
        if (device === 'all') all = true;
        else if (device !== '') ids.push(device);
      }
      continue;
    }
    if (driver !== 'nvidia' && !hasGpuCapability(field(entry, 'Capabilities'))) continue;
    const n = field(entry, 'Count');
    if (rawIds.length > 0) ids.push(...rawIds);
    else if (n === -1) all = true;
    else if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) count += n;
  }
  const deviceIds = [...new Set(ids)];
  if (all) return { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' };
  if (deviceIds.length > 0) {
    return { requested: 'devices', count: deviceIds.length, deviceIds, uuids: uuidsOf(deviceIds), via: 'device-requests' };
  }
  if (count > 0) return { requested: 'count', count: Math.min(count, SNAPSHOT_BOUNDS.maxIndex), deviceIds: [], uuids: [], via: 'device-requests' };
  return null;
}

function fromNvidiaRuntime(c: InspectedContainer): GpuRequest | null {
  const runtime = (stringFieldOf(c, 'runtime') ?? '').trim().toLowerCase();
  if (!NVIDIA_RUNTIMES.includes(runtime)) return null;
  const value = stringOrNull(field(field(c, 'env'), 'NVIDIA_VISIBLE_DEVICES'));
  if (value === null) return null;
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'all') return { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'nvidia-runtime' };
  if (trimmed === '' || trimmed === 'none' || trimmed === 'void') return null;
  const deviceIds = [...new Set(splitIds([value]))];
  if (deviceIds.length === 0) return null;
  return { requested: 'devices', count: deviceIds.length, deviceIds, uuids: uuidsOf(deviceIds), via: 'nvidia-runtime' };
}

/** `--device /dev/nvidiaN` (DS01 counts `--device=*nvidia*` as a GPU request): the GPU indices passed through. */
function fromDeviceNodes(c: InspectedContainer): GpuRequest | null {
  const indices = arrayFieldOf(c, 'devices').flatMap((path) => {
    const m = typeof path === 'string' ? /^\/dev\/nvidia(\d+)$/.exec(path.trim()) : null;
    return m?.[1] === undefined ? [] : [m[1]];
  });
  const deviceIds = [...new Set(indices)];
  if (deviceIds.length === 0) return null;
  return { requested: 'devices', count: deviceIds.length, deviceIds, uuids: [], via: 'device-nodes' };
}

/** DeviceIDs as given, also splitting any comma-joined element ("0,1"). */
function splitIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((id: unknown) =>
    typeof id === 'string' ? id.split(',').map((s) => s.trim()).filter((s) => s !== '') : [],
  );
}

/** Capabilities is an OR of AND-lists; the nvidia driver serves lists naming `gpu` or `nvidia`. */
function hasGpuCapability(capabilities: unknown): boolean {
  if (!Array.isArray(capabilities)) return false;
  return capabilities.some(
    (andList: unknown) => Array.isArray(andList) && andList.some((cap: unknown) => cap === 'gpu' || cap === 'nvidia'),
  );
}
