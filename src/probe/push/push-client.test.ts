import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostSnapshotSchema } from '../../snapshot/schema.ts';
import { containerAction } from '../../enforcement/probe/test-support.ts';
import { pushSnapshot, redactToken, snapshotsUrl } from './push-client.ts';
import { ACCEPTED, sampleSnapshot, startTestServer, type TestServer } from './test-support.ts';

const TOKEN = 'gw_s3cret-T0ken.value';
const snap = sampleSnapshot('2026-11-25T10:00:00.000Z');
const opts = { timeoutMs: 2000 };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('pushSnapshot', () => {
  it('POSTs the snapshot JSON to /v1/snapshots with the bearer token', async () => {
    server.respond = () => ({ status: 200, body: { accepted: true, alerts: [{ id: 'a1' }], actions: [] } });
    const r = await pushSnapshot(server.url, TOKEN, snap, opts);
    expect(r).toEqual({ kind: 'accepted', status: 200, reply: { accepted: true, alerts: [{ id: 'a1' }], actions: [], invalidActions: [] } });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v1/snapshots');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(hostSnapshotSchema.parse(JSON.parse(req?.body ?? ''))).toEqual(snap);
  });

  it('sends X-Gpuwarden-Sent-At: the time of this send on the probe clock, not the snapshot time', async () => {
    const sentAt = new Date('2026-11-25T10:07:30.250Z');
    await pushSnapshot(server.url, TOKEN, JSON.stringify(snap), { ...opts, now: () => sentAt });
    expect(server.requests[0]?.headers['x-gpuwarden-sent-at']).toBe('2026-11-25T10:07:30.250Z');
  });

  it('stamps each send separately (a spooled snapshot replayed later carries the later time)', async () => {
    let t = Date.parse('2026-11-25T11:00:00.000Z');
    const now = (): Date => new Date((t += 1000));
    await pushSnapshot(server.url, TOKEN, snap, { ...opts, now });
    await pushSnapshot(server.url, TOKEN, snap, { ...opts, now });
    expect(server.requests.map((r) => r.headers['x-gpuwarden-sent-at'])).toEqual([
      '2026-11-25T11:00:01.000Z',
      '2026-11-25T11:00:02.000Z',
    ]);
  });

  it('uses the real clock by default', async () => {
    const before = Date.now();
    await pushSnapshot(server.url, TOKEN, snap, opts);
    const sent = Date.parse(String(server.requests[0]?.headers['x-gpuwarden-sent-at']));
    expect(sent).toBeGreaterThanOrEqual(before);
    expect(sent).toBeLessThanOrEqual(Date.now());
  });

  it('keeps a base path and ignores trailing slashes', async () => {
    await pushSnapshot(`${server.url}/gw/`, TOKEN, snap, opts);
    expect(server.requests[0]?.url).toBe('/gw/v1/snapshots');
    expect(snapshotsUrl('https://svc.example/')).toBe('https://svc.example/v1/snapshots');
  });

  it('sends spooled JSON text byte for byte', async () => {
    const text = JSON.stringify(snap);
    await pushSnapshot(server.url, TOKEN, text, opts);
    expect(server.requests[0]?.body).toBe(text);
  });

  it('reads accepted:false as a duplicate (delivered)', async () => {
    server.respond = () => ({ status: 200, body: { accepted: false, alerts: [], actions: [] } });
    expect((await pushSnapshot(server.url, TOKEN, snap, opts)).kind).toBe('duplicate');
  });

  it('parses each action with the contract schema and keeps the invalid ones apart', async () => {
    const good = containerAction();
    server.respond = () => ({ status: 200, body: { accepted: true, alerts: [], actions: [good, { id: 'bad-1', type: 'reboot' }] } });
    const r = await pushSnapshot(server.url, TOKEN, snap, opts);
    expect(r.reply?.actions).toEqual([good]);
    expect(r.reply?.invalidActions).toMatchObject([{ id: 'bad-1', message: expect.stringMatching(/^actions\[1\]: /) as unknown }]);
  });

  it('fills missing alerts/actions with empty lists', async () => {
    server.respond = () => ({ status: 201, body: { accepted: true } });
    expect(await pushSnapshot(server.url, TOKEN, snap, opts)).toEqual({ kind: 'accepted', status: 201, reply: { accepted: true, alerts: [], actions: [], invalidActions: [] } });
  });

  it('retries a 2xx that is not the service answering (wrong URL)', async () => {
    server.respond = () => ({ status: 200, body: '<html>welcome</html>' });
    const r = await pushSnapshot(server.url, TOKEN, snap, opts);
    expect(r.kind).toBe('retry');
    expect(r.message).toContain('not a gpuwarden answer');
  });

  it.each([400, 413, 422])('reads %i as rejected, with the server message', async (status) => {
    server.respond = () => ({ status, body: { message: `bad snapshot ${status}` } });
    expect(await pushSnapshot(server.url, TOKEN, snap, opts)).toEqual({ kind: 'rejected', status, message: `bad snapshot ${status}` });
  });

  it('adds the first three issues of the service error body', async () => {
    const issues = [1, 2, 3, 4].map((i) => ({ path: `gpus.${i}.memoryUsedMiB`, message: 'expected number' }));
    server.respond = () => ({ status: 400, body: { error: 'invalid_snapshot', message: 'not a valid HostSnapshot', issues } });
    expect((await pushSnapshot(server.url, TOKEN, snap, opts)).message).toBe(
      'not a valid HostSnapshot: gpus.1.memoryUsedMiB: expected number; gpus.2.memoryUsedMiB: expected number; gpus.3.memoryUsedMiB: expected number',
    );
  });

  it('uses a plain-text body, or the status text, when there is no JSON message', async () => {
    server.respond = () => ({ status: 413, body: 'too large\nmore detail' });
    expect((await pushSnapshot(server.url, TOKEN, snap, opts)).message).toBe('too large');
    server.respond = () => ({ status: 422, body: '<html>nope</html>' });
    expect((await pushSnapshot(server.url, TOKEN, snap, opts)).message).toBe('Unprocessable Entity');
  });

  it.each([401, 403])('reads %i as a credentials problem', async (status) => {
    server.respond = () => ({ status, body: { message: 'unknown token' } });
    expect(await pushSnapshot(server.url, TOKEN, snap, opts)).toEqual({ kind: 'auth', status, message: 'unknown token' });
  });

  it.each([500, 502, 503, 429, 404, 408])('reads %i as retry later', async (status) => {
    server.respond = () => ({ status, body: { message: 'later' } });
    expect(await pushSnapshot(server.url, TOKEN, snap, opts)).toEqual({ kind: 'retry', status, message: 'later' });
  });

  it('does not follow a redirect (the token stays with the configured host)', async () => {
    server.respond = () => ({ status: 301, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    const r = await pushSnapshot(server.url, TOKEN, snap, opts);
    expect(r).toMatchObject({ kind: 'retry', status: 301 });
    expect(r.message).toContain('redirected to http://127.0.0.1:1/elsewhere');
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a server that never answers after timeoutMs', async () => {
    server.respond = () => 'hang';
    const started = Date.now();
    const r = await pushSnapshot(server.url, TOKEN, snap, { timeoutMs: 200 });
    expect(r).toEqual({ kind: 'retry', message: 'no reply within 200 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads a closed port as retry later', async () => {
    const r = await pushSnapshot(`http://127.0.0.1:${await closedPort()}`, TOKEN, snap, opts);
    expect(r.kind).toBe('retry');
    expect(r.message).toMatch(/^network error: ECONNREFUSED/);
  });

  it('never puts the token in a message, even when the server echoes it', async () => {
    const echo = (status: number) => () => ({ status, body: { message: `bad header: ${server.requests.at(-1)?.headers.authorization ?? ''}` } });
    for (const status of [400, 401, 500]) {
      server.respond = echo(status);
      const r = await pushSnapshot(server.url, TOKEN, snap, opts);
      expect(r.message).toBe('bad header: Bearer [redacted]');
      expect(JSON.stringify(r)).not.toContain(TOKEN);
    }
  });

  it('refuses a token that cannot go in a header without sending it or echoing it', async () => {
    for (const bad of ['line1\nline2', 's3cr3t with-space', 'ctrl\u0001x', '']) {
      const r = await pushSnapshot(server.url, bad, snap, opts);
      expect(r.kind).toBe('auth');
      if (bad !== '') expect(r.message).not.toContain(bad);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('flattens a long multi-line server message to one bounded line', async () => {
    server.respond = () => ({ status: 400, body: { message: `a\nb\t${'x'.repeat(1000)}` } });
    const r = await pushSnapshot(server.url, TOKEN, snap, opts);
    expect(r.message?.startsWith('a b x')).toBe(true);
    expect(r.message).not.toMatch(/[\n\t]/);
    expect(r.message?.length).toBeLessThanOrEqual(301);
  });

  it('answers the default test reply as accepted', async () => {
    server.respond = () => ACCEPTED;
    expect((await pushSnapshot(server.url, TOKEN, snap, opts)).kind).toBe('accepted');
  });
});

describe('redactToken', () => {
  it('replaces every occurrence and leaves other text alone', () => {
    expect(redactToken('a TOK b TOK', 'TOK')).toBe('a [redacted] b [redacted]');
    expect(redactToken('nothing here', '')).toBe('nothing here');
  });
});
