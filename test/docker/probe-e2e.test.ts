// End to end on a real Docker engine: real containers for each owner strategy, a real host process,
// and a stand-in nvidia-smi that replays a captured real XML with those PIDs substituted in.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../../src/probe/build-snapshot.ts';
import { readCaptureDir, writeCaptureDir } from '../../src/probe/capture-dir.ts';
import { collectRaw, DEFAULT_COLLECT_OPTIONS } from '../../src/probe/collect.ts';
import { hostSnapshotSchema, type HostSnapshot } from '../../src/snapshot/schema.ts';
import { DOCKER_REQUIRED, engineAvailable, ensureBusyboxImage, TEST_DOCKER_SOCKET } from '../support/docker-engine.ts';
import { makeFakeNvidiaSmi, substitutePids } from '../support/fake-nvidia-smi.ts';

const run = promisify(execFile);
const available = await engineAvailable();
if (!available && DOCKER_REQUIRED) {
  throw new Error(`Docker engine required (CI or GPUWARDEN_REQUIRE_DOCKER=1) but none answers on ${TEST_DOCKER_SOCKET}; start one with scripts/test-dockerd.sh`);
}

const IMAGE = 'gwtest-busybox:latest';
const TAG = `gwe2e${process.pid}`;
const XML_FIXTURE = new URL('../fixtures/nvidia-smi/xml/synthetic__h100-mig-processes.xml', import.meta.url);
const LIST_FIXTURE = new URL('../fixtures/nvidia-smi/list/nvidia_gpu_exporter__section-L__h100-mig__590.48.01.txt', import.meta.url);

