import { describe, expect, it } from 'vitest';
import type { GpuProcess, HostSnapshot } from '../snapshot/schema.ts';
import { renderColumns, renderTable } from './render-table.ts';

const base: HostSnapshot = {
  schemaVersion: 1, id: 'gpu1@2026-11-25T10:00:00.000Z', host: 'gpu1', takenAt: '2026-11-25T10:00:00.000Z', probe: { version: '0.1.0' }, driverVersion: '535.54.03',
  errors: [], gpus: [], gpuProcesses: [], containers: [],
};
const gpu = {
  index: 0, uuid: 'GPU-a', name: 'Tesla T4', pciBusId: '0000:01:00.0', memoryTotalMiB: 15360, memoryUsedMiB: 2048.4,
  utilizationPct: 37, temperatureC: 41, powerW: 27.25, migMode: 'disabled' as const, migInstances: [],
};
function proc(over: Partial<GpuProcess>): GpuProcess {
  return {
    pid: 1, gpuUuid: 'GPU-a', migUuid: null, usedMemoryMiB: 1024, name: 'python3', cmdline: null, type: 'C', uid: 1001,
    loginUid: null, user: 'alice', userSource: 'uid', startTime: null, kind: 'host', containerId: null, containerRuntime: null,
    system: false, ...over,
  };
}

describe('renderTable', () => {
  it('lists each GPU with its processes, unknown values as n/a', () => {
    const text = renderTable({ ...base, gpus: [{ ...gpu, utilizationPct: null }], gpuProcesses: [proc({}), proc({ pid: 2, name: 'Xorg', system: true, user: 'root', usedMemoryMiB: null })] });
    expect(text).toContain('GPU 0  Tesla T4  GPU-a  mem 2048/15360 MiB  util n/a  41 C  27.3 W');
    expect(text).toMatch(/1 +alice +host +- +1024 MiB +python3/);
    expect(text).toMatch(/2 +root +host\/system +- +n\/a +Xorg/);
  });

  it('says plainly when there is no GPU data and prints the errors', () => {
    const text = renderTable({ ...base, errors: [{ source: 'gpu', message: 'nvidia-smi -q -x: nvidia-smi not found' }] });
    expect(text).toContain('No GPU data (see errors below).');
    expect(text).toContain('error [gpu] nvidia-smi -q -x: nvidia-smi not found');
  });

  it('says which sources were not read by choice and how many GPU processes exited before /proc was read', () => {
    const text = renderTable({ ...base, gpus: [gpu], disabledSources: ['docker'], exitedProcesses: 2 });
    expect(text).toContain('Containers: not read (docker disabled)');
    expect(text).not.toContain('Containers: 0');
    expect(text).toContain('2 GPU process(es) exited before /proc was read');
    const plain = renderTable({ ...base, gpus: [gpu], disabledSources: [], exitedProcesses: 0 });
    expect(plain).toContain('Containers: 0 (0 with GPU access)');
    expect(plain).not.toContain('exited');
  });

  it('nests processes under their MIG instance', () => {
    const mig = { index: 0, uuid: 'MIG-x', profile: '1g.10gb', gpuInstanceId: 7, computeInstanceId: 0, memoryTotalMiB: 9984, memoryUsedMiB: 12 };
    const text = renderTable({ ...base, gpus: [{ ...gpu, migMode: 'enabled', migInstances: [mig] }], gpuProcesses: [proc({ migUuid: 'MIG-x' })] });
    const lines = text.split('\n');
    const migLine = lines.findIndex((l) => l.startsWith('  MIG 0  1g.10gb  MIG-x  GI 7 CI 0'));
    expect(migLine).toBeGreaterThan(0);
    expect(lines[migLine + 2]).toMatch(/^ {4}1 +alice/);
  });

  it('keeps processes whose GPU is unknown instead of dropping them', () => {
    const text = renderTable({ ...base, gpus: [gpu], gpuProcesses: [proc({ gpuUuid: 'GPU-gone', pid: 9 })] });
    expect(text).toContain('Processes on an unknown GPU');
    expect(text).toMatch(/9 +alice/);
  });

  it('summarises containers with GPU access and their owners', () => {
    const container = {
      id: 'c'.repeat(64), name: 'train', image: 'cuda', state: 'running', createdAt: null, startedAt: null, finishedAt: null, pid: 5,
      labels: {}, class: 'managed' as const, protected: false, owner: { user: 'bob', uid: 1002, method: 'label:ds01.user' as const },
      gpu: { requested: 'devices' as const, count: 1, deviceIds: ['MIG-x'], uuids: ['MIG-x'], via: 'device-requests' as const }, mounts: [],
    };
    const text = renderTable({ ...base, containers: [container, { ...container, id: 'd'.repeat(64), gpu: { ...container.gpu, requested: 'none' } }] });
    expect(text).toContain('Containers: 2 (1 with GPU access)');
    expect(text).toContain('  train  running  managed  owner bob (label:ds01.user)  MIG-x');
  });
});

describe('renderColumns', () => {
  it('aligns cells under the header, two spaces apart, without trailing spaces', () => {
    expect(renderColumns(['ID', 'USER', 'REASON'], [['g-1', 'alice', 'deadline'], ['g-22', 'bo', '']])).toBe('ID    USER   REASON\ng-1   alice  deadline\ng-22  bo\n');
  });

  it('keeps every row on one line', () => {
    expect(renderColumns(['A', 'B'], [['x\ny', 'tab\there\r\n']])).toBe('A    B\nx y  tab here\n');
  });
});
