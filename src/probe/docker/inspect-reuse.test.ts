// The long-running probe's inspect cache against a fake Docker Engine API on a unix socket, through dockerode:
// it counts the requests each cycle makes and checks a cached document never carries a stale State.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDockerApi, type FakeDockerApi, type InspectDoc } from '../../../test/support/fake-docker-api.ts';
import { listAndInspectAll, type InspectReuse } from './docker-client.ts';
import { createInspectCache } from './inspect-cache.ts';

function doc(n: number, status = 'running', pid = 1000 + n): InspectDoc {
  const id = String(n).repeat(64).slice(0, 64);
  return { Id: id, Name: `/c${n}`, State: { Status: status, Pid: status === 'running' ? pid : 0 }, Config: { Env: ['TOKEN=hunter2hunter2'] } };
}

describe('listAndInspectAll with an inspect cache', () => {
  let dir: string;
  let api: FakeDockerApi;
  let alive: Set<number>;
  let reuse: InspectReuse;
  const counts = (): { lists: number; inspects: number } => ({
    lists: api.requests.filter((r) => r.path.endsWith('/containers/json')).length,
    inspects: api.requests.filter((r) => !r.path.endsWith('/containers/json')).length,
  });
  const cycle = async (): Promise<unknown[]> => {
    api.requests.length = 0;
    const r = await listAndInspectAll({ socketPath: api.socketPath, timeoutMs: 5000 }, reuse);
    if (!r.ok) throw new Error(r.message);
    return r.inspect;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-inspect-reuse-'));
    api = await startFakeDockerApi(join(dir, 'docker.sock'), [doc(1), doc(2), doc(3, 'exited')]);
    alive = new Set([1001, 1002]);
    reuse = { cache: createInspectCache(), prepare: (d) => ({ ...(d as object), prepared: true }), pidAlive: (pid) => alive.has(pid) };
  });
  afterEach(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inspects every container once, then only lists while nothing changes', async () => {
    const first = await cycle();
    expect(counts()).toEqual({ lists: 1, inspects: 3 });
    const second = await cycle();
    expect(counts()).toEqual({ lists: 1, inspects: 0 });
    expect(second).toEqual(first);
    expect(second[0]).toBe(first[0]);
    expect(second.every((d) => (d as { prepared?: boolean }).prepared === true)).toBe(true);
  });

  it('inspects again a container whose State changed, and reports the new State', async () => {
    await cycle();
    const stopped = doc(2, 'exited');
    api.containers.set(stopped.Id, stopped);
    const docs = (await cycle()) as InspectDoc[];
    expect(counts()).toEqual({ lists: 1, inspects: 1 });
    expect(api.requests[1]?.path).toContain(stopped.Id);
    expect(docs.find((d) => d.Id === stopped.Id)?.State?.Status).toBe('exited');
  });

  it('inspects again a running container whose main pid has gone (a restart the list text does not show)', async () => {
    await cycle();
    const restarted = doc(1, 'running', 2001);
    api.containers.set(restarted.Id, restarted);
    alive.delete(1001);
    const docs = (await cycle()) as (InspectDoc & { State: { Pid: number } })[];
    expect(counts()).toEqual({ lists: 1, inspects: 1 });
    expect(docs.find((d) => d.Id === restarted.Id)?.State.Pid).toBe(2001);
  });

  it('inspects a renamed and a new container; forgets a removed one', async () => {
    await cycle();
    const renamed = { ...doc(1), Name: '/renamed' };
    api.containers.set(renamed.Id, renamed);
    api.containers.delete(doc(3).Id);
    const added = doc(4);
    api.containers.set(added.Id, added);
    alive.add(1004);
    const docs = (await cycle()) as InspectDoc[];
    expect(counts()).toEqual({ lists: 1, inspects: 2 });
    expect(docs.map((d) => d.Name).sort()).toEqual(['/c2', '/c4', '/renamed']);
    expect([...reuse.cache.entries.keys()].sort()).toEqual([doc(1).Id, doc(2).Id, doc(4).Id].sort());
  });

  it('skips and forgets a container removed between list and inspect', async () => {
    await cycle();
    const gone = doc(2, 'exited');
    api.containers.set(gone.Id, gone);
    // Removed right after the list answered: the inspect gets a 404.
    const original = api.containers.get.bind(api.containers);
    api.containers.get = (id: string) => (id === gone.Id ? undefined : original(id));
    const docs = (await cycle()) as InspectDoc[];
    expect(docs.map((d) => d.Id)).not.toContain(gone.Id);
    expect(reuse.cache.entries.has(gone.Id)).toBe(false);
  });

  it('without a cache, inspects every container every cycle', async () => {
    for (let i = 0; i < 2; i++) {
      api.requests.length = 0;
      const r = await listAndInspectAll({ socketPath: api.socketPath, timeoutMs: 5000 });
      expect(r.ok && r.inspect.length).toBe(3);
      expect(counts()).toEqual({ lists: 1, inspects: 3 });
    }
  });
});
