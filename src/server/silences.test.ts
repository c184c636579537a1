import { describe, expect, it } from 'vitest';
import type { Silence } from '../store/store.ts';
import { silenceFromBody } from './routes/silences.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];
interface Reply {
  status: number;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const later = (minutes: number): string => new Date(NOW.getTime() + minutes * 60_000).toISOString();

async function call(app: App, method: string, path: string, body?: unknown, token: string | null = TOKENS.alice): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...(token === null ? {} : bearer(token)), 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await app.request(path, init);
  return { status: res.status, body: await res.json() };
}

async function create(app: App, body: Record<string, unknown>): Promise<Silence> {
  const { status, body: reply } = await call(app, 'POST', '/v1/silences', body);
  expect(status, JSON.stringify(reply)).toBe(201);
  return (reply as { silence: Silence }).silence;
}

const issuesOf = (body: unknown): Array<{ path: string; message: string }> => (body as { issues: Array<{ path: string; message: string }> }).issues;

describe('POST /v1/silences', () => {
  it('creates a silence from matcher text and a duration, by the admin, starting now', async () => {
    const { app, store } = testApp();
    const silence = await create(app, { matchers: ['user=alice', 'alertname=~idle-.*'], comment: 'on holiday', duration: '2h' });
    expect(silence.id).toMatch(UUID);
    expect(silence).toEqual({
      id: silence.id,
      matchers: [
        { name: 'user', value: 'alice', isRegex: false, isEqual: true },
        { name: 'alertname', value: 'idle-.*', isRegex: true, isEqual: true },
      ],
      createdBy: 'alice',
      comment: 'on holiday',
      startsAt: NOW.toISOString(),
      endsAt: later(120),
      expireOnResolve: false,
      createdAt: NOW.toISOString(),
      expiredAt: null,
    });
    expect(await store.listSilences({})).toEqual([silence]);
  });

  it('takes startsAt and endsAt with offsets, normalised to UTC, and expireOnResolve', async () => {
    const { app } = testApp();
    const silence = await create(app, {
      matchers: ['host=ds01'], comment: ' window ', startsAt: '2026-11-25T19:00:00+01:00', endsAt: '2026-11-25T20:30:00Z', expireOnResolve: true,
    });
    expect(silence).toMatchObject({ startsAt: '2026-11-25T18:00:00.000Z', endsAt: '2026-11-25T20:30:00.000Z', expireOnResolve: true, comment: 'window' });
  });

  it('counts a duration from a given startsAt', async () => {
    const { app } = testApp();
    const silence = await create(app, { matchers: ['host=ds01'], comment: 'c', startsAt: later(60), duration: '30m' });
    expect([silence.startsAt, silence.endsAt]).toEqual([later(60), later(90)]);
  });

  it('gives every silence its own id', async () => {
    const { app } = testApp();
    const a = await create(app, { matchers: ['host=ds01'], comment: 'c', duration: '1h' });
    const b = await create(app, { matchers: ['host=ds01'], comment: 'c', duration: '1h' });
    expect(a.id).not.toBe(b.id);
  });

  it('400 invalid_silence with one issue per bad matcher, naming its index', async () => {
    const { app, store } = testApp();
    const { status, body } = await call(app, 'POST', '/v1/silences', { matchers: ['user=alice', 'user', 'alertname=~(idle'], comment: 'c', duration: '1h' });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_silence',
      message: 'body is not a valid silence (2 problem(s))',
      issues: [
        { path: 'matchers.1', message: 'matcher "user" is not valid: use name=value, name!=value, name=~regex or name!~regex (the value may be "quoted")' },
        { path: 'matchers.2', message: 'matcher "alertname=~(idle": "(idle" is not a valid regular expression' },
      ],
    });
    expect(await store.listSilences({})).toEqual([]);
  });

  it('refuses matchers that would mute every alert', async () => {
    const { app } = testApp();
    for (const matchers of [['user!=bob'], ['alertname=~.*'], ['user=""', 'host!~ds01']]) {
      const { status, body } = await call(app, 'POST', '/v1/silences', { matchers, comment: 'c', duration: '1h' });
      expect(status, matchers.join(',')).toBe(400);
      expect(issuesOf(body)[0]?.path).toBe('matchers');
    }
    expect((await call(app, 'POST', '/v1/silences', { matchers: ['user!=bob', 'host=ds01'], comment: 'c', duration: '1h' })).status).toBe(201);
  });

  it('names schema problems by dotted path, unknown keys included', async () => {
    const { app } = testApp();
    const { status, body } = await call(app, 'POST', '/v1/silences', { matchers: [7], comment: '', duration: '1h', expireOnResolve: 'yes', createdBy: 'mallory' });
    expect(status).toBe(400);
    expect(issuesOf(body).map((i) => i.path)).toEqual(['matchers.0', 'comment', 'expireOnResolve', 'createdBy']);
    expect(issuesOf(body).at(-1)).toEqual({ path: 'createdBy', message: 'unknown key' });
  });

  it('needs exactly one of endsAt and duration, a readable duration, and an end after the start and after now', async () => {
    const { app } = testApp();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{}, 'endsAt', /give endsAt .* or duration/],
      [{ duration: '1h', endsAt: later(60) }, 'duration', /not both/],
      [{ duration: '2 hours' }, 'duration', /invalid duration "2 hours"/],
      [{ duration: '1.5h' }, 'duration', /fractions/],
      [{ duration: '0s' }, 'duration', /longer than 0s/],
      [{ endsAt: 'tomorrow' }, 'endsAt', /./],
      [{ startsAt: later(60), endsAt: later(30) }, 'endsAt', /must end after startsAt/],
      [{ endsAt: later(-1) }, 'endsAt', /would end in the past \(now is 2026-11-25T17:20:00.000Z\)/],
      [{ startsAt: later(-120), duration: '1h' }, 'duration', /would end in the past/],
    ];
    for (const [patch, path, message] of cases) {
      const { status, body } = await call(app, 'POST', '/v1/silences', { matchers: ['host=ds01'], comment: 'c', ...patch });
      expect(status, JSON.stringify(patch)).toBe(400);
      expect(issuesOf(body)[0]?.path, JSON.stringify(patch)).toBe(path);
      expect(issuesOf(body)[0]?.message, JSON.stringify(patch)).toMatch(message);
    }
  });

  it('400 invalid_json for a body that is not JSON, 413 for a huge one', async () => {
    const { app } = testApp();
    expect(await call(app, 'POST', '/v1/silences', '{"matchers":')).toEqual({ status: 400, body: { error: 'invalid_json', message: 'request body is not valid JSON' } });
    const huge = { matchers: ['host=ds01'], comment: 'x'.repeat(70 * 1024), duration: '1h' };
    expect((await call(app, 'POST', '/v1/silences', huge)).status).toBe(413);
    expect((await call(app, 'POST', '/v1/silences', [])).status).toBe(400);
  });

  it('401 without a token, 403 with a host token', async () => {
    const { app, store } = testApp();
    const body = { matchers: ['host=ds01'], comment: 'c', duration: '1h' };
    expect((await call(app, 'POST', '/v1/silences', body, null)).status).toBe(401);
    expect((await call(app, 'POST', '/v1/silences', body, TOKENS.ds01)).status).toBe(403);
    expect(await store.listSilences({})).toEqual([]);
  });
});

