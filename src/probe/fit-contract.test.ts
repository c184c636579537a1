import { describe, expect, it } from 'vitest';
import { containerSchema, type Container, type Gpu, type SourceError } from '../snapshot/schema.ts';
import { fitContainerUsage, fitGpuProcesses, fitGpus } from './fit-contract.ts';

const gpu: Gpu = {
  index: 0, uuid: null, name: null, pciBusId: null, memoryTotalMiB: 40960, memoryUsedMiB: 10, utilizationPct: 50,
  temperatureC: 40, powerW: 100, migMode: 'enabled',
  migInstances: [{ index: 0, uuid: null, profile: null, gpuInstanceId: 1, computeInstanceId: 0, memoryTotalMiB: -1, memoryUsedMiB: 5 }],
};

const container = (usage: Container['usage']): Container => ({
  id: 'a'.repeat(64), name: 'train', image: null, state: 'running', createdAt: null, startedAt: null, finishedAt: null, pid: 7,
  labels: {}, class: 'docker', protected: false, owner: { user: null, uid: null, method: 'unknown' },
  gpu: { requested: 'none', count: 0, deviceIds: [], uuids: [], via: 'none' }, mounts: [], usage,
});

describe('fitGpus', () => {
  it('keeps values in range and nulls the rest, one error each', () => {
    const errors: SourceError[] = [];
    const [out] = fitGpus([{ ...gpu, powerW: 1e300, temperatureC: -273, utilizationPct: 100 }], errors);
    expect(out).toMatchObject({ powerW: null, temperatureC: null, utilizationPct: 100, memoryTotalMiB: 40960 });
    expect(out?.migInstances[0]).toMatchObject({ memoryTotalMiB: null, memoryUsedMiB: 5 });
    expect(errors.map((e) => e.message)).toEqual([
      'gpu 0: temperatureC -273 is outside -50..150 °C; sent as null',
      'gpu 0: powerW 1e+300 is outside 0..5000 W; sent as null',
      'gpu 0 mig 0: memoryTotalMiB -1 is outside 0..16777216 MiB; sent as null',
    ]);
  });
});

describe('fitGpuProcesses', () => {
  it('nulls negative memory and a start time in year 9999', () => {
    const errors: SourceError[] = [];
    const base = { pid: 5, gpuUuid: null, migUuid: null, name: null, cmdline: null, type: null, uid: null, loginUid: null, user: null,
      userSource: 'unknown', kind: 'unknown', containerId: null, containerRuntime: null, system: false } as const;
    const [p] = fitGpuProcesses([{ ...base, usedMemoryMiB: -3, startTime: '9999-01-01T00:00:00.000Z' }], errors);
    expect(p).toMatchObject({ usedMemoryMiB: null, startTime: null });
    expect(errors).toHaveLength(2);
  });
});

describe('fitContainerUsage', () => {
  it('drops a measurement over an impossible interval and nulls impossible rates', () => {
    const errors: SourceError[] = [];
    expect(fitContainerUsage(container({ intervalS: 1e9, cpuPct: 1, netRxBytesPerS: 0, netTxBytesPerS: 0, activeProcessCount: 1 }), errors).usage).toBeNull();
    const fitted = fitContainerUsage(container({ intervalS: 30, cpuPct: -5, netRxBytesPerS: 1e300, netTxBytesPerS: 10, activeProcessCount: 1 }), errors);
    expect(fitted.usage).toEqual({ intervalS: 30, cpuPct: null, netRxBytesPerS: null, netTxBytesPerS: 10, activeProcessCount: 1 });
    expect(containerSchema.safeParse(fitted).success).toBe(true);
    expect(errors.every((e) => e.source === 'usage')).toBe(true);
    expect(errors).toHaveLength(3);
  });
});
