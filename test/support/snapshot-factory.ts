// Builders for small, readable HostSnapshots in engine and service tests (schema-valid by construction).
import { type Container, type Gpu, type GpuProcess, type HostSnapshot, hostSnapshotSchema } from '../../src/snapshot/schema.ts';

/** 64-hex container id from a short name, so tests can say cid('train'). */
export function cid(name: string): string {
  let hex = '';
  for (const ch of name) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return hex.padEnd(64, '0').slice(0, 64);
}

/** A full (non-MIG) GPU. */
export function gpu(index: number, over: Partial<Gpu> = {}): Gpu {
  return {
    index, uuid: `GPU-${index}`, name: 'NVIDIA H100 80GB HBM3', pciBusId: null, memoryTotalMiB: 81559, memoryUsedMiB: 1000,
    utilizationPct: 50, temperatureC: 40, powerW: 100, migMode: 'disabled', migInstances: [], ...over,
  };
}

/** A MIG-enabled GPU with the given profiles (uuids MIG-<gpu>-<n>). */
export function migGpu(index: number, profiles: string[], over: Partial<Gpu> = {}): Gpu {
  return gpu(index, {
    migMode: 'enabled', utilizationPct: null,
    migInstances: profiles.map((profile, i) => ({
      index: i, uuid: `MIG-${index}-${i}`, profile, gpuInstanceId: i + 1, computeInstanceId: 0, memoryTotalMiB: 9984, memoryUsedMiB: 10,
    })),
    ...over,
  });
}

/** A container owned by `user` (ds01 label) holding the given GPU/MIG uuids. */
export function container(name: string, user: string | null, over: Partial<Container> & { devices?: string[] } = {}): Container {
  const { devices, ...rest } = over;
  return {
    id: cid(name), name, image: 'pytorch', state: 'running', createdAt: '2026-11-25T08:00:00.000Z', startedAt: '2026-11-25T08:00:00.000Z',
    finishedAt: null, pid: 100, labels: user === null ? {} : { 'ds01.user': user, 'ds01.managed': 'true' },
    class: user === null ? 'docker' : 'managed', protected: false,
    owner: user === null ? { user: null, uid: null, method: 'unknown' } : { user, uid: 1000, method: 'label:ds01.user' },
    gpu: devices === undefined || devices.length === 0
      ? { requested: 'none', count: 0, deviceIds: [], uuids: [], via: 'none' }
      : { requested: 'devices', count: devices.length, deviceIds: devices, uuids: devices, via: 'device-requests' },
    mounts: [], ...rest,
  };
}

/** A GPU process. */
export function proc(pid: number, over: Partial<GpuProcess> = {}): GpuProcess {
  return {
    pid, gpuUuid: 'GPU-0', migUuid: null, usedMemoryMiB: 1000, name: 'python3', cmdline: 'python3 train.py', type: 'C', uid: 1000,
    loginUid: 1000, user: 'alice', userSource: 'loginuid', startTime: '2026-11-25T09:00:00.000Z', kind: 'host', containerId: null,
    containerRuntime: null, system: false, ...over,
  };
}

/** A schema-valid snapshot of host `ds01` taken at `takenAt`. */
export function snapshot(takenAt: string, parts: { gpus?: Gpu[]; containers?: Container[]; gpuProcesses?: GpuProcess[]; errors?: HostSnapshot['errors']; host?: string } = {}): HostSnapshot {
  const host = parts.host ?? 'ds01';
  return hostSnapshotSchema.parse({
    schemaVersion: 1, id: `${host}@${takenAt}`, host, takenAt, probe: { version: 'test' }, driverVersion: '590.48.01',
    errors: parts.errors ?? [], gpus: parts.gpus ?? [gpu(0)], gpuProcesses: parts.gpuProcesses ?? [], containers: parts.containers ?? [],
  });
}

/** ISO time `minutes` after 2026-11-25T10:00Z. */
export function t(minutes: number): string {
  return new Date(Date.parse('2026-11-25T10:00:00.000Z') + minutes * 60_000).toISOString();
}
