// The benchmark's generated host must be a faithful large MIG host, or its figures mean nothing.
import { describe, expect, it } from 'vitest';
import { generateLargeHost, REFERENCE_HOST } from '../bench/large-host.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { hostSnapshotSchema } from '../src/snapshot/schema.ts';

describe('generated large host', () => {
  const snapshot = buildSnapshot(generateLargeHost());

  it('builds a valid snapshot of the reference size with no errors', () => {
    expect(hostSnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.gpus).toHaveLength(REFERENCE_HOST.gpus);
    expect(snapshot.gpus.every((g) => g.migMode === 'enabled' && g.migInstances.length === REFERENCE_HOST.migPerGpu)).toBe(true);
    expect(snapshot.gpuProcesses).toHaveLength(REFERENCE_HOST.gpuProcesses);
    expect(snapshot.containers).toHaveLength(REFERENCE_HOST.containers);
  });

  it('places every GPU process in its MIG instance and attributes it', () => {
    const migUuids = new Set(snapshot.gpus.flatMap((g) => g.migInstances.map((m) => m.uuid)));
    expect(snapshot.gpuProcesses.every((p) => p.migUuid !== null && migUuids.has(p.migUuid))).toBe(true);
    const container = snapshot.gpuProcesses.filter((p) => p.kind === 'container');
    const host = snapshot.gpuProcesses.filter((p) => p.kind === 'host');
    expect(container).toHaveLength(80);
    expect(host).toHaveLength(20);
    expect(host.every((p) => p.userSource === 'loginuid' && p.user?.endsWith('@hertie-school.lan'))).toBe(true);
    const owned = container.filter((p) => p.user !== null);
    expect(owned.length).toBeGreaterThan(50);
  });

  it('gives every running container usage from its two counter readings (30 s apart)', () => {
    const running = snapshot.containers.filter((c) => c.state === 'running');
    expect(running).toHaveLength(180);
    for (const c of running) {
      expect(c.usage).toMatchObject({ intervalS: 30, cpuPct: 30, activeProcessCount: 1, netTxBytesPerS: 333 });
      expect(c.usage?.netRxBytesPerS).toBeCloseTo(33_333, 0);
    }
    expect(snapshot.containers.filter((c) => c.state !== 'running').every((c) => c.usage === null)).toBe(true);
  });
});
