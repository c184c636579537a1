// Enforcement end to end on a real Docker engine: the runner and the host enforcer stop (and remove) real containers,
// or refuse, veto, dry-run and notice replaced targets; every container made here is removed afterwards.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/enforcement/action.ts';
import { createHostEnforcer } from '../../src/enforcement/probe/host-enforcer.ts';
import { inspectContainer } from '../../src/enforcement/probe/recheck.ts';
import { createActionRunner } from '../../src/enforcement/probe/runner.ts';
import type { EnforcementSettings } from '../../src/enforcement/probe/settings.ts';
import { containerAction, settingsWith } from '../../src/enforcement/probe/test-support.ts';
import { DOCKER_REQUIRED, engineAvailable, ensureBusyboxImage, TEST_DOCKER_SOCKET } from '../support/docker-engine.ts';

const available = await engineAvailable();
if (!available && DOCKER_REQUIRED) {
  throw new Error(`Docker engine required (CI or GPUWARDEN_REQUIRE_DOCKER=1) but none answers on ${TEST_DOCKER_SOCKET}; start one with scripts/test-dockerd.sh`);
}

const IMAGE = 'gwtest-busybox:latest';
const TAG = `gwenf${process.pid}`;
const HOST = 'h1';

describe.skipIf(!available)('enforcement on a real Docker engine', () => {
  const docker = new Docker({ socketPath: TEST_DOCKER_SOCKET });
  const names: string[] = [];
  const dirs: string[] = [];

  /** Create and start a `sleep 600` container named `<TAG>-<key>`; remembered for clean-up. */
  async function running(key: string, opts: Partial<Docker.ContainerCreateOptions> = {}): Promise<string> {
    const name = `${TAG}-${key}`;
    if (!names.includes(name)) names.push(name);
    const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], name, ...opts, HostConfig: { NetworkMode: 'none', ...opts.HostConfig } });
    await c.start();
    return c.id;
  }

  /** A stop-container action for the container as it is now (what the service would have planned from a snapshot). */
  async function stopAction(id: string, overrides: Partial<PlannedAction> = {}): Promise<PlannedAction> {
    const live = await inspectContainer(TEST_DOCKER_SOCKET, id);
    if (live === null) throw new Error(`container ${id} not found`);
    return containerAction({
      id: `enf-${live.name}`,
      host: HOST,
      user: 'alice',
      target: { kind: 'container', containerId: live.id, name: live.name, createdAt: live.createdAt, startedAt: live.startedAt, state: live.state },
      params: { remove: true, graceS: 1 },
      ...overrides,
    });
  }

  async function run(action: PlannedAction, settings: Partial<EnforcementSettings> = {}) {
    const lines: string[] = [];
    const enforcer = createHostEnforcer({ dockerSocketPath: TEST_DOCKER_SOCKET, procRoot: '/proc', devRoot: '/dev' });
    const runner = createActionRunner({ host: HOST, settings: settingsWith(settings), enforcer, log: (l) => lines.push(l) });
    runner.accept([action]);
    await runner.idle();
    const [result, ...rest] = runner.takeResults();
    expect(rest).toEqual([]);
    return { result, lines };
  }

  const stateOf = async (id: string): Promise<string | null> => (await inspectContainer(TEST_DOCKER_SOCKET, id))?.state ?? null;

  beforeAll(async () => {
    await ensureBusyboxImage(docker, IMAGE);
  });

  afterAll(async () => {
    await Promise.all(names.map((n) => docker.getContainer(n).remove({ force: true }).catch(() => undefined)));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('mode on: stops and removes a running container, and confirms it is gone', async () => {
    const id = await running('stop');
    const { result, lines } = await run(await stopAction(id));
    expect(result).toMatchObject({ outcome: 'done', detail: 'stopped (SIGTERM, 1 s grace) and removed' });
    expect(await stateOf(id)).toBeNull();
    expect(lines).toEqual([`action enf-${TAG}-stop stop-container container ${TAG}-stop: done (stopped (SIGTERM, 1 s grace) and removed)`]);
  });

  it('mode on without remove: stops the container and leaves it in place', async () => {
    const id = await running('stop-keep');
    const { result } = await run(await stopAction(id, { params: { remove: false, graceS: 1 } }));
    expect(result).toMatchObject({ outcome: 'done', detail: 'stopped (SIGTERM, 1 s grace)' });
    expect(await stateOf(id)).toBe('exited');
  });

  it('mode on: removes a container that was created and never started, and does not claim it stopped it', async () => {
    const name = `${TAG}-never`;
    names.push(name);
    const { id } = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], name, HostConfig: { NetworkMode: 'none' } });
    const { result } = await run(await stopAction(id));
    expect(result).toMatchObject({ outcome: 'done', detail: 'removed (it was not running)' });
    expect(await stateOf(id)).toBeNull();
  });

  it('dry-run: leaves the container running and says what it would have done', async () => {
    const id = await running('dry');
    const { result } = await run(await stopAction(id), { mode: 'dry-run' });
    expect(result).toMatchObject({ outcome: 'dry-run', detail: `would have stopped container ${TAG}-dry (SIGTERM, 1 s grace) and removed it` });
    expect(await stateOf(id)).toBe('running');
  });

  it('never touches a protected container (ds01.protected=true, ds01.monitoring=true)', async () => {
    const prot = await running('protected', { Labels: { 'ds01.protected': 'true' } });
    const mon = await running('monitoring', { Labels: { 'ds01.monitoring': 'true' } });
    expect((await run(await stopAction(prot))).result).toMatchObject({ outcome: 'vetoed', detail: expect.stringContaining('ds01.protected=true') as unknown });
    expect((await run(await stopAction(mon))).result).toMatchObject({ outcome: 'vetoed', detail: expect.stringContaining('ds01.monitoring=true') as unknown });
    expect(await stateOf(prot)).toBe('running');
    expect(await stateOf(mon)).toBe('running');
  });

  it('a protected_names glob vetoes the stop', async () => {
    const id = await running('db');
    const { result } = await run(await stopAction(id), { protectedNames: [`${TAG}-d?`] });
    expect(result).toMatchObject({ outcome: 'vetoed', detail: `vetoed by the probe: container ${TAG}-db matches protected_names "${TAG}-d?"` });
    expect(await stateOf(id)).toBe('running');
  });

  it('a fresh /workspace/.keep-alive (read through the bind mount) vetoes the stop; an old one does not', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'gw-enf-ws-'));
    dirs.push(ws);
    await writeFile(join(ws, '.keep-alive'), '');
    const id = await running('keepalive', { HostConfig: { Binds: [`${ws}:/workspace`] } });
    const { result } = await run(await stopAction(id));
    expect(result).toMatchObject({ outcome: 'vetoed', detail: expect.stringMatching(/has \/workspace\/\.keep-alive touched 0\.0 h ago/) as unknown });
    expect(await stateOf(id)).toBe('running');
    const again = await run(await stopAction(id, { id: 'enf-keepalive-2' }), { keepAliveMaxAgeH: 0.000001 });
    expect(again.result).toMatchObject({ outcome: 'done' });
    expect(await stateOf(id)).toBeNull();
  });

  it('a container replaced under the same name is not stopped (target-changed)', async () => {
    const oldId = await running('replaced');
    const planned = await stopAction(oldId);
    await docker.getContainer(oldId).remove({ force: true });
    const newId = await running('replaced');
    const { result } = await run(planned);
    expect(result).toMatchObject({ outcome: 'target-changed', detail: `container ${TAG}-replaced was replaced (id differs)` });
    expect(await stateOf(newId)).toBe('running');
  });

  it('a restarted container is not stopped (target-changed)', async () => {
    const id = await running('restarted');
    const planned = await stopAction(id);
    await docker.getContainer(id).restart({ t: 0 });
    const { result } = await run(planned);
    expect(result).toMatchObject({ outcome: 'target-changed', detail: expect.stringContaining(`container ${TAG}-restarted was restarted`) as unknown });
    expect(await stateOf(id)).toBe('running');
  });

  it('refuses a foreign host, an expired action and a type outside the allow list, and touches nothing', async () => {
    const id = await running('refused');
    const foreign = await run(await stopAction(id, { id: 'enf-foreign', host: 'other-host' }));
    expect(foreign.result).toMatchObject({ outcome: 'refused', detail: 'the action is for host other-host, this is h1' });
    const expired = await run(await stopAction(id, { id: 'enf-expired', expiresAt: '2026-01-01T00:00:00.000Z', notBefore: '2025-12-31T00:00:00.000Z' }));
    expect(expired.result).toMatchObject({ outcome: 'expired' });
    const notAllowed = await run(await stopAction(id, { id: 'enf-allow' }), { allow: new Set(['warn']) });
    expect(notAllowed.result).toMatchObject({ outcome: 'refused', detail: "stop-container is not in this probe's allow list" });
    const off = await run(await stopAction(id, { id: 'enf-off' }), { mode: 'off' });
    expect(off.result).toMatchObject({ outcome: 'refused', detail: 'enforcement is off on this host' });
    expect(await stateOf(id)).toBe('running');
  });
});
