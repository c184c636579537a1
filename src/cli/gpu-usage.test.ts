// `gpuwarden usage` on the shipped DS01 MIG capture: --local --replay through the real CLI, and the same capture
// posted to a real `serve` (real HTTP, real SQLite file) and read back through GET /v1/snapshots/latest.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureService, type CaptureService } from '../../test/support/capture-service.ts';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import { makeFakeNvidiaSmi } from '../../test/support/fake-nvidia-smi.ts';
import type { UsageRow, UserUsage } from '../usage/rows.ts';
import { main } from './main.ts';
import { UsageError } from './usage-error.ts';
import { usageCommand } from './gpu-usage.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

interface UsageJson { takenAt: Record<string, string>; users: UserUsage[]; containers: UsageRow[] }

async function local(args: string[]): Promise<UsageJson> {
  const run = await runCommand(main, ['usage', '--local', '--replay', CAPTURE, '--json', ...args]);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out) as UsageJson;
}
const names = (j: UsageJson): (string | null)[] => j.containers.map((r) => r.container);

describe('gpuwarden usage --local --replay (the DS01 MIG capture)', () => {
  it('prints per-user totals and one line per container, with MIG instances and GPU-equivalents', async () => {
    const run = await runCommand(main, ['usage', '--local', '--replay', CAPTURE]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Snapshots: ds01-demo at 2026-11-25T17:17:49.467Z');
    expect(run.out).toMatch(/By user:\nUSER +HOSTS +CONTAINERS +GPU-EQ +MEMORY +PROCS\ndaemon +ds01-demo +1 +0\.71 +14968 MiB +2\n/);
    expect(run.out).toMatch(/\nds01-demo +0:2 +www-data +gwe2e31671-train\._\.33 +0\.14 +7484 MiB +- +- +1\n/);
    expect(run.out).toMatch(/\nds01-demo +0:0 +daemon +\(host\) +0\.43 +7484 MiB/);
  });

  it('without filters: the nine users of the GPU, nothing for the created or GPU-less containers', async () => {
    const j = await local([]);
    expect(j.takenAt).toEqual({ 'ds01-demo': '2026-11-25T17:17:49.467Z' });
    expect(j.containers).toHaveLength(9);
    expect(names(j)).not.toContain('gwe2e31671-gpuall');
    expect(names(j)).not.toContain('gwe2e31671-infra');
  });

  it('--user', async () => {
    const j = await local(['--user', 'daemon']);
    expect(names(j)).toEqual([null, 'gwe2e31671-mount']);
    expect(j.users).toEqual([{ user: 'daemon', hosts: ['ds01-demo'], containers: 1, gpuEquivalents: 3 / 7 + 2 / 7, memoryMiB: 14968, processCount: 2 }]);
  });

  it('--host', async () => {
    expect((await local(['--host', 'ds01-demo'])).containers).toHaveLength(9);
    expect((await local(['--host', 'ds02'])).containers).toEqual([]);
  });

  it('--gpu N and N:M', async () => {
    expect((await local(['--gpu', '0'])).containers).toHaveLength(9);
    expect((await local(['--gpu', '1'])).containers).toEqual([]);
    expect(names(await local(['--gpu', '0:3']))).toEqual(['gwe2e31671-devc', 'gwe2e31671-unowned']);
  });

  it('--container by name and by id prefix', async () => {
    expect((await local(['--container', 'gwe2e31671-ds01'])).containers.map((r) => [r.user, r.gpus, r.memoryMiB])).toEqual([['h.baker@hertie-school.lan', ['0:0'], 2296]]);
    expect(names(await local(['--container', 'd24e5d5c']))).toEqual(['gwe2e31671-ds01']);
    expect((await local(['--container', 'nope'])).containers).toEqual([]);
  });

  it('--sort gpueq, memory, idle', async () => {
    const eq = (await local(['--sort', 'gpueq'])).containers.map((r) => r.gpuEquivalents);
    expect(eq).toEqual([...eq].sort((a, b) => b - a));
    expect(eq[0]).toBeCloseTo(3 / 7);
    const mem = (await local(['--sort', 'memory'])).containers.map((r) => r.memoryMiB ?? 0);
    expect(mem).toEqual([...mem].sort((a, b) => b - a));
    expect(mem[0]).toBe(7484);
    // MIG instances report no utilisation and no idle time is known: idle keeps the stable order (host, GPU, container).
    const idle = await local(['--sort', 'idle']);
    expect(idle.containers.map((r) => r.gpus[0])).toEqual(['0:0', '0:0', '0:0', '0:1', '0:1', '0:2', '0:2', '0:3', '0:3']);
  });

  it('a filter that matches nothing says so', async () => {
    const run = await runCommand(main, ['usage', '--local', '--replay', CAPTURE, '--user', 'nobody']);
    expect(run.out).toBe('Nothing holds or uses a GPU that matches the filters (ds01-demo at 2026-11-25T17:17:49.467Z).\n');
  });

  it('bad usage names the flag', async () => {
    await expect(usageCommand(['--sort', 'fast', '--local', '--replay', CAPTURE], { stdout: () => undefined, stderr: () => undefined, env: {} })).rejects.toThrow(UsageError);
    const cases: [string[], RegExp][] = [
      [['--sort', 'fast'], /--sort "fast" is not an order: use gpueq, idle, memory/],
      [['--gpu', 'x'], /--gpu "x" is not a GPU/],
      [['--replay', CAPTURE], /--replay needs --local/],
      [['--local', '--url', 'http://127.0.0.1:1'], /--url asks the service/],
      [['--proc-root', '/proc'], /--proc-root steers the local probe; it needs --local/],
      [['--local', '--replay', CAPTURE, '--nvidia-smi', 'x'], /--nvidia-smi steers live collection/],
      [['--user', ''], /--user must not be empty/],
    ];
    for (const [args, message] of cases) {
      const run = await runCommand(main, ['usage', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toMatch(message);
    }
  });
});

describe('gpuwarden usage --local (live collectors, a stand-in nvidia-smi replaying the capture, no Docker)', () => {
  it('reads this host; --host filters the lines and never renames the host', async () => {
    const smi = await makeFakeNvidiaSmi({ xml: await readFile(join(CAPTURE, 'nvidia-smi-q.xml'), 'utf8'), list: await readFile(join(CAPTURE, 'nvidia-smi-L.txt'), 'utf8') });
    const proc = await mkdtemp(join(tmpdir(), 'gw-usage-proc-'));
    try {
      const live = ['usage', '--local', '--nvidia-smi', smi, '--no-docker', '--proc-root', proc, '--json'];
      const mine = await runCommand(main, [...live, '--host', hostname()]);
      expect(mine.code).toBe(0);
      // No /proc entries for the captured pids: the processes are there, unattributed, and the gap is reported.
      expect(mine.err).toMatch(/^warning: 1 source error\(s\) \(proc\)/);
      const j = JSON.parse(mine.out) as UsageJson;
      expect(Object.keys(j.takenAt)).toEqual([hostname()]);
      expect(j.containers.map((r) => [r.host, r.container, r.gpus, r.processCount])).toEqual([[hostname(), null, ['0:0', '0:1', '0:2', '0:3'], 9]]);
      const other = JSON.parse((await runCommand(main, [...live, '--host', 'not-this-host'])).out) as UsageJson;
      expect(Object.keys(other.takenAt)).toEqual([hostname()]);
      expect(other.containers).toEqual([]);
    } finally {
      await rm(proc, { recursive: true, force: true });
      await rm(dirname(smi), { recursive: true, force: true });
    }
  });
});

describe('gpuwarden usage against a real serve', () => {
  let svc: CaptureService;
  let adminTokenFile: string;
  let url: string;
  let host: CaptureService['host'];
  let admin: CaptureService['admin'];

  beforeAll(async () => {
    svc = await startCaptureService('gw-usage-cli-');
    ({ adminTokenFile, url, host, admin } = svc);
  });

  afterAll(async () => {
    expect(await svc.stop()).toBe(0);
  });

  async function usage(args: string[]): Promise<CliRun> {
    const run = await runCommand(main, ['usage', ...args], { GPUWARDEN_URL: url, GPUWARDEN_TOKEN_FILE: adminTokenFile });
    for (const token of [admin.token, host.token]) expect(run.out + run.err).not.toContain(token);
    return run;
  }

  it('says when no host has sent a snapshot yet, then shows the posted one with the filters working', async () => {
    expect((await usage([])).out).toBe('No snapshots yet: no host has sent one since the service started.\n');
    expect(await svc.postCapture()).toBe(200);

    const all = await usage(['--json']);
    expect(all.code).toBe(0);
    const j = JSON.parse(all.out) as UsageJson;
    // The same picture as --local --replay of the same capture, plus idle times from the service's tracked state
    // (0 s: the first snapshot of each container counts as active).
    const replayed = await local([]);
    expect(j.users).toEqual(replayed.users);
    expect(j.containers.map((r) => ({ ...r, idleS: null }))).toEqual(replayed.containers);
    expect(j.containers.map((r) => r.container === null ? null : r.idleS)).toEqual(j.containers.map((r) => (r.container === null ? null : 0)));
    expect((await usage([])).out).toMatch(/\nds01-demo +0:0 +man +gwe2e31671-compose +0\.43 +1272 MiB +- +0 s +1\n/);
    expect(names(JSON.parse((await usage(['--json', '--user', 'games', '--gpu', '0:3', '--container', 'gwe2e31671-devc'])).out) as UsageJson)).toEqual(['gwe2e31671-devc']);
    expect((JSON.parse((await usage(['--json', '--host', 'ds02'])).out) as UsageJson).containers).toEqual([]);
    expect((await usage(['--sort', 'memory'])).out).toMatch(/By container:\nHOST .*\nds01-demo +0:0 +daemon +\(host\) +0\.43 +7484 MiB/);
  });

  it('the route is admin only and refuses unknown filters', async () => {
    expect((await fetch(`${url}/v1/snapshots/latest`, { headers: { authorization: `Bearer ${host.token}` } })).status).toBe(403);
    const bad = await fetch(`${url}/v1/snapshots/latest?hots=x`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('unknown filter "hots"');
  });
});
