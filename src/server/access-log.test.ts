import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../log/logger.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { requestIdFrom } from './access-log.ts';
import { createApp } from './app.ts';
import { bearer, NOW, TEST_AUTH, TOKENS, validSnapshot } from './test-support.ts';

type Line = Record<string, unknown>;

/** The app on a memory store with a JSON logger capturing parsed lines; `clock` can be stepped. */
function loggedApp(options: { level?: LogLevel; clientAddress?: string; failingCore?: boolean } = {}) {
  const store = createMemoryStore();
  const core = createStoreOnlyCore(store);
  const raw: string[] = [];
  let nowMs = NOW.getTime();
  const app = createApp({
    store,
    core: options.failingCore === true ? { ...core, ingest: () => Promise.reject(new Error(`disk full (token ${TOKENS.ds01})`)) } : core,
    auth: TEST_AUTH,
    clock: () => new Date(nowMs),
    log: () => undefined,
    logger: createLogger({ level: options.level ?? 'info', format: 'json', write: (l) => raw.push(l), now: () => NOW }),
    clientAddress: () => options.clientAddress ?? '192.0.2.7',
  });
  return {
    app,
    raw,
    lines: (): Line[] => raw.map((l) => JSON.parse(l) as Line),
    step: (ms: number): void => {
      nowMs += ms;
    },
  };
}