describe.skipIf(!available)('probe on a real Docker engine', () => {
  const docker = new Docker({ socketPath: TEST_DOCKER_SOCKET });
  const created: Docker.Container[] = [];
  const madeDirs: string[] = [];
  const children: ChildProcess[] = [];
  const ids: Record<string, string> = {};
  const pids: Record<string, number> = {};
  let snapshot: HostSnapshot;
  let nvidiaSmi: string;
  let loginUidOfSelf: number | null;

  const ensureImage = (): Promise<void> => ensureBusyboxImage(docker, IMAGE);


  /** A folder /home/<user>/<TAG>-<leaf> owned by uid; the /home/<user> parent is removed afterwards only if we made it. */
  async function homeDir(user: string, leaf: string, uid: number): Promise<string> {
    const parent = join('/home', user);
    const existed = await stat(parent).then(() => true, () => false);
    if (!existed) {
      await mkdir(parent);
      madeDirs.push(parent);
    }
    const dir = join(parent, `${TAG}-${leaf}`);
    await mkdir(dir, { recursive: true });
    await chown(dir, uid, uid);
    if (existed) madeDirs.push(dir);
    return dir;
  }

  async function container(key: string, opts: Docker.ContainerCreateOptions, start = true): Promise<void> {
    const c = await docker.createContainer({
      Image: IMAGE,
      Cmd: ['sleep', '600'],
      name: `${TAG}-${key}`,
      ...opts,
      HostConfig: { NetworkMode: 'none', ...opts.HostConfig },
    });
    created.push(c);
    ids[key] = c.id;
    if (start) {
      await c.start();
      const info = await c.inspect();
      pids[key] = info.State.Pid;
    }
  }

  beforeAll(async () => {
    await ensureImage();
    const mine = await homeDir('daemon', 'data', 1); // really owned by daemon (uid 1)
    const spoof = await homeDir('bin', 'data', 3); // claims user "bin" (uid 2) but owned by sys (uid 3)
    await container('ds01', { Labels: { 'ds01.user': 'h.baker@hertie-school.lan', 'ds01.managed': 'true' } });
    await container('aime', { Labels: { 'aime.mlc.USER': 'sys' } });
    await container('nameuid', { name: `${TAG}-train._.33` });
    await container('devc', {
      Labels: { 'devcontainer.local_folder': '/home/games/thesis', 'devcontainer.config_file': '/home/games/thesis/.devcontainer/devcontainer.json' },
    });
    await container('compose', {
      Labels: {
        'com.docker.compose.project': 'web',
        'com.docker.compose.service': 'app',
        'com.docker.compose.project.working_dir': '/home/man/web',
      },
    });
    await container('mount', { HostConfig: { Binds: [`${mine}:/data`] } });
    await container('spoof', { HostConfig: { Binds: [`${spoof}:/data:ro`] } });
    await container('unowned', {});
    await container('infra', { Labels: { 'ds01.protected': 'true' } });
    await container('gpuall', {
      HostConfig: { DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: null as unknown as string[], Capabilities: [['gpu']], Options: {} }] },
    }, false);

    // A host process whose real uid is bin (2) after it set its own loginuid to daemon (1), as `su` would leave it.
    const hostProc = spawn(process.execPath, ['-e', [
      "const fs = require('node:fs');",
      "try { fs.writeFileSync('/proc/self/loginuid', '1'); } catch {}",
      'process.setgid(2); process.setuid(2);',
      "process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
    ].join(' ')], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(hostProc);
    await new Promise((resolve) => hostProc.stdout?.once('data', resolve));
    pids.host = hostProc.pid ?? 0;

    const selfLogin = (await readFile('/proc/self/loginuid', 'utf8')).trim();
    loginUidOfSelf = selfLogin === '4294967295' ? null : Number(selfLogin);

    const order = ['ds01', 'aime', 'nameuid', 'devc', 'compose', 'mount', 'spoof', 'unowned', 'host'];
    const xml = substitutePids(await readFile(XML_FIXTURE, 'utf8'), order.map((k) => pids[k] ?? 0), [2, 3, 9, 10]);
    nvidiaSmi = await makeFakeNvidiaSmi({ xml, list: await readFile(LIST_FIXTURE, 'utf8') });
    const raw = await collectRaw({ ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath: nvidiaSmi, dockerSocketPath: TEST_DOCKER_SOCKET, host: 'ds01-demo' });
    // GW_E2E_CAPTURE_DIR=path keeps this run's capture (how test/fixtures/captures/ds01-h100-mig was recorded).
    if (process.env.GW_E2E_CAPTURE_DIR) await writeCaptureDir(process.env.GW_E2E_CAPTURE_DIR, raw);
    snapshot = buildSnapshot(raw);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
    for (const d of madeDirs.reverse()) await rm(d, { recursive: true, force: true });
  });

  const proc = (key: string) => {
    const p = snapshot.gpuProcesses.find((x) => x.pid === pids[key]);
    if (p === undefined) throw new Error(`no GPU process for ${key} (pid ${pids[key]})`);
    return p;
  };
  const ctr = (key: string) => {
    const c = snapshot.containers.find((x) => x.id === ids[key]);
    if (c === undefined) throw new Error(`container ${key} missing from snapshot`);
    return c;
  };

  it('produces a valid snapshot with no source errors', () => {
    expect(hostSnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.gpus).toHaveLength(1);
    expect(snapshot.gpus[0]?.migInstances.map((m) => m.profile)).toEqual(['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb']);
    expect(snapshot.gpuProcesses).toHaveLength(9);
  });

  it('places each process in the MIG instance the driver reported', () => {
    const mig = new Map(snapshot.gpus[0]?.migInstances.map((m) => [m.uuid, m]));
    for (const p of snapshot.gpuProcesses) expect(mig.has(p.migUuid), String(p.pid)).toBe(true);
    expect(new Set(snapshot.gpuProcesses.map((p) => p.migUuid)).size).toBeGreaterThan(1);
  });

  it('maps every container process to its container by full id', () => {
    for (const key of ['ds01', 'aime', 'nameuid', 'devc', 'compose', 'mount', 'spoof', 'unowned']) {
      const p = proc(key);
      expect(p.kind, key).toBe('container');
      expect(p.containerId, key).toBe(ids[key]);
      expect(p.containerRuntime, key).toBe('docker');
    }
  });

  it.each([
    ['ds01', 'h.baker@hertie-school.lan', 'label:ds01.user', 'managed'],
    ['aime', 'sys', 'label:aime.mlc.USER', 'managed'],
    ['nameuid', 'www-data', 'name-uid', 'managed'],
    ['devc', 'games', 'devcontainer-folder', 'devcontainer'],
    ['compose', 'man', 'compose-dir', 'compose'],
    ['mount', 'daemon', 'mount-path', 'docker'],
  ])('attributes %s to %s by %s', (key, user, method, cls) => {
    expect(ctr(key).owner).toMatchObject({ user, method });
    expect(ctr(key).class).toBe(cls);
    expect(proc(key).user).toBe(user);
    expect(proc(key).userSource).toBe('container-owner');
  });

  it('does not believe a bind mount that another uid really owns (anti-spoofing)', () => {
    expect(ctr('spoof').owner).toEqual({ user: null, uid: null, method: 'unknown' });
    expect(proc('spoof').user).toBeNull();
  });

  it('leaves a container with no evidence unowned', () => {
    expect(ctr('unowned').owner.method).toBe('unknown');
    expect(proc('unowned').user).toBeNull();
  });

  it('attributes the host process to its login user, not the uid it switched to', () => {
    const p = proc('host');
    expect(p.kind).toBe('host');
    expect(p.containerId).toBeNull();
    expect(p.uid).toBe(2);
    expect(p.system).toBe(false);
    expect(p.startTime).not.toBeNull();
    // Writing /proc/self/loginuid needs CAP_AUDIT_CONTROL; where it was refused the child kept ours.
    const expectedLogin = p.loginUid === 1 ? 1 : loginUidOfSelf;
    expect(p.loginUid).toBe(expectedLogin);
    expect(p.user).toBe(expectedLogin === 1 ? 'daemon' : expectedLogin === null ? 'bin' : String(expectedLogin === 0 ? 'root' : expectedLogin));
  });

  it('lists stopped/created containers, protected infrastructure and GPU requests', () => {
    expect(ctr('gpuall').state).toBe('created');
    expect(ctr('gpuall').gpu).toMatchObject({ requested: 'all', via: 'device-requests' });
    expect(ctr('unowned').gpu.requested).toBe('none');
    expect(ctr('infra')).toMatchObject({ class: 'infrastructure', protected: true });
  });

  it('replays a capture of this host into the same snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-capture-'));
    const raw = await collectRaw({ ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath: nvidiaSmi, dockerSocketPath: TEST_DOCKER_SOCKET });
    await writeCaptureDir(dir, raw);
    const replayed = buildSnapshot(await readCaptureDir(dir), DEFAULT_BUILD_OPTIONS);
    expect(replayed).toEqual(buildSnapshot(raw));
    expect(replayed.gpuProcesses.map((p) => [p.pid, p.user])).toEqual(snapshot.gpuProcesses.map((p) => [p.pid, p.user]));
    await rm(dir, { recursive: true, force: true });
  });

  it('prints who uses the GPU through the CLI', async () => {
    const { stdout } = await run(process.execPath, [
      'bin/gpuwarden.js', 'probe', '--once', '--nvidia-smi', nvidiaSmi, '--docker-socket', TEST_DOCKER_SOCKET,
    ]);
    expect(stdout).toContain('h.baker@hertie-school.lan');
    expect(stdout).toContain('MIG 0  3g.40gb');
    expect(stdout).toContain(`${TAG}-compose`);
    expect(stdout).toMatch(new RegExp(`${pids.host}\\s+\\S+\\s+host`));
  });
});
