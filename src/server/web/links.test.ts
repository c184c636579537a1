// Per-user sign-in links: minted by an admin (POST /v1/web/links), opened by the person (GET /ui/me/<key>).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer } from '../test-support.ts';
import { NO_PUBLIC_URL_NOTE, type LinkReply } from './links.ts';
import { NOW, sessionCookieOf, TOKENS, webTestApp, withSession, type WebTestApp } from './web-test-support.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function mint(app: WebTestApp['app'], body: unknown, token: string = TOKENS.alice): Promise<Response> {
  return app.request('/v1/web/links', { method: 'POST', body: JSON.stringify(body), headers: { ...bearer(token), 'content-type': 'application/json' } });
}

async function mintOk(app: WebTestApp['app'], body: unknown): Promise<LinkReply> {
  const res = await mint(app, body);
  expect(res.status).toBe(201);
  return (await res.json()) as LinkReply;
}

describe('POST /v1/web/links', () => {
  it('gives the whole URL on the public URL, lasting 30 days by default; the store keeps only the key\'s SHA-256', async () => {
    const { app, store } = webTestApp({ publicUrl: 'https://gpu.example.org' });
    const reply = await mintOk(app, { user: 'bob' });
    expect(reply).toEqual({ user: 'bob', path: expect.stringMatching(/^\/ui\/me\/[A-Za-z0-9_-]{43}$/), url: `https://gpu.example.org${reply.path}`, expiresAt: new Date(NOW.getTime() + 30 * 86_400_000).toISOString() });
    const key = reply.path.slice('/ui/me/'.length);
    expect(await store.takeUserLink(key, NOW.toISOString())).toBeNull();
    expect(await store.takeUserLink(sha256(key), NOW.toISOString())).toMatchObject({ user: 'bob', createdBy: 'admin:alice', uses: 1 });
    const events = (await store.listEvents({ type: 'web' })).events;
    expect(events.map((e) => [e.type, e.user, e.details])).toEqual([['web.link_created', 'bob', { by: 'admin:alice', expiresAt: reply.expiresAt }]]);
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(events)).not.toContain(sha256(key));
  });

  it('without a public URL gives the path only and says so; ttl sets the lifetime', async () => {
    const { app } = webTestApp();
    const reply = await mintOk(app, { user: 'bob', ttl: '7d' });
    expect(reply.url).toBeNull();
    expect(reply.note).toBe(NO_PUBLIC_URL_NOTE);
    expect(reply.expiresAt).toBe(new Date(NOW.getTime() + 7 * 86_400_000).toISOString());
  });

  it('refuses bad requests naming the field, and every token but an admin one', async () => {
    const { app } = webTestApp();
    const badTtl = await mint(app, { user: 'bob', ttl: '7 days' });
    expect(badTtl.status).toBe(400);
    expect(await badTtl.json()).toMatchObject({ error: 'invalid_link', issues: [{ path: 'ttl', message: expect.stringContaining('invalid duration "7 days"') }] });
    expect(await (await mint(app, { user: 'bob', ttl: '400d' })).json()).toMatchObject({ issues: [{ path: 'ttl', message: 'must be from 1m to 365d' }] });
    expect(await (await mint(app, { user: 'b o b' })).json()).toMatchObject({ issues: [{ path: 'user' }] });
    expect(await (await mint(app, { user: 'bob', extra: 1 })).json()).toMatchObject({ error: 'invalid_link' });
    expect((await mint(app, { user: 'bob' }, TOKENS.ds01)).status).toBe(403);
    expect((await app.request('/v1/web/links', { method: 'POST', body: '{"user":"bob"}' })).status).toBe(401);
  });
});

describe('GET /ui/me/<key>', () => {
  it('signs the person in as that user and moves on to their page (key out of the address bar); they see only their own page', async () => {
    const { app, store } = webTestApp();
    const { path } = await mintOk(app, { user: 'bob' });
    const res = await app.request(path);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/users/bob');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('set-cookie')).toMatch(/^gw_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/ui; HttpOnly; SameSite=Strict$/);
    const cookie = sessionCookieOf(res) ?? '';
    const own = await app.request('/ui/users/bob', { headers: withSession(cookie) });
    expect(own.status).toBe(200);
    const text = await own.text();
    expect(text).toContain('Signed in as <strong>bob</strong>');
    expect(text).toContain('<a href="/ui/users/bob" aria-current="page">My page</a>');
    expect(text).not.toContain('href="/ui/hosts"');
    const other = await app.request('/ui/users/carol', { headers: withSession(cookie) });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('you may see only your own page');
    const events = (await store.listEvents({ type: 'web.login' })).events;
    expect(events.map((e) => [e.user, e.details])).toEqual([['bob', { kind: 'user', via: 'link', linkCreatedBy: 'admin:alice' }]]);
  });

  it('a link works again until it expires, then says so (404)', async () => {
    const { app, setNow } = webTestApp();
    const { path } = await mintOk(app, { user: 'bob', ttl: '1h' });
    expect((await app.request(path)).status).toBe(303);
    setNow(NOW.getTime() + 59 * 60_000);
    expect((await app.request(path)).status).toBe(303);
    setNow(NOW.getTime() + 60 * 60_000);
    const expired = await app.request(path);
    expect(expired.status).toBe(404);
    expect(expired.headers.get('set-cookie')).toBeNull();
    expect(await expired.text()).toContain('This sign-in link is unknown or has expired.');
    expect((await app.request('/ui/me/not-a-key')).status).toBe(404);
  });

  it('a user name is escaped on the page and in its address', async () => {
    const { app } = webTestApp();
    const { path } = await mintOk(app, { user: '<i>x</i>' });
    const res = await app.request(path);
    expect(res.headers.get('location')).toBe('/ui/users/%3Ci%3Ex%3C%2Fi%3E');
    const page = await (await app.request('/ui/users/%3Ci%3Ex%3C%2Fi%3E', { headers: withSession(sessionCookieOf(res) ?? '') })).text();
    expect(page).toContain('&lt;i&gt;x&lt;/i&gt;');
    expect(page).not.toContain('<i>x</i>');
  });
});