describe('GET /v1/silences', () => {
  it('lists every silence, or with active=true those in force now', async () => {
    let now = NOW;
    const { app } = testApp({ clock: () => now });
    const future = await create(app, { matchers: ['host=ds01'], comment: 'future', startsAt: later(60), duration: '1h' });
    const current = await create(app, { matchers: ['host=ds02'], comment: 'current', duration: '1h' });
    const all = await call(app, 'GET', '/v1/silences');
    expect(all.status).toBe(200);
    expect((all.body as { silences: Silence[] }).silences.map((s) => s.comment).sort()).toEqual(['current', 'future']);
    expect((await call(app, 'GET', '/v1/silences?active=true')).body).toEqual({ silences: [current] });
    expect((await call(app, 'GET', '/v1/silences?active=false')).body).toEqual(all.body);
    now = new Date(NOW.getTime() + 90 * 60_000);
    expect((await call(app, 'GET', '/v1/silences?active=true')).body).toEqual({ silences: [future] });
  });

  it('400 invalid_query for an unknown parameter, a bad value or a repeat', async () => {
    const { app } = testApp();
    const { status, body } = await call(app, 'GET', '/v1/silences?active=yes&actve=true&active=no');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_query',
      message: 'bad query for GET /v1/silences',
      issues: [
        { path: 'active', message: 'given more than once' },
        { path: 'active', message: 'Invalid option: expected one of "true"|"false"' },
        { path: 'actve', message: 'unknown key' },
      ],
    });
  });

  it('401 without a token, 403 with a host token', async () => {
    const { app } = testApp();
    expect((await call(app, 'GET', '/v1/silences', undefined, null)).status).toBe(401);
    expect((await call(app, 'GET', '/v1/silences', undefined, TOKENS.ds02)).status).toBe(403);
  });
});

