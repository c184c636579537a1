// Container usage (item 5 of issue 7, probe side) on a real Docker engine: a busy container, a sleeping one, a
// host-network one and a stopped one, read from their real cgroups and network namespaces over two probe cycles.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { buildSnapshot } from '../../src/probe/build-snapshot.ts';
import { collectRaw, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from '../../src/probe/collect.ts';
import { createCounterMemory } from '../../src/probe/usage/counter-memory.ts';
import { hostSnapshotSchema, type Container, type HostSnapshot } from '../../src/snapshot/schema.ts';
import { runCommand } from '../support/cli.ts';
import { DOCKER_REQUIRED, engineAvailable, ensureBusyboxImage, TEST_DOCKER_SOCKET } from '../support/docker-engine.ts';
import { listFor, makeFakeNvidiaSmi, substitutePids } from '../support/fake-nvidia-smi.ts';

const available = await engineAvailable();
if (!available && DOCKER_REQUIRED) {
  throw new Error(`Docker engine required (CI or GPUWARDEN_REQUIRE_DOCKER=1) but none answers on ${TEST_DOCKER_SOCKET}; start one with scripts/test-dockerd.sh`);
}

const TAG = `gwusage${process.pid}`;
const XML = readFileSync(new URL('../fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', import.meta.url), 'utf8');
const CYCLE_MS = 2000;

describe.skipIf(!available)('container usage on a real Docker engine', () => {
  const docker = new Docker({ socketPath: TEST_DOCKER_SOCKET });
  const created: Docker.Container[] = [];
  const ids: Record<string, string> = {};
  let options: CollectOptions;
  let first: HostSnapshot;
  let second: HostSnapshot;
  /** CPU % of the busy shell by an independent oracle: its own utime+stime in /proc/<pid>/stat over the same cycle. */
  let oraclePct: number;

  const ticksOf = async (key: string): Promise<{ ticks: number; atMs: number }> => {
    const pid = (await docker.getContainer(ids[key] ?? '').inspect()).State.Pid;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { ticks: Number(fields[11]) + Number(fields[12]), atMs: Date.now() };
  };

  async function container(key: string, cmd: string[], networkMode: string, start = true): Promise<void> {
    const c = await docker.createContainer({ Image: 'gwtest-busybox:latest', Cmd: cmd, name: `${TAG}-${key}`, HostConfig: { NetworkMode: networkMode } });
    created.push(c);
    ids[key] = c.id;
    if (start) await c.start();
  }

  beforeAll(async () => {
    await ensureBusyboxImage(docker);
    await container('burn', ['sh', '-c', 'while :; do :; done'], 'none');
    await container('sleep', ['sleep', '600'], 'none');
    await container('hostnet', ['sleep', '600'], 'host');
    await container('stopped', ['sleep', '600'], 'none', false);
    const nvidiaSmi = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
    options = { ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath: nvidiaSmi, dockerSocketPath: TEST_DOCKER_SOCKET };
    const memory = createCounterMemory();
    const before = await ticksOf('burn');
    first = buildSnapshot(memory.carry(await collectRaw(options)));
    await new Promise((r) => setTimeout(r, CYCLE_MS));
    second = buildSnapshot(memory.carry(await collectRaw(options)));
    const after = await ticksOf('burn');
    oraclePct = ((after.ticks - before.ticks) / 100 / ((after.atMs - before.atMs) / 1000)) * 100;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
  });

  const ctr = (s: HostSnapshot, key: string): Container => {
    const c = s.containers.find((x) => x.id === ids[key]);
    if (c === undefined) throw new Error(`container ${key} missing from the snapshot`);
    return c;
  };

  it('first cycle: usage is null everywhere (one reading gives no rate)', () => {
    for (const key of ['burn', 'sleep', 'hostnet', 'stopped']) expect(ctr(first, key).usage).toBeNull();
    expect(hostSnapshotSchema.parse(first)).toEqual(first);
  });

  it('second cycle: the busy container shows its CPU use (what it got of a core shared with the other tests)', () => {
    const u = ctr(second, 'burn').usage;
    expect(u?.intervalS).toBeGreaterThanOrEqual(CYCLE_MS / 1000);
    // Alone it measures ~100 %; with the rest of the suite on 2 cores it gets less, never nothing.
    expect(u?.cpuPct).toBeGreaterThan(10);
    // The cgroup counter agrees with the process's own CPU time (the only process of that container).
    expect(Math.abs((u?.cpuPct ?? 0) - oraclePct)).toBeLessThan(15);
    expect(u).toMatchObject({ netRxBytesPerS: 0, netTxBytesPerS: 0 });
  });

  it('second cycle: the sleeping container is idle: under 5 % CPU, no active process, no traffic', () => {
    const u = ctr(second, 'sleep').usage;
    expect(u?.cpuPct).toBeLessThan(5);
    expect(u).toMatchObject({ activeProcessCount: 0, netRxBytesPerS: 0, netTxBytesPerS: 0 });
  });

  it('a host-network container has CPU figures but null network rates; a stopped one has no usage', () => {
    const u = ctr(second, 'hostnet').usage;
    expect(u?.cpuPct).not.toBeNull();
    expect(u).toMatchObject({ netRxBytesPerS: null, netTxBytesPerS: null, activeProcessCount: 0 });
    expect(ctr(second, 'stopped').usage).toBeNull();
    expect(second.errors.filter((e) => e.message.startsWith('container usage'))).toEqual([]);
    expect(hostSnapshotSchema.parse(second)).toEqual(second);
  });

  it('gpuwarden capture records two readings and the replay has the same kind of usage; probe --once has none', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'gw-usage-cap-')), 'cap');
    const bin = options.nvidiaSmiPath;
    const cap = await runCommand(main, ['capture', dir, '--nvidia-smi', bin, '--docker-socket', TEST_DOCKER_SOCKET, '--usage-interval', '1500ms']);
    expect(cap.code).toBe(0);
    expect(await readdir(join(dir, 'usage/previous'))).toContain(ids.burn);
    expect((await readdir(join(dir, 'usage/current', ids.burn ?? ''))).sort()).toEqual(
      expect.arrayContaining(['cgroup', 'cgroup.procs', 'comms', 'net-dev', 'reading.json']),
    );
    const replay = await runCommand(main, ['probe', '--once', '--json', '--replay', dir]);
    const s = hostSnapshotSchema.parse(JSON.parse(replay.out));
    expect(ctr(s, 'burn').usage?.cpuPct).toBeGreaterThan(10);
    expect(ctr(s, 'sleep').usage).toMatchObject({ activeProcessCount: 0 });
    const again = await runCommand(main, ['probe', '--once', '--json', '--replay', dir]);
    expect(again.out).toBe(replay.out);
    const once = await runCommand(main, ['probe', '--once', '--json', '--nvidia-smi', bin, '--docker-socket', TEST_DOCKER_SOCKET]);
    const live = hostSnapshotSchema.parse(JSON.parse(once.out));
    expect(ctr(live, 'burn').usage).toBeNull();
    await rm(join(dir, '..'), { recursive: true, force: true });
  }, 30_000);
});