function postSnapshot(app: ReturnType<typeof createApp>, body: unknown, headers: Record<string, string>, query = ''): Promise<Response> {
  return Promise.resolve(app.request(`/v1/snapshots${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
}

describe('access log: one line per failed request', () => {
  it('403 host mismatch: warn with method, path, status, principal, client, error code and message, never the token', async () => {
    const { app, raw, lines } = loggedApp();
    const res = await postSnapshot(app, validSnapshot({ host: 'ds02' }), bearer(TOKENS.ds01));
    expect(res.status).toBe(403);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines()).toEqual([
      {
        ts: NOW.toISOString(),
        level: 'warn',
        msg: 'POST /v1/snapshots 403',
        requestId,
        method: 'POST',
        path: '/v1/snapshots',
        status: 403,
        durationMs: expect.any(Number) as number,
        principal: 'ds01',
        principalKind: 'host',
        client: '192.0.2.7',
        error: 'host_mismatch',
        message: 'this token belongs to host "ds01" and cannot write snapshots of host "ds02"',
      },
    ]);
    expect(raw.join('\n')).not.toContain(TOKENS.ds01);
  });

  it('400 names its path and the names of the query parameters, never their values', async () => {
    const { app, raw, lines } = loggedApp();
    const res = await Promise.resolve(app.request(`/v1/alerts?state=bogus&token=${TOKENS.alice}`, { headers: bearer(TOKENS.alice) }));
    expect(res.status).toBe(400);
    expect(lines()).toEqual([expect.objectContaining({ level: 'warn', msg: 'GET /v1/alerts 400', path: '/v1/alerts', query: 'state,token', status: 400, principal: 'alice', principalKind: 'admin' })]);
    expect(raw.join('\n')).not.toContain(TOKENS.alice);
    expect(raw.join('\n')).not.toContain('bogus');
  });

  it('an invalid snapshot: 400 with its error code, the issues stay in the reply', async () => {
    const { app, lines } = loggedApp();
    const res = await postSnapshot(app, { schemaVersion: 1 }, bearer(TOKENS.ds01));
    expect(res.status).toBe(400);
    expect(lines()).toEqual([expect.objectContaining({ status: 400, error: 'invalid_snapshot', principal: 'ds01' })]);
  });

  it('404 for an unknown route: logged with its not_found message', async () => {
    const { app, lines } = loggedApp();
    const res = await Promise.resolve(app.request('/nope'));
    expect(res.status).toBe(404);
    expect(lines()).toEqual([expect.objectContaining({ level: 'warn', msg: 'GET /nope 404', error: 'not_found', message: 'no route for GET /nope' })]);
    expect(lines()[0]).not.toHaveProperty('principal');
  });

  it('500: error level, the reply\'s generic message (the cause and its token stay out of the access line)', async () => {
    const { app, raw, lines } = loggedApp({ failingCore: true });
    const res = await postSnapshot(app, validSnapshot(), bearer(TOKENS.ds01));
    expect(res.status).toBe(500);
    expect(lines()).toEqual([expect.objectContaining({ level: 'error', status: 500, error: 'internal', message: 'internal error', principal: 'ds01' })]);
    expect(raw.join('\n')).not.toContain(TOKENS.ds01);
  });

  it('2xx is not logged at info, and is at debug', async () => {
    const quiet = loggedApp();
    expect((await Promise.resolve(quiet.app.request('/healthz'))).status).toBe(200);
    expect(quiet.raw).toEqual([]);
    const chatty = loggedApp({ level: 'debug' });
    await Promise.resolve(chatty.app.request('/healthz'));
    expect(chatty.lines()).toEqual([expect.objectContaining({ level: 'debug', msg: 'GET /healthz 200', status: 200 })]);
    expect(chatty.lines()[0]).not.toHaveProperty('error');
  });

  it('at level error, 4xx lines are dropped', async () => {
    const { app, raw } = loggedApp({ level: 'error' });
    await Promise.resolve(app.request('/nope'));
    expect(raw).toEqual([]);
  });
});

describe('access log: request id', () => {
  it('a sane incoming x-request-id is kept and echoed; a long or odd one is replaced', async () => {
    const { app, lines } = loggedApp();
    const kept = await Promise.resolve(app.request('/nope', { headers: { 'x-request-id': 'proxy-1234.abc' } }));
    expect(kept.headers.get('x-request-id')).toBe('proxy-1234.abc');
    const odd = await Promise.resolve(app.request('/nope', { headers: { 'x-request-id': 'a b\u0007c' } }));
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().map((l) => l.requestId)).toEqual(['proxy-1234.abc', odd.headers.get('x-request-id')]);
  });

  it('every reply carries one, 2xx included', async () => {
    const { app } = loggedApp();
    const res = await Promise.resolve(app.request('/healthz'));
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('requestIdFrom keeps short plain ids only', () => {
    const fresh = (): string => 'fresh';
    expect(requestIdFrom('abc-123_x:y.z', fresh)).toBe('abc-123_x:y.z');
    expect(requestIdFrom('x'.repeat(64), fresh)).toBe('x'.repeat(64));
    for (const bad of [undefined, '', 'x'.repeat(65), '-leading', 'has space', 'new\nline', 'é']) expect(requestIdFrom(bad, fresh)).toBe('fresh');
  });
});

describe('access log: a 401 flood cannot fill the disk', () => {
  it('one 401 line per client per 10 s; the next says how many were suppressed', async () => {
    const { app, raw, lines, step } = loggedApp();
    const wrong = `Bearer ${'f'.repeat(64)}`;
    for (let i = 0; i < 200; i += 1) {
      const res = await postSnapshot(app, {}, { Authorization: wrong });
      expect(res.status).toBe(401);
    }
    expect(lines()).toEqual([expect.objectContaining({ level: 'warn', status: 401, error: 'unauthorized', message: 'invalid bearer token', client: '192.0.2.7' })]);
    expect(lines()[0]).not.toHaveProperty('suppressed');
    step(9_999);
    await postSnapshot(app, {}, { Authorization: wrong });
    expect(lines()).toHaveLength(1);
    step(1);
    await postSnapshot(app, {}, {});
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toMatchObject({ status: 401, suppressed: 200, message: 'missing bearer token (Authorization: Bearer <token>)' });
    expect(raw.join('\n')).not.toContain('f'.repeat(64));
  });

  it('another client\'s 401 is still logged during a flood, and other statuses are never held back', async () => {
    const store = createMemoryStore();
    const raw: string[] = [];
    let client = '192.0.2.7';
    const app = createApp({
      store, core: createStoreOnlyCore(store), auth: TEST_AUTH, clock: () => NOW, log: () => undefined,
      logger: createLogger({ level: 'info', format: 'json', write: (l) => raw.push(l) }),
      clientAddress: () => client,
    });
    for (let i = 0; i < 5; i += 1) await postSnapshot(app, {}, {});
    client = '198.51.100.9';
    await postSnapshot(app, {}, {});
    for (let i = 0; i < 3; i += 1) await Promise.resolve(app.request('/nope'));
    const parsed = raw.map((l) => JSON.parse(l) as Line);
    expect(parsed.map((l) => [l.status, l.client])).toEqual([[401, '192.0.2.7'], [401, '198.51.100.9'], [404, '198.51.100.9'], [404, '198.51.100.9'], [404, '198.51.100.9']]);
  });
});
