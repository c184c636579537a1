import { describe, expect, it } from 'vitest';
import type { Gpu, MigInstance } from '../../snapshot/schema.ts';
import { gpuNameOf, physicalGpuName } from './gpu-name.ts';

const mig = (index: number, uuid: string, profile: string | null): MigInstance => ({
  index,
  uuid,
  profile,
  gpuInstanceId: index,
  computeInstanceId: 0,
  memoryTotalMiB: null,
  memoryUsedMiB: null,
});

const gpu = (index: number, uuid: string, migs: MigInstance[] = []): Gpu => ({
  index,
  uuid,
  name: 'NVIDIA A100-SXM4-80GB',
  pciBusId: null,
  memoryTotalMiB: null,
  memoryUsedMiB: null,
  utilizationPct: null,
  temperatureC: null,
  powerW: null,
  migMode: migs.length > 0 ? 'enabled' : 'disabled',
  migInstances: migs,
});

const snapshot = { gpus: [gpu(0, 'GPU-a', [mig(0, 'MIG-a0', '3g.40gb'), mig(1, 'MIG-a1', null)]), gpu(2, 'GPU-c')] };

describe('gpu names for people', () => {
  it('names a physical GPU by its index', () => {
    expect(physicalGpuName({ index: 4 })).toBe('GPU 4');
    expect(gpuNameOf(snapshot, 'GPU-c', null)).toBe('GPU 2');
  });

  it('names a MIG instance by its GPU and profile, its index when the profile is unknown', () => {
    expect(gpuNameOf(snapshot, 'GPU-a', 'MIG-a0')).toBe('GPU 0 · MIG 3g.40gb');
    expect(gpuNameOf(snapshot, null, 'MIG-a0')).toBe('GPU 0 · MIG 3g.40gb');
    expect(gpuNameOf(snapshot, 'GPU-a', 'MIG-a1')).toBe('GPU 0 · MIG #1');
  });

  it('a MIG uuid the snapshot does not list still names its GPU; an unknown GPU is null', () => {
    expect(gpuNameOf(snapshot, 'GPU-a', 'MIG-zz')).toBe('GPU 0 · MIG');
    expect(gpuNameOf(snapshot, 'GPU-zz', null)).toBeNull();
    expect(gpuNameOf(snapshot, null, null)).toBeNull();
    expect(gpuNameOf({ gpus: [] }, 'GPU-a', 'MIG-a0')).toBeNull();
  });
});
