// A session kept across cycles must give the snapshot a fresh collector gives: the real collector, a stand-in
// nvidia-smi replaying a captured XML, and a fake Docker Engine API on a unix socket that counts requests.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDockerApi, type FakeDockerApi, type InspectDoc } from '../../test/support/fake-docker-api.ts';
import { listFor, makeFakeNvidiaSmi, substitutePids } from '../../test/support/fake-nvidia-smi.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from './collect.ts';

const XML = readFileSync(new URL('../../test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', import.meta.url), 'utf8');
const SECRET = 'sk-live-0123456789abcdef0123456789abcdef';

function container(n: number, status: string): InspectDoc {
  return {
    Id: String(n).repeat(64),
    Name: `/job-${n}`,
    Created: '2026-11-20T10:00:00.123456789Z',
    State: { Status: status, Pid: status === 'running' ? process.pid : 0, StartedAt: '2026-11-20T10:00:01.5Z', FinishedAt: '0001-01-01T00:00:00Z' },
    Config: { Image: 'pytorch', Labels: { 'ds01.user': `user${n}` }, Env: [`API_KEY=${SECRET}`] },
    HostConfig: { Runtime: 'runc', NetworkMode: 'host' },
    Mounts: [],
  };
}

describe('collectRaw with a session kept across cycles', () => {
  let dir: string;
  let api: FakeDockerApi;
  let options: CollectOptions;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-collect-session-'));
    api = await startFakeDockerApi(join(dir, 'docker.sock'), [container(1, 'running'), container(2, 'exited'), container(3, 'running')]);
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
    const now = () => new Date('2026-12-03T12:00:00.000Z');
    options = { ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath: bin, dockerSocketPath: api.socketPath, host: 'h', now };
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });
  const inspects = (): number => api.requests.filter((r) => !r.path.endsWith('/containers/json')).length;

  it('gives the snapshot of a fresh collector, with one list request and no inspect once warm', async () => {
    const session = createCollectSession();
    await collectRaw(options, session);
    api.requests.length = 0;
    const warm = await collectRaw(options, session);
    expect(api.requests.map((r) => r.path)).toEqual(['/containers/json']);
    const fresh = await collectRaw(options);
    expect(buildSnapshot(warm)).toEqual(buildSnapshot(fresh));
    expect(buildSnapshot(warm).containers).toHaveLength(3);
    expect(JSON.stringify(warm.dockerInspect)).not.toContain(SECRET);
    expect(warm.nvidiaSmiList).toEqual(fresh.nvidiaSmiList);
  });

  it('reports a State change at once, and drops a removed container', async () => {
    const session = createCollectSession();
    await collectRaw(options, session);
    const stopped = container(3, 'exited');
    api.containers.set(stopped.Id, stopped);
    api.containers.delete(container(1, 'running').Id);
    api.requests.length = 0;
    const after = buildSnapshot(await collectRaw(options, session));
    expect(inspects()).toBe(1);
    expect(after.containers.map((c) => [c.name, c.state])).toEqual([['job-2', 'exited'], ['job-3', 'exited']]);
    expect(after).toEqual(buildSnapshot(await collectRaw(options)));
    expect(session.docker.entries.size).toBe(2);
  });
});