describe('DELETE /v1/silences/:id', () => {
  it('expires the silence now and returns it; it is no longer active', async () => {
    let now = NOW;
    const { app, store } = testApp({ clock: () => now });
    const silence = await create(app, { matchers: ['host=ds01'], comment: 'c', duration: '1h' });
    now = new Date(NOW.getTime() + 10 * 60_000);
    const { status, body } = await call(app, 'DELETE', `/v1/silences/${silence.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({ silence: { ...silence, expiredAt: later(10) } });
    expect(await store.listSilences({})).toEqual([{ ...silence, expiredAt: later(10) }]);
    expect((await call(app, 'GET', '/v1/silences?active=true')).body).toEqual({ silences: [] });
  });

  it('404 for an unknown id, 409 for one that already ended', async () => {
    let now = NOW;
    const { app } = testApp({ clock: () => now });
    expect(await call(app, 'DELETE', '/v1/silences/nope')).toEqual({ status: 404, body: { error: 'not_found', message: 'no silence with id "nope"' } });
    const silence = await create(app, { matchers: ['host=ds01'], comment: 'c', duration: '1h' });
    expect((await call(app, 'DELETE', `/v1/silences/${silence.id}`)).status).toBe(200);
    expect(await call(app, 'DELETE', `/v1/silences/${silence.id}`)).toEqual({
      status: 409,
      body: { error: 'already_ended', message: `silence ${silence.id} already ended at ${NOW.toISOString()}` },
    });
    const other = await create(app, { matchers: ['host=ds02'], comment: 'c', duration: '1h' });
    now = new Date(NOW.getTime() + 61 * 60_000);
    expect((await call(app, 'DELETE', `/v1/silences/${other.id}`)).body).toEqual({ error: 'already_ended', message: `silence ${other.id} already ended at ${later(60)}` });
  });

  it('401 without a token, 403 with a host token, and changes nothing', async () => {
    const { app, store } = testApp();
    const silence = await create(app, { matchers: ['host=ds01'], comment: 'c', duration: '1h' });
    expect((await call(app, 'DELETE', `/v1/silences/${silence.id}`, undefined, null)).status).toBe(401);
    expect((await call(app, 'DELETE', `/v1/silences/${silence.id}`, undefined, TOKENS.ds01)).status).toBe(403);
    expect((await store.listSilences({}))[0]?.expiredAt).toBeNull();
  });
});

describe('silenceFromBody', () => {
  it('builds the silence with the given id, author and clock', () => {
    const silence = silenceFromBody({ matchers: ['user="h.baker@hertie-school.lan"'], comment: 'c', duration: '1d' }, { createdBy: 'root', id: 'fixed', now: NOW });
    expect(silence).toMatchObject({ id: 'fixed', createdBy: 'root', endsAt: later(24 * 60), matchers: [{ name: 'user', value: 'h.baker@hertie-school.lan' }] });
  });

  it('throws an HttpError with every issue', () => {
    expect(() => silenceFromBody(null, { createdBy: 'a', id: 'x', now: NOW })).toThrow('body is not a valid silence (1 problem(s))');
  });
});
