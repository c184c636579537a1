import { afterEach, describe, expect, it } from 'vitest';
import { bearer, NOW, testApp, TOKENS, validSnapshot } from './test-support.ts';

type Json = Record<string, unknown>;

function post(app: ReturnType<typeof testApp>['app'], body: unknown, headers: Record<string, string> = bearer(TOKENS.ds01)): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return Promise.resolve(app.request('/v1/snapshots', { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...headers } }));
}

afterEach(() => {
  expect(({} as Json).polluted).toBeUndefined();
});

describe('POST /v1/snapshots', () => {
  it('accepts a valid snapshot of the token\'s own host and stores it with the clock\'s time', async () => {
    const { app, store, core } = testApp();
    const res = await post(app, validSnapshot());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: true, alerts: [], actions: [] });
    const rows = await store.listSnapshots('ds01');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ host: 'ds01', snapshotId: 'ds01@2026-11-25T17:17:49.467Z', receivedAt: NOW.toISOString() });
    expect(JSON.parse(rows[0]?.body ?? '{}')).toEqual(validSnapshot());
    expect(core.ingested[0]?.receivedAt).toEqual(NOW);
  });

  it('answers 200 with accepted false for the same snapshot again', async () => {
    const { app, store } = testApp();
    expect((await post(app, validSnapshot())).status).toBe(200);
    const again = await post(app, validSnapshot());
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: false, alerts: [], actions: [] });
    expect(await store.listSnapshots('ds01')).toHaveLength(1);
  });

  it('returns what the core produced', async () => {
    const { app } = testApp({
      core: () => ({
        ingest: async () => ({ accepted: true, alerts: [], actions: [] as never[] }),
        tick: async () => {},
      }),
    });
    const res = await post(app, validSnapshot());
    expect(await res.json()).toEqual({ accepted: true, alerts: [], actions: [] });
  });

  it('401 with WWW-Authenticate for a missing token, without reading the body', async () => {
    const { app, core } = testApp();
    const res = await post(app, validSnapshot(), {});
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="gpuwarden"');
    expect(await res.json()).toEqual({ error: 'unauthorized', message: 'missing bearer token (Authorization: Bearer <token>)' });
    expect(core.ingested).toHaveLength(0);
  });

  it('401 with error="invalid_token" for a wrong, malformed or non-Bearer token', async () => {
    const { app } = testApp();
    for (const header of [`Bearer ${TOKENS.ds01}x`, 'Bearer', `Basic ${TOKENS.ds01}`, `Bearer ${TOKENS.ds01} extra`, `Bearer ${'a'.repeat(2000)}`]) {
      const res = await post(app, validSnapshot(), { Authorization: header });
      expect(res.status, header.slice(0, 30)).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="gpuwarden", error="invalid_token"');
      expect(await res.json()).toEqual({ error: 'unauthorized', message: 'invalid bearer token' });
    }
  });

  it('accepts the scheme in any case', async () => {
    const { app } = testApp();
    expect((await post(app, validSnapshot(), { Authorization: `bearer ${TOKENS.ds01}` })).status).toBe(200);
  });

  it('403 for a snapshot of another host, naming both hosts but not the token', async () => {
    const { app, store } = testApp();
    const res = await post(app, validSnapshot({ host: 'ds02' }));
    expect(res.status).toBe(403);
    const body = (await res.json()) as Json;
    expect(body).toEqual({
      error: 'host_mismatch',
      message: 'this token belongs to host "ds01" and cannot write snapshots of host "ds02"',
    });
    expect(JSON.stringify(body)).not.toContain(TOKENS.ds01);
    expect(await store.listSnapshots('ds02')).toEqual([]);
  });

  it('403 for an admin token: admins do not post snapshots', async () => {
    const { app } = testApp();
    const res = await post(app, validSnapshot(), bearer(TOKENS.alice));
    expect(res.status).toBe(403);
    expect(((await res.json()) as Json).error).toBe('forbidden');
  });

  it('413 for a body over the limit announced by Content-Length', async () => {
    const { app, core } = testApp({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ ...validSnapshot(), driverVersion: 'x'.repeat(2000) });
    const res = await post(app, big, { ...bearer(TOKENS.ds01), 'content-length': String(big.length) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload_too_large', message: 'request body is larger than 1024 bytes' });
    expect(core.ingested).toHaveLength(0);
  });

  it('413 for a streamed body over the limit (no Content-Length)', async () => {
    const { app } = testApp({ bodyLimitBytes: 1024 });
    const chunk = new TextEncoder().encode('x'.repeat(600));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await app.request('/v1/snapshots', {
      method: 'POST',
      body: stream,
      headers: bearer(TOKENS.ds01),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('413 when Content-Length understates the body', async () => {
    const { app } = testApp({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ ...validSnapshot(), driverVersion: 'x'.repeat(2000) });
    const res = await post(app, big, { ...bearer(TOKENS.ds01), 'content-length': '10' });
    expect(res.status).toBe(413);
  });

  it('the default limit is 4 MiB', async () => {
    const { app } = testApp();
    const justOver = ' '.repeat(4 * 1024 * 1024 + 1);
    expect((await post(app, justOver)).status).toBe(413);
    const under = JSON.stringify(validSnapshot()) + ' '.repeat(1024 * 1024);
    expect((await post(app, under)).status).toBe(200);
  });

  it('400 invalid_json for a body that is not JSON', async () => {
    const { app } = testApp();
    for (const body of ['{"schemaVersion": 1,', '', 'nope', '{"a": 1}}']) {
      const res = await post(app, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_json', message: 'request body is not valid JSON' });
    }
  });

  it('400 invalid_json for a body that is not UTF-8', async () => {
    const { app } = testApp();
    const res = await app.request('/v1/snapshots', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: bearer(TOKENS.ds01) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_json', message: 'request body is not valid UTF-8' });
  });

  it('400 unsupported_schema_version before full validation', async () => {
    const { app } = testApp();
    const res = await post(app, { schemaVersion: 2, host: 42 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'unsupported_schema_version',
      message: 'schemaVersion 2 is not supported; this service accepts schemaVersion 1',
    });
    for (const v of ['1', null, { v: 1 }]) {
      const r = await post(app, { ...validSnapshot(), schemaVersion: v });
      expect(((await r.json()) as Json).error).toBe('unsupported_schema_version');
    }
  });

  it('a missing schemaVersion is an ordinary schema issue', async () => {
    const { app } = testApp();
    const { schemaVersion: _drop, ...rest } = validSnapshot();
    const res = await post(app, rest);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: Array<{ path: string }> };
    expect(body.error).toBe('invalid_snapshot');
    expect(body.issues.map((i) => i.path)).toEqual(['schemaVersion']);
  });

  it('400 invalid_snapshot with the exact dotted path of a bad field', async () => {
    const { app, store } = testApp();
    const snapshot = validSnapshot();
    const bad = { ...snapshot, gpus: [{ ...snapshot.gpus[0], memoryUsedMiB: 'lots' }] };
    const res = await post(app, bad);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_snapshot',
      message: 'body is not a valid HostSnapshot (1 problem(s))',
      issues: [{ path: 'gpus.0.memoryUsedMiB', message: 'Invalid input: expected number, received string' }],
    });
    expect(await store.listSnapshots('ds01')).toEqual([]);
  });

  describe('400 for physically impossible values, naming the path', () => {
    const s = validSnapshot();
    const [gpu] = s.gpus;
    const [proc] = s.gpuProcesses;
    const [ctr] = s.containers;
    if (gpu === undefined || proc === undefined || ctr === undefined) throw new Error('fixture');
    const usage = { intervalS: 30, cpuPct: 10, netRxBytesPerS: 0, netTxBytesPerS: 0, activeProcessCount: 1 };
    const cases: Array<[string, unknown, string]> = [
      ['negative memory', { ...s, gpus: [{ ...gpu, memoryUsedMiB: -1 }] }, 'gpus.0.memoryUsedMiB'],
      ['memory above 16 TiB', { ...s, gpus: [{ ...gpu, memoryTotalMiB: 1e12 }] }, 'gpus.0.memoryTotalMiB'],
      ['utilisation 1e300', { ...s, gpus: [{ ...gpu, utilizationPct: 1e300 }] }, 'gpus.0.utilizationPct'],
      ['-273 °C', { ...s, gpus: [{ ...gpu, temperatureC: -273 }] }, 'gpus.0.temperatureC'],
      ['power 1e308', { ...s, gpus: [{ ...gpu, powerW: 1e308 }] }, 'gpus.0.powerW'],
      ['negative process memory', { ...s, gpuProcesses: [{ ...proc, usedMemoryMiB: -5 }] }, 'gpuProcesses.0.usedMemoryMiB'],
      ['pid above pid_max', { ...s, gpuProcesses: [{ ...proc, pid: 2 ** 22 + 1 }] }, 'gpuProcesses.0.pid'],
      ['negative exited count', { ...s, exitedProcesses: -1 }, 'exitedProcesses'],
      ['negative GPU count', { ...s, containers: [{ ...ctr, gpu: { ...ctr.gpu, count: -3 } }] }, 'containers.0.gpu.count'],
      ['year 0000', { ...s, takenAt: '0000-01-01T00:00:00.000Z', id: 'ds01@0000-01-01T00:00:00.000Z' }, 'takenAt'],
      ['year 9999', { ...s, containers: [{ ...ctr, createdAt: '9999-12-31T23:59:59.000Z' }] }, 'containers.0.createdAt'],
      ['start time in 1999', { ...s, gpuProcesses: [{ ...proc, startTime: '1999-12-31T23:59:59.000Z' }] }, 'gpuProcesses.0.startTime'],
      ['negative cpu', { ...s, containers: [{ ...ctr, usage: { ...usage, cpuPct: -1 } }] }, 'containers.0.usage.cpuPct'],
      ['cpu above 1024 cores', { ...s, containers: [{ ...ctr, usage: { ...usage, cpuPct: 1e9 } }] }, 'containers.0.usage.cpuPct'],
      ['negative bytes/s', { ...s, containers: [{ ...ctr, usage: { ...usage, netTxBytesPerS: -1 } }] }, 'containers.0.usage.netTxBytesPerS'],
      ['interval over a day', { ...s, containers: [{ ...ctr, usage: { ...usage, intervalS: 86_401 } }] }, 'containers.0.usage.intervalS'],
      ['id with a newline', { ...s, id: 'ds01@x\nforged: line' }, 'id'],
      ['id with NUL', { ...s, id: 'ds01@x\u0000' }, 'id'],
      ['id over 300 characters', { ...s, id: 'a'.repeat(301) }, 'id'],
      ['host with a newline', { ...s, host: 'ds01\nforged' }, 'host'],
    ];
    for (const [what, body, path] of cases) {
      it(what, async () => {
        const { app, core } = testApp();
        const res = await post(app, body);
        expect(res.status).toBe(400);
        const json = (await res.json()) as { error: string; issues: Array<{ path: string }> };
        expect(json.error).toBe('invalid_snapshot');
        expect(json.issues.map((i) => i.path)).toContain(path);
        expect(core.ingested).toHaveLength(0);
      });
    }

    it('the edges of every range are accepted', async () => {
      const { app } = testApp();
      const edge = {
        ...s,
        gpus: [{ ...gpu, memoryUsedMiB: 0, utilizationPct: 100, temperatureC: -50, powerW: 5000 }],
        gpuProcesses: [{ ...proc, pid: 2 ** 22, startTime: '2000-01-01T00:00:00.000Z' }],
        containers: [{ ...ctr, createdAt: '2200-12-31T23:59:59.999Z', usage: { ...usage, intervalS: 86_400, cpuPct: 102_400 } }],
      };
      expect((await post(app, edge)).status).toBe(200);
    });
  });

  it('lists at most 20 issues', async () => {
    const { app } = testApp();
    const snapshot = validSnapshot();
    const process = snapshot.gpuProcesses[0];
    const bad = { ...snapshot, gpuProcesses: Array.from({ length: 30 }, () => ({ ...process, pid: -1 })) };
    const body = (await (await post(app, bad)).json()) as { message: string; issues: Array<{ path: string }> };
    expect(body.message).toBe('body is not a valid HostSnapshot (30 problem(s))');
    expect(body.issues).toHaveLength(20);
    expect(body.issues[19]?.path).toBe('gpuProcesses.19.pid');
  });

  it('a body that is not an object is a root-level issue', async () => {
    const { app } = testApp();
    const body = (await (await post(app, [1, 2])).json()) as { issues: Array<{ path: string }> };
    expect(body.issues).toEqual([{ path: '', message: 'Invalid input: expected object, received array' }]);
  });

  it('ignores __proto__ and constructor keys without polluting any prototype', async () => {
    const { app, store } = testApp();
    const text = JSON.stringify(validSnapshot())
      .replace('{"schemaVersion":1', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"schemaVersion":1')
      .replace('"ds01.user":"alice"', '"ds01.user":"alice","__proto__":"x"')
      .replace('"index":0,', '"index":0,"__proto__":{"polluted":true},');
    expect(text).toContain('"__proto__":"x"');
    const res = await post(app, text);
    expect(res.status).toBe(200);
    expect(({} as Json).polluted).toBeUndefined();
    expect((Object.prototype as Json).polluted).toBeUndefined();
    const stored = (await store.listSnapshots('ds01'))[0]?.body ?? '';
    expect(stored).not.toContain('polluted');
    expect(stored).not.toContain('__proto__');
    expect(JSON.parse(stored)).toEqual(validSnapshot());
  });

  it('400 (not a crash) for JSON nested 10,000 levels deep', async () => {
    const { app } = testApp();
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const res = await post(app, `{"schemaVersion":1,"gpus":${deep}}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error).toBe('invalid_snapshot');
  });

  it('an error text with line breaks and controls is still one escaped log line', async () => {
    const { app, logs } = testApp({
      core: () => ({
        ingest: async () => {
          throw new Error('disk\ngpuwarden: forged\u0000\u0085');
        },
        tick: async () => {},
      }),
    });
    expect((await post(app, validSnapshot())).status).toBe(500);
    expect(logs).toEqual(['gpuwarden: internal error on POST /v1/snapshots: Error: disk\\ngpuwarden: forged\\x00\\x85']);
  });

  it('500 internal with one log line (no body, no token) when the core fails', async () => {
    const { app, logs } = testApp({
      core: () => ({
        ingest: async () => {
          throw new Error('disk full');
        },
        tick: async () => {},
      }),
    });
    const res = await post(app, validSnapshot());
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal', message: 'internal error' });
    expect(logs).toEqual(['gpuwarden: internal error on POST /v1/snapshots: Error: disk full']);
    expect(logs.join('')).not.toContain(TOKENS.ds01);
    expect(logs.join('')).not.toContain('NVIDIA');
  });
});

describe('POST /v1/snapshots with a turn gate (serve)', () => {
  it('parses and validates a snapshot only in its turn: nothing reaches the core while the gate holds it', async () => {
    let open = (): void => undefined;
    const turns: string[] = [];
    const gate = {
      waiting: 0,
      turn: () => {
        turns.push('asked');
        return new Promise<void>((resolve) => { open = resolve; });
      },
    };
    const { app, core } = testApp({ gate });
    const res = post(app, validSnapshot());
    await new Promise((r) => setTimeout(r, 20));
    expect(turns).toEqual(['asked']);
    expect(core.ingested).toHaveLength(0);
    open();
    expect((await res).status).toBe(200);
    expect(core.ingested).toHaveLength(1);
  });
});
