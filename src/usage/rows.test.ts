import { describe, expect, it } from 'vitest';
import { cid, container, gpu, migGpu, proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { usageByUser, usageRows } from './rows.ts';

const gpus = [gpu(0, { utilizationPct: 80 }), gpu(1, { uuid: 'GPU-1', utilizationPct: 0 }), migGpu(2, ['3g.40gb', '1g.10gb'], { uuid: 'GPU-2' })];

describe('usageRows', () => {
  it('counts a container by what it requested, its memory by its processes, and its utilisation by its whole GPUs', () => {
    const s = snapshot(t(0), {
      gpus,
      containers: [container('train', 'alice', { devices: ['0', '1'] })],
      gpuProcesses: [proc(10, { containerId: cid('train'), kind: 'container', usedMemoryMiB: 3000 }), proc(11, { containerId: cid('train'), kind: 'container', gpuUuid: 'GPU-1', usedMemoryMiB: 500 })],
    });
    expect(usageRows(s)).toEqual([{
      host: 'ds01', gpus: ['0', '1'], gpuIndexes: [0, 1], user: 'alice', container: 'train', containerId: cid('train'),
      gpuEquivalents: 2, memoryMiB: 3500, utilizationPct: 40, processCount: 2, idleS: null,
    }]);
  });

  it('names MIG instances GPU:instance and weighs them by compute slices / 7; a held, unused GPU still shows', () => {
    const s = snapshot(t(0), {
      gpus,
      containers: [container('mig', 'bob', { devices: ['MIG-2-0'] }), container('holder', 'carol', { devices: ['1'] })],
      gpuProcesses: [proc(20, { containerId: cid('mig'), kind: 'container', gpuUuid: 'GPU-2', migUuid: 'MIG-2-0', usedMemoryMiB: null })],
    });
    const rows = usageRows(s);
    expect(rows.map((r) => [r.container, r.gpus, r.gpuEquivalents, r.memoryMiB, r.utilizationPct, r.processCount])).toEqual([
      ['mig', ['2:0'], 3 / 7, null, null, 1],
      ['holder', ['1'], 1, null, null, 0],
    ]);
  });

  it('leaves out containers that neither hold nor use a GPU, and groups host processes per user', () => {
    const s = snapshot(t(0), {
      gpus,
      containers: [container('cpu-only', 'dave'), container('stopped', 'erin', { devices: ['0'], state: 'exited', finishedAt: t(-5) })],
      gpuProcesses: [proc(30, { user: 'frank' }), proc(31, { user: 'frank', gpuUuid: 'GPU-1' }), proc(32, { user: null })],
    });
    expect(usageRows(s).map((r) => [r.user, r.container, r.gpus, r.gpuEquivalents, r.processCount])).toEqual([
      ['frank', null, ['0', '1'], 2, 2],
      [null, null, ['0'], 1, 1],
    ]);
  });

  it('keeps a stopped container holding its GPUs within holdAfterStopMs', () => {
    const s = snapshot(t(0), { gpus, containers: [container('stopped', 'erin', { devices: ['0'], state: 'exited', finishedAt: t(-5) })] });
    expect(usageRows(s, { holdAfterStopMs: 10 * 60_000 }).map((r) => [r.container, r.gpuEquivalents])).toEqual([['stopped', 1]]);
    expect(usageRows(s, { holdAfterStopMs: 60_000 })).toEqual([]);
  });

  it('takes idle seconds per container from idleSByContainer; host processes have none', () => {
    const s = snapshot(t(0), { gpus, containers: [container('train', 'alice', { devices: ['0'] })], gpuProcesses: [proc(1)] });
    expect(usageRows(s, { idleSByContainer: { [cid('train')]: 5400, other: 1 } }).map((r) => [r.container, r.idleS])).toEqual([['train', 5400], [null, null]]);
    expect(usageRows(s).map((r) => r.idleS)).toEqual([null, null]);
  });
});

describe('usageByUser', () => {
  it('adds up each user over hosts, containers, GPU-equivalents, memory and processes', () => {
    const a = snapshot(t(0), { gpus, containers: [container('a1', 'alice', { devices: ['0'] })], gpuProcesses: [proc(1, { containerId: cid('a1'), kind: 'container', usedMemoryMiB: 100 })] });
    const b = snapshot(t(0), { host: 'ds02', gpus, containers: [container('a2', 'alice', { devices: ['MIG-2-1'] })], gpuProcesses: [proc(2, { user: 'bob' })] });
    expect(usageByUser([...usageRows(a), ...usageRows(b)])).toEqual([
      { user: 'alice', hosts: ['ds01', 'ds02'], containers: 2, gpuEquivalents: 1 + 1 / 7, memoryMiB: 100, processCount: 1 },
      { user: 'bob', hosts: ['ds02'], containers: 0, gpuEquivalents: 1, memoryMiB: 1000, processCount: 1 },
    ]);
  });
});
