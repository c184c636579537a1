import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import { DEFAULT_ALERT_LIMIT, parseAlertQuery } from './routes/admin.ts';
import { bearer, NOW, sampleAlert, testApp, TOKENS, validSnapshot } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];

async function get(app: App, path: string, token: string | null = TOKENS.alice): Promise<{ status: number; body: unknown; res: Response }> {
  const res = await app.request(path, { headers: token === null ? {} : bearer(token) });
  return { status: res.status, body: await res.json(), res };
}

async function seeded(): Promise<ReturnType<typeof testApp>> {
  const t = testApp();
  const alerts: Alert[] = [
    sampleAlert({ fingerprint: 'a1', rule: 'bare-metal-gpu', host: 'ds01', severity: 'warning', state: 'firing', labels: { host: 'ds01', user: 'alice' } }),
    sampleAlert({ fingerprint: 'a2', rule: 'gpu-quota', host: 'ds01', severity: 'critical', state: 'pending', labels: { host: 'ds01', user: 'bob' } }),
    sampleAlert({ fingerprint: 'a3', rule: 'gpu-quota', host: 'ds02', severity: 'critical', state: 'firing', labels: { host: 'ds02', user: 'bob' } }),
  ];
  await t.store.commitEvaluation({ hostRecord: null, upsert: alerts, remove: [] });
  return t;
}

const fingerprints = (body: unknown): string[] => (body as { alerts: Alert[] }).alerts.map((a) => a.fingerprint).sort();

describe('GET /healthz', () => {
  it('answers {ok: true} without a token', async () => {
    const { app } = testApp();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('GET /v1/alerts', () => {
  it('lists all alerts for an admin', async () => {
    const { app } = await seeded();
    const { status, body } = await get(app, '/v1/alerts');
    expect(status).toBe(200);
    expect(fingerprints(body)).toEqual(['a1', 'a2', 'a3']);
    expect((body as { alerts: Alert[] }).alerts.find((a) => a.fingerprint === 'a1')).toEqual(
      sampleAlert({ fingerprint: 'a1', rule: 'bare-metal-gpu', host: 'ds01', severity: 'warning', state: 'firing', labels: { host: 'ds01', user: 'alice' } }),
    );
  });

  it('filters by host, rule, state, severity and user', async () => {
    const { app } = await seeded();
    expect(fingerprints((await get(app, '/v1/alerts?host=ds02')).body)).toEqual(['a3']);
    expect(fingerprints((await get(app, '/v1/alerts?rule=gpu-quota')).body)).toEqual(['a2', 'a3']);
    expect(fingerprints((await get(app, '/v1/alerts?state=pending')).body)).toEqual(['a2']);
    expect(fingerprints((await get(app, '/v1/alerts?severity=warning')).body)).toEqual(['a1']);
    expect(fingerprints((await get(app, '/v1/alerts?user=bob&host=ds01')).body)).toEqual(['a2']);
    expect(fingerprints((await get(app, '/v1/alerts?limit=1')).body)).toHaveLength(1);
  });

  it('400 invalid_query with one issue per bad filter', async () => {
    const { app } = await seeded();
    const { status, body } = await get(app, '/v1/alerts?state=burning&limit=0&sevrity=warning&host=a&host=b');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_query',
      message: 'bad filter for GET /v1/alerts',
      issues: [
        { path: 'host', message: 'given more than once' },
        { path: 'state', message: 'Invalid option: expected one of "pending"|"firing"|"resolved"' },
        { path: 'limit', message: 'Too small: expected number to be >=1' },
        { path: 'sevrity', message: 'unknown key' },
      ],
    });
  });

  it('rejects a limit that is not a whole number or too large', async () => {
    const { app } = await seeded();
    for (const limit of ['abc', '1.5', '-3', '1001', '99999999']) {
      const { status, body } = await get(app, `/v1/alerts?limit=${limit}`);
      expect(status, limit).toBe(400);
      expect((body as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('limit');
    }
  });

  it('rejects a __proto__ query parameter as unknown', async () => {
    const { app } = await seeded();
    const { status, body } = await get(app, '/v1/alerts?__proto__=x');
    expect(status).toBe(400);
    expect((body as { issues: unknown[] }).issues).toEqual([{ path: '__proto__', message: 'unknown key' }]);
  });

  it('401 without a token, 403 with a host token', async () => {
    const { app } = await seeded();
    const anonymous = await get(app, '/v1/alerts', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.res.headers.get('WWW-Authenticate')).toBe('Bearer realm="gpuwarden"');
    const host = await get(app, '/v1/alerts', TOKENS.ds01);
    expect(host.status).toBe(403);
    expect(host.body).toEqual({ error: 'forbidden', message: 'this endpoint needs an admin token; host tokens may only post snapshots' });
  });
});

describe('parseAlertQuery', () => {
  it('fills in the default limit and drops absent filters', () => {
    expect(parseAlertQuery({})).toEqual({ limit: DEFAULT_ALERT_LIMIT });
    expect(parseAlertQuery({ host: ['ds01'], limit: ['5'] })).toEqual({ host: 'ds01', limit: 5 });
  });

  it('rejects empty values', () => {
    expect(() => parseAlertQuery({ host: [''] })).toThrow('bad filter');
  });
});

describe('GET /v1/hosts', () => {
  it('lists hosts with their last-seen times and nothing else', async () => {
    const { app } = testApp();
    const post = (token: string, host: string): Promise<Response> =>
      Promise.resolve(app.request('/v1/snapshots', { method: 'POST', body: JSON.stringify(validSnapshot({ host })), headers: bearer(token) }));
    expect((await post(TOKENS.ds01, 'ds01')).status).toBe(200);
    expect((await post(TOKENS.ds02, 'ds02')).status).toBe(200);
    const { status, body } = await get(app, '/v1/hosts');
    expect(status).toBe(200);
    expect(body).toEqual({
      hosts: [
        { host: 'ds01', lastSeenAt: NOW.toISOString(), lastTakenAt: '2026-11-25T17:17:49.467Z' },
        { host: 'ds02', lastSeenAt: NOW.toISOString(), lastTakenAt: '2026-11-25T17:17:49.467Z' },
      ],
    });
  });

  it('401 without a token, 403 with a host token', async () => {
    const { app } = testApp();
    expect((await get(app, '/v1/hosts', null)).status).toBe(401);
    expect((await get(app, '/v1/hosts', TOKENS.ds02)).status).toBe(403);
    expect((await get(app, '/v1/hosts', 'not-a-token')).status).toBe(401);
  });
});

describe('unknown routes', () => {
  it('404 JSON naming the method and path', async () => {
    const { app } = testApp();
    const res = await app.request('/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route for GET /v1/nothing' });
    const wrongMethod = await app.request('/v1/snapshots', { headers: bearer(TOKENS.ds01) });
    expect(wrongMethod.status).toBe(404);
  });

  it('500 internal with one log line when the store fails', async () => {
    const { app, store, logs } = testApp();
    await store.close();
    const { status, body } = await get(app, '/v1/hosts');
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'internal', message: 'internal error' });
    expect(logs).toEqual(['gpuwarden: internal error on GET /v1/hosts: Error: The memory store is closed.']);
  });
});
