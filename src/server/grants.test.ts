import { describe, expect, it } from 'vitest';
import { grantsFromExemptions, PERMANENT_UNTIL, type Grant } from '../enforcement/grant.ts';
import { grantFromBody } from './routes/grants.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];
interface Reply {
  status: number;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const later = (minutes: number): string => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const RULES = new Set(['idle-gpu-container', 'max-runtime', 'bare-metal-gpu']);

/** Alice's permanent idle exemption and bob's expired runtime one, as the limits config would give them. */
const CONFIG_GRANTS = grantsFromExemptions(
  [
    { username: 'alice', exemptFrom: ['idle_timeout_h'], expiresAt: null, reason: 'runs the shared notebook server', file: 'x.yaml', line: 2 },
    { username: 'bob', exemptFrom: ['max_runtime_h'], expiresAt: new Date(later(-60)), reason: 'old', file: 'x.yaml', line: 6 },
  ],
  new Date(later(-600)),
);

async function call(app: App, method: string, path: string, body?: unknown, token: string | null = TOKENS.alice): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...(token === null ? {} : bearer(token)), 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await app.request(path, init);
  return { status: res.status, body: await res.json() };
}

async function create(app: App, body: Record<string, unknown>): Promise<Grant> {
  const { status, body: reply } = await call(app, 'POST', '/v1/grants', body);
  expect(status, JSON.stringify(reply)).toBe(201);
  return (reply as { grant: Grant }).grant;
}

const grantsOf = (body: unknown): Grant[] => (body as { grants: Grant[] }).grants;
const issuesOf = (body: unknown): Array<{ path: string; message: string }> => (body as { issues: Array<{ path: string; message: string }> }).issues;

describe('POST /v1/grants', () => {
  it('creates a grant from a duration, by the admin, and stores it', async () => {
    const { app, store } = testApp({ ruleIds: () => RULES });
    const grant = await create(app, { user: 'carol', rule: 'idle-gpu-container', duration: '3d', reason: ' keeps her container until Friday ' });
    expect(grant.id).toMatch(UUID);
    expect(grant).toEqual({
      id: grant.id, user: 'carol', rule: 'idle-gpu-container', until: later(3 * 24 * 60), reason: 'keeps her container until Friday',
      createdBy: 'alice', createdAt: NOW.toISOString(), revokedAt: null, source: 'admin',
    });
    expect(await store.listGrants({}, NOW.toISOString())).toEqual([grant]);
  });

  it('takes until with an offset, normalised to UTC, and * for every rule', async () => {
    const { app } = testApp({ ruleIds: () => RULES });
    const grant = await create(app, { user: 'carol', rule: '*', until: '2026-12-04T18:00:00+01:00', reason: 'r' });
    expect([grant.rule, grant.until]).toEqual(['*', '2026-12-04T17:00:00.000Z']);
  });

  it('refuses an unknown rule id when the app knows the rules, suggesting the closest', async () => {
    const { app, store } = testApp({ ruleIds: () => RULES });
    const { status, body } = await call(app, 'POST', '/v1/grants', { user: 'carol', rule: 'idle-gpu-containr', duration: '1d', reason: 'r' });
    expect(status).toBe(400);
    expect(issuesOf(body)).toEqual([
      { path: 'rule', message: 'no rule "idle-gpu-containr" (did you mean "idle-gpu-container"?); known rules: bare-metal-gpu, idle-gpu-container, max-runtime, or * for every rule' },
    ]);
    expect(await store.listGrants({ includeInactive: true }, NOW.toISOString())).toEqual([]);
  });

  it('takes any well-formed rule id when the app was given no rule ids', async () => {
    const { app } = testApp();
    expect((await create(app, { user: 'carol', rule: 'some-rule', duration: '1h', reason: 'r' })).rule).toBe('some-rule');
  });

  it('names schema problems by path: reason required, bad user and rule, unknown keys', async () => {
    const { app } = testApp();
    const { status, body } = await call(app, 'POST', '/v1/grants', { user: 'a b', rule: 'idle gpu', duration: '1h', reason: '  ', createdBy: 'mallory' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant' });
    expect(issuesOf(body).map((i) => i.path)).toEqual(['user', 'rule', 'reason', 'createdBy']);
    expect(issuesOf(body)[2]?.message).toBe('say why the user is exempt (required)');
    const missing = await call(app, 'POST', '/v1/grants', { user: 'carol', rule: 'r', duration: '1h' });
    expect(issuesOf(missing.body).map((i) => i.path)).toEqual(['reason']);
  });

  it('needs exactly one of until and duration, a readable duration, and an end after now', async () => {
    const { app } = testApp();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{}, 'until', /give until .* or duration \(such as 3d\)/],
      [{ duration: '1d', until: later(60) }, 'duration', /not both/],
      [{ duration: '3 days' }, 'duration', /invalid duration "3 days"/],
      [{ duration: '0s' }, 'duration', /longer than 0s/],
      [{ until: 'friday' }, 'until', /./],
      [{ until: later(-1) }, 'until', /would end in the past \(now is 2026-11-25T17:20:00.000Z\)/],
      [{ until: later(0) }, 'until', /would end in the past/],
    ];
    for (const [patch, path, message] of cases) {
      const { status, body } = await call(app, 'POST', '/v1/grants', { user: 'carol', rule: 'r', reason: 'r', ...patch });
      expect(status, JSON.stringify(patch)).toBe(400);
      expect(issuesOf(body)[0]?.path, JSON.stringify(patch)).toBe(path);
      expect(issuesOf(body)[0]?.message, JSON.stringify(patch)).toMatch(message);
    }
  });

  it('400 invalid_json for a body that is not JSON, 413 for a huge one', async () => {
    const { app } = testApp();
    expect(await call(app, 'POST', '/v1/grants', '{"user":')).toEqual({ status: 400, body: { error: 'invalid_json', message: 'request body is not valid JSON' } });
    expect((await call(app, 'POST', '/v1/grants', { user: 'c', rule: 'r', duration: '1h', reason: 'x'.repeat(20 * 1024) })).status).toBe(413);
  });

  it('401 without a token, 403 with a host token, storing nothing', async () => {
    const { app, store } = testApp();
    const body = { user: 'carol', rule: 'r', duration: '1h', reason: 'r' };
    expect((await call(app, 'POST', '/v1/grants', body, null)).status).toBe(401);
    expect((await call(app, 'POST', '/v1/grants', body, TOKENS.ds01)).status).toBe(403);
    expect(await store.listGrants({ includeInactive: true }, NOW.toISOString())).toEqual([]);
  });
});

