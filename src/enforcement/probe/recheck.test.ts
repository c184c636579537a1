import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { InspectedContainer } from '../../probe/docker/inspected-container.ts';
import type { ContainerTarget, ProcessTarget } from '../action.ts';
import { readBootTimeSec, readProcessIdentity } from './proc-identity.ts';
import { containerDifference, processDifference, recheckProcess } from './recheck.ts';

const target: ContainerTarget = {
  kind: 'container',
  containerId: 'a'.repeat(64),
  name: 'gpu-job',
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  state: 'running',
};
const live = { id: 'a'.repeat(64), name: 'gpu-job', createdAt: target.createdAt, startedAt: target.startedAt, state: 'running' } as InspectedContainer;

describe('re-check', () => {
  it('accepts the same container and names each difference', () => {
    expect(containerDifference(target, live)).toBeNull();
    expect(containerDifference(target, { ...live, id: 'b'.repeat(64) })).toBe('container gpu-job was replaced (id differs)');
    expect(containerDifference(target, { ...live, startedAt: '2026-01-02T00:00:00.000Z' })).toMatch(/was restarted/);
    expect(containerDifference(target, { ...live, state: 'exited' })).toBe('container gpu-job is exited now, not running');
  });

  it('tells an exited, a recycled and the same process apart', () => {
    const planned: ProcessTarget = { kind: 'process', pid: 123, startTime: '2026-01-01T00:00:00.000Z', uid: 1001, containerId: null };
    expect(processDifference(planned, null)).toBe('process 123 has exited');
    expect(processDifference(planned, { pid: 123, startTime: planned.startTime, uid: 1001, state: 'Z' })).toBe('process 123 has exited');
    expect(processDifference(planned, { pid: 123, startTime: '2026-01-01T00:00:05.000Z', uid: 1001, state: 'S' })).toMatch(/another process now \(started/);
    expect(processDifference(planned, { pid: 123, startTime: planned.startTime, uid: 1002, state: 'S' })).toMatch(/uid 1002/);
    expect(processDifference(planned, { pid: 123, startTime: planned.startTime, uid: 1001, state: 'S' })).toBeNull();
  });

  it('reads a live process with the start time the snapshot would carry', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const boot = await readBootTimeSec('/proc');
      const pid = child.pid ?? 0;
      const identity = await readProcessIdentity('/proc', pid, boot);
      expect(identity?.uid).toBe(process.getuid?.());
      const startMs = Date.parse(identity?.startTime ?? '');
      expect(Math.abs(startMs - Date.now())).toBeLessThan(60_000);
      const planned: ProcessTarget = { kind: 'process', pid, startTime: identity?.startTime ?? null, uid: identity?.uid ?? null, containerId: null };
      expect((await recheckProcess('/proc', boot, planned)).ok).toBe(true);
      const recycled = { ...planned, startTime: new Date(startMs - 5000).toISOString() };
      expect(await recheckProcess('/proc', boot, recycled)).toMatchObject({ ok: false, detail: expect.stringMatching(/another process/) as unknown });
    } finally {
      child.kill('SIGKILL');
    }
    expect(await recheckProcess('/proc', 0, { kind: 'process', pid: 4_000_000, startTime: null, uid: 1, containerId: null })).toEqual({ ok: false, detail: 'process 4000000 has exited' });
  });
});
