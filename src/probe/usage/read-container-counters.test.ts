import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContainerCounters, sharesNetwork } from './read-container-counters.ts';
import { fixture } from './test-fixtures.ts';

const ID = '54204b256ba12633accb7cd0d46689ca89e374bd8184ba0f1b759dd9de3341f8';
const NOW = (): Date => new Date('2026-12-03T08:40:00.000Z');
let root: string;
let roots: { procRoot: string; sysfsRoot: string };

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

/** A fake host: /proc/<pid> of the busy container's main process and its cgroup dirs, from the real capture. */
async function fakeHost(layout: 'v1' | 'v2' | 'hybrid'): Promise<void> {
  await put(join(roots.procRoot, '21444/cgroup'), layout === 'v2' ? `0::/docker/${ID}\n` : fixture('gwp-burn', 1, 'proc-cgroup'));
  await put(join(roots.procRoot, '21444/net/dev'), fixture('gwp-burn', 1, 'net-dev'));
  await put(join(roots.procRoot, '21444/comm'), 'sh\n');
  await put(join(roots.procRoot, '30001/comm'), 'python3\n');
  const cg = join(roots.sysfsRoot, 'fs/cgroup');
  if (layout !== 'v2') {
    await put(join(cg, 'cpuacct/docker', ID, 'cpuacct.usage'), fixture('gwp-burn', 1, 'v1-cpuacct.usage'));
    await put(join(cg, 'cpuacct/docker', ID, 'cgroup.procs'), '21444\n30001\n30002\n');
  }
  if (layout !== 'v1') {
    const v2 = layout === 'v2' ? join(cg, 'docker', ID) : join(cg, 'unified/docker', ID);
    await put(join(v2, 'cpu.stat'), fixture('gwp-burn', 1, 'v2-cpu.stat'));
    await put(join(v2, 'cgroup.procs'), '21444\n');
  }
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gw-counters-'));
  roots = { procRoot: join(root, 'proc'), sysfsRoot: join(root, 'sys') };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readContainerCounters', () => {
  it('cgroup v1: cpuacct.usage, cgroup.procs with comms (an exited pid has none), net/dev', async () => {
    await fakeHost('v1');
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: 'none' }, roots, NOW);
    expect(r).toEqual({
      ok: true,
      counters: {
        readAt: '2026-12-03T08:40:00.000Z', startedAt: 'S', pid: 21444, networkMode: 'none',
        cgroup: fixture('gwp-burn', 1, 'proc-cgroup'),
        cpuacctUsage: fixture('gwp-burn', 1, 'v1-cpuacct.usage'),
        cgroupProcs: '21444\n30001\n30002\n',
        comms: '21444 sh\n30001 python3\n',
        netDev: fixture('gwp-burn', 1, 'net-dev'),
      },
    });
  });

  it('pure cgroup v2: cpu.stat at the cgroup root', async () => {
    await fakeHost('v2');
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: 'none' }, roots, NOW);
    expect(r.ok && r.counters.cpuStat).toBe(fixture('gwp-burn', 1, 'v2-cpu.stat'));
    expect(r.ok && r.counters.cpuacctUsage).toBeUndefined();
  });

  it('hybrid: prefers the v1 cpuacct controller', async () => {
    await fakeHost('hybrid');
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: 'none' }, roots, NOW);
    expect(r.ok && r.counters.cpuacctUsage).toBeDefined();
    expect(r.ok && r.counters.cpuStat).toBeUndefined();
  });

  it('does not read net/dev of a host-network (or container-network) container', async () => {
    await fakeHost('v1');
    for (const networkMode of ['host', `container:${ID}`]) {
      const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode }, roots, NOW);
      expect(r.ok && r.counters.netDev).toBeUndefined();
    }
    expect(sharesNetwork('bridge')).toBe(false);
    expect(sharesNetwork(null)).toBe(false);
  });

  it('a container whose process is gone is `gone` (a race, not an error); missing counters are an error', async () => {
    expect(readContainerCounters({ pid: 999, startedAt: 'S', networkMode: null }, roots, NOW)).toMatchObject({ ok: false, gone: true });
    await put(join(roots.procRoot, '21444/cgroup'), fixture('gwp-burn', 1, 'proc-cgroup'));
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: null }, roots, NOW);
    expect(r).toMatchObject({ ok: false, gone: false });
    expect(!r.ok && r.message).toMatch(/^no cgroup CPU counters for pid 21444 \(tried .*cpuacct\/docker\//);
  });

  it('finds a v1 host whose cpuacct controller is mounted as cpu,cpuacct', async () => {
    await put(join(roots.procRoot, '21444/cgroup'), fixture('gwp-burn', 1, 'proc-cgroup'));
    await put(join(roots.sysfsRoot, 'fs/cgroup/cpu,cpuacct/docker', ID, 'cpuacct.usage'), '5000\n');
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: 'none' }, roots, NOW);
    expect(r.ok && r.counters.cpuacctUsage).toBe('5000\n');
    // No cgroup.procs there: the process count is unknown, not zero; no net/dev either.
    expect(r.ok && r.counters.cgroupProcs).toBeUndefined();
    expect(r.ok && r.counters.netDev).toBeUndefined();
  });

  it('reads a cgroup.procs larger than its 64 KiB read buffer whole', async () => {
    await fakeHost('v2');
    const pids = Array.from({ length: 12_000 }, (_, i) => String(100_000 + i)).join('\n');
    await put(join(roots.sysfsRoot, 'fs/cgroup/docker', ID, 'cgroup.procs'), `${pids}\n`);
    const r = readContainerCounters({ pid: 21444, startedAt: 'S', networkMode: 'none' }, roots, NOW);
    expect(r.ok && r.counters.cgroupProcs).toBe(`${pids}\n`);
    expect(r.ok && r.counters.comms).toBe('');
  });
});