describe('grantFromBody', () => {
  it('uses the given id, admin name and clock', () => {
    const grant = grantFromBody({ user: 'u', rule: 'r', duration: '2h', reason: 'why' }, { createdBy: 'root', id: 'id-1', now: NOW });
    expect(grant).toMatchObject({ id: 'id-1', createdBy: 'root', createdAt: NOW.toISOString(), until: later(120) });
  });
});

describe('GET /v1/grants', () => {
  it('lists the grants in force, the lifecycle exemptions among them marked by source', async () => {
    let now = NOW;
    const { app } = testApp({ clock: () => now, grantsFromConfig: () => CONFIG_GRANTS });
    const short = await create(app, { user: 'carol', rule: 'idle-gpu-container', duration: '1h', reason: 'short' });
    now = new Date(later(1));
    const long = await create(app, { user: 'dave', rule: 'max-runtime', duration: '3d', reason: 'long' });
    const active = await call(app, 'GET', '/v1/grants');
    expect(active.status).toBe(200);
    expect(grantsOf(active.body).map((g) => [g.id, g.source])).toEqual([
      [long.id, 'admin'], [short.id, 'admin'], ['ds01-exemption:alice:idle-gpu-container', 'lifecycle-exemptions'],
    ]);
    expect(grantsOf(active.body)[2]).toMatchObject({ until: PERMANENT_UNTIL, reason: 'runs the shared notebook server', createdBy: 'lifecycle-exemptions.yaml' });
    now = new Date(later(61));
    expect(grantsOf((await call(app, 'GET', '/v1/grants')).body).map((g) => g.id)).toEqual([long.id, 'ds01-exemption:alice:idle-gpu-container']);
  });

  it('lists expired and revoked grants too with all=1, and filters by user and rule', async () => {
    const { app } = testApp({ grantsFromConfig: () => CONFIG_GRANTS });
    const carol = await create(app, { user: 'carol', rule: 'idle-gpu-container', duration: '1h', reason: 'r' });
    expect((await call(app, 'DELETE', `/v1/grants/${carol.id}`)).status).toBe(200);
    const all = grantsOf((await call(app, 'GET', '/v1/grants?all=1')).body).map((g) => g.id);
    expect(all.sort()).toEqual([carol.id, 'ds01-exemption:alice:idle-gpu-container', 'ds01-exemption:bob:max-runtime'].sort());
    expect(grantsOf((await call(app, 'GET', '/v1/grants?all=true&user=bob')).body).map((g) => g.id)).toEqual(['ds01-exemption:bob:max-runtime']);
    expect(grantsOf((await call(app, 'GET', '/v1/grants?all=1&rule=idle-gpu-container')).body).map((g) => g.id)).toEqual([carol.id, 'ds01-exemption:alice:idle-gpu-container']);
    expect(grantsOf((await call(app, 'GET', '/v1/grants?user=bob')).body)).toEqual([]);
    expect(grantsOf((await call(app, 'GET', '/v1/grants?all=0&rule=idle-gpu-container')).body).map((g) => g.id)).toEqual(['ds01-exemption:alice:idle-gpu-container']);
  });

  it('400 invalid_query for an unknown parameter or a bad value', async () => {
    const { app } = testApp();
    const { status, body } = await call(app, 'GET', '/v1/grants?all=yes&usr=bob');
    expect(status).toBe(400);
    expect(issuesOf(body).map((i) => i.path)).toEqual(['all', 'usr']);
  });

  it('401 without a token, 403 with a host token', async () => {
    const { app } = testApp();
    expect((await call(app, 'GET', '/v1/grants', undefined, null)).status).toBe(401);
    expect((await call(app, 'GET', '/v1/grants', undefined, TOKENS.ds02)).status).toBe(403);
  });
});

