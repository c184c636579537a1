import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushOnce, type PushOnceOptions } from './push-once.ts';
import { openSpool } from './spool.ts';
import { ACCEPTED, sampleSnapshot, startTestServer, takenAts, type TestServer } from './test-support.ts';

const TOKEN = 'gw_once_s3cret';
const at = (i: number): string => new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString();

let dir: string;
let server: TestServer;
let logs: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-once-'));
  server = await startTestServer();
  logs = [];
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const options = (i: number): PushOnceOptions => ({
  snapshot: sampleSnapshot(at(i)),
  url: server.url,
  token: TOKEN,
  spoolDir: dir,
  timeoutMs: 2000,
  log: (line) => logs.push(line),
});

describe('pushOnce', () => {
  it('delivers the snapshot and leaves the spool empty', async () => {
    server.respond = () => ({ status: 200, body: { accepted: true, alerts: [{ rule: 'r1' }], actions: [] } });
    const r = await pushOnce(options(0));
    expect(r).toMatchObject({ fate: 'accepted', olderDelivered: 0, pending: 0, rejectedPath: null });
    expect(r.outcome?.reply?.alerts).toEqual([{ rule: 'r1' }]);
    expect((await openSpool({ dir })).pending()).toEqual([]);
  });

  it('spools it when the service is down, then sends the older ones first next time', async () => {
    server.respond = () => ({ status: 503, body: { message: 'starting' } });
    const first = await pushOnce(options(0));
    const second = await pushOnce(options(1));
    expect(first).toMatchObject({ fate: 'spooled', pending: 1, outcome: { kind: 'retry', status: 503, message: 'starting' } });
    expect(second).toMatchObject({ fate: 'spooled', pending: 2 });
    // Only the oldest was tried each time: order is kept.
    expect(takenAts(server.requests)).toEqual([at(0), at(0)]);

    server.respond = () => ACCEPTED;
    const third = await pushOnce(options(2));
    expect(third).toMatchObject({ fate: 'accepted', olderDelivered: 2, pending: 0 });
    expect(takenAts(server.requests.slice(2))).toEqual([at(0), at(1), at(2)]);
  });

  it('reports this snapshot as spooled when an older one is stuck on credentials', async () => {
    server.respond = () => ({ status: 403, body: { message: 'host mismatch' } });
    const r = await pushOnce(options(0));
    expect(r).toMatchObject({ fate: 'spooled', outcome: { kind: 'auth', status: 403 } });
  });

  it('moves a rejected snapshot aside and says where', async () => {
    server.respond = () => ({ status: 422, body: { message: 'schemaVersion 1 is not supported' } });
    const r = await pushOnce(options(0));
    expect(r.fate).toBe('rejected');
    expect(r.outcome).toMatchObject({ status: 422, message: 'schemaVersion 1 is not supported' });
    const [name] = await readdir(join(dir, 'rejected'));
    expect(r.rejectedPath).toBe(join(dir, 'rejected', name ?? ''));
    expect(JSON.parse(await readFile(r.rejectedPath ?? '', 'utf8'))).toEqual(sampleSnapshot(at(0)));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('HTTP 422: schemaVersion 1 is not supported');
  });

  it('reads a duplicate as delivered', async () => {
    server.respond = () => ({ status: 200, body: { accepted: false, alerts: [], actions: [] } });
    expect((await pushOnce(options(0))).fate).toBe('duplicate');
  });

  it('pushes directly when the snapshot cannot be spooled, and says lost when that fails too', async () => {
    const bad = { ...options(0), snapshot: sampleSnapshot('not a time') };
    expect((await pushOnce(bad)).fate).toBe('accepted');
    server.respond = () => ({ status: 500 });
    const r = await pushOnce(bad);
    expect(r.fate).toBe('lost');
    expect(logs.every((l) => l.startsWith('cannot spool the snapshot'))).toBe(true);
  });
});