describe('DELETE /v1/grants/:id', () => {
  it('revokes the grant now and returns it; it is no longer in force', async () => {
    let now = NOW;
    const { app, store } = testApp({ clock: () => now });
    const grant = await create(app, { user: 'carol', rule: 'idle-gpu-container', duration: '1d', reason: 'r' });
    now = new Date(later(10));
    const { status, body } = await call(app, 'DELETE', `/v1/grants/${grant.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({ grant: { ...grant, revokedAt: later(10) } });
    expect(await store.listGrants({}, later(10))).toEqual([]);
    expect(grantsOf((await call(app, 'GET', '/v1/grants')).body)).toEqual([]);
  });

  it('404 for an unknown id, 409 when already revoked', async () => {
    const { app } = testApp();
    expect(await call(app, 'DELETE', '/v1/grants/nope')).toEqual({ status: 404, body: { error: 'not_found', message: 'no grant with id "nope"' } });
    const grant = await create(app, { user: 'carol', rule: 'r', duration: '1d', reason: 'r' });
    expect((await call(app, 'DELETE', `/v1/grants/${grant.id}`)).status).toBe(200);
    expect(await call(app, 'DELETE', `/v1/grants/${grant.id}`)).toEqual({
      status: 409, body: { error: 'already_revoked', message: `grant "${grant.id}" was already revoked at ${NOW.toISOString()}` },
    });
  });

  it('409 read_only for a grant from lifecycle-exemptions.yaml, which stays in force', async () => {
    const { app } = testApp({ grantsFromConfig: () => CONFIG_GRANTS });
    const id = 'ds01-exemption:alice:idle-gpu-container';
    expect(await call(app, 'DELETE', `/v1/grants/${encodeURIComponent(id)}`)).toEqual({
      status: 409, body: { error: 'read_only', message: `grant "${id}" comes from lifecycle-exemptions.yaml; edit that file to change or end it` },
    });
    expect(grantsOf((await call(app, 'GET', '/v1/grants')).body).map((g) => g.id)).toEqual([id]);
  });

  it('401 without a token, 403 with a host token, revoking nothing', async () => {
    const { app } = testApp();
    const grant = await create(app, { user: 'carol', rule: 'r', duration: '1d', reason: 'r' });
    expect((await call(app, 'DELETE', `/v1/grants/${grant.id}`, undefined, null)).status).toBe(401);
    expect((await call(app, 'DELETE', `/v1/grants/${grant.id}`, undefined, TOKENS.ds01)).status).toBe(403);
    expect(grantsOf((await call(app, 'GET', '/v1/grants')).body)).toHaveLength(1);
  });
});
