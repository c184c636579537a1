// The web view's sign-in in process (app.request): cookie flags, CSRF (origin and token), no open redirect, expiry,
// refused tokens, per-user links. The real-browser version is test/web-browser.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer } from '../test-support.ts';
import { SESSION_TTL_MS } from './session.ts';
import {
  csrfOf, formPost, NOW, SCRAPE_TOKEN, SCRAPE_TOKEN_SHA256, sessionCookieOf, signInAsAdmin, TEST_ORIGIN, TOKENS, webTestApp, withSession,
} from './web-test-support.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('signing in with an admin token', () => {
  it('the scrape token of the tests hashes to what the config holds', () => {
    expect(sha256(SCRAPE_TOKEN)).toBe(SCRAPE_TOKEN_SHA256);
  });

  it('a page without a session redirects to the sign-in form, which has a labelled token field', async () => {
    const { app } = webTestApp();
    const res = await app.request('/ui/');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/login?next=%2Fui%2F');
    const form = await app.request('/ui/login?next=%2Fui%2F');
    expect(form.status).toBe(200);
    const text = await form.text();
    expect(text).toContain('<label for="token">Admin token</label>');
    expect(text).toMatch(/<input id="token" name="token" type="password"/);
    expect(text).toContain('<input type="hidden" name="next" value="/ui/">');
    expect(text).toContain('<html lang="en">');
    expect(text).not.toMatch(/<script/i);
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(form.headers.get('x-frame-options')).toBe('DENY');
  });

  it('the right admin token sets gw_session: HttpOnly, SameSite=Strict, Path=/ui, Max-Age 12 h, not Secure over http; the store keeps only its SHA-256', async () => {
    const { app, store } = webTestApp();
    const res = await app.request('/ui/login', formPost({ token: TOKENS.alice, next: '/ui/' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/');
    const header = res.headers.get('set-cookie') ?? '';
    expect(header).toMatch(/^gw_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/ui; HttpOnly; SameSite=Strict$/);
    const cookie = sessionCookieOf(res) ?? '';
    const session = await store.getWebSession(sha256(cookie), NOW.toISOString());
    expect(session).toMatchObject({ idSha256: sha256(cookie), viewer: { kind: 'admin', name: 'alice' } });
    expect(await store.getWebSession(cookie, NOW.toISOString())).toBeNull();
    expect(JSON.stringify(session)).not.toContain(cookie);
    const overview = await app.request('/ui/', { headers: withSession(cookie) });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('Signed in as <strong>alice</strong> (admin)');
    const events = (await store.listEvents({ type: 'web' })).events;
    expect(events.map((e) => [e.type, e.details])).toEqual([['web.login', { kind: 'admin', via: 'token', by: 'admin:alice' }]]);
    expect(JSON.stringify(events)).not.toContain(TOKENS.alice);
  });

  it('is Secure over https, directly or behind a proxy that says so', async () => {
    const { app } = webTestApp();
    const direct = await app.request('https://gw.example/ui/login', formPost({ token: TOKENS.alice }, { origin: 'https://gw.example' }));
    expect(direct.headers.get('set-cookie')).toMatch(/; Secure/);
    const proxied = await app.request('/ui/login', formPost({ token: TOKENS.alice }, { 'x-forwarded-proto': 'https' }));
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('a wrong token shows the form again with a clear message and 401; failures are recorded, throttled, without the token', async () => {
    const { app, store } = webTestApp();
    for (const token of ['not-the-token', 'another-wrong-one']) {
      const res = await app.request('/ui/login', formPost({ token, next: '/ui/hosts' }));
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      const text = await res.text();
      expect(text).toContain('Wrong token: no admin of this service has that token.');
      expect(text).toContain('role="alert"');
      expect(text).toContain('<input type="hidden" name="next" value="/ui/hosts">');
    }
    const events = (await store.listEvents({ type: 'web' })).events;
    expect(events.map((e) => [e.type, e.details])).toEqual([['web.login_failed', { reason: 'unknown token', leftOut: 0 }]]);
    expect(JSON.stringify(events)).not.toMatch(/not-the-token|another-wrong-one/);
    const empty = await app.request('/ui/login', formPost({ token: '  ' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter your admin token.');
  });

  it('host and scrape tokens are refused with 403 and say what they are for', async () => {
    const { app } = webTestApp();
    const host = await app.request('/ui/login', formPost({ token: TOKENS.ds01 }));
    expect(host.status).toBe(403);
    expect(await host.text()).toContain('That is the probe token of host ds01: probe tokens may only post snapshots. Sign in with an admin token.');
    const scrape = await app.request('/ui/login', formPost({ token: SCRAPE_TOKEN }));
    expect(scrape.status).toBe(403);
    expect(await scrape.text()).toContain('scrape tokens may only read GET /metrics');
    expect(host.headers.get('set-cookie')).toBeNull();
  });

  it('an admin bearer token is not accepted on /ui pages', async () => {
    const { app } = webTestApp();
    const res = await app.request('/ui/', { headers: bearer(TOKENS.alice) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/ui\/login\?next=/);
  });

  it('a session ends when it expires (12 h)', async () => {
    const { app, setNow } = webTestApp();
    const cookie = await signInAsAdmin(app);
    setNow(NOW.getTime() + SESSION_TTL_MS - 1000);
    expect((await app.request('/ui/', { headers: withSession(cookie) })).status).toBe(200);
    setNow(NOW.getTime() + SESSION_TTL_MS);
    const res = await app.request('/ui/users/bob?x=1', { headers: withSession(cookie) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/login?next=%2Fui%2Fusers%2Fbob%3Fx%3D1');
  });

  it('a malformed or unknown cookie is no session', async () => {
    const { app } = webTestApp();
    for (const cookie of ['x', 'A'.repeat(43), `${'A'.repeat(42)}=`]) expect((await app.request('/ui/', { headers: withSession(cookie) })).status).toBe(303);
  });
});

describe('next= after signing in (no open redirect)', () => {
  const cases: [string, string][] = [
    ['/ui/hosts?sort=name', '/ui/hosts?sort=name'],
    ['/ui/users/bob', '/ui/users/bob'],
    ['//evil.example/ui/', '/ui/'],
    ['https://evil.example/ui/', '/ui/'],
    ['/\\evil.example', '/ui/'],
    ['/ui/../v1/alerts', '/ui/'],
    ['/v1/alerts', '/ui/'],
    ['javascript:alert(1)', '/ui/'],
    ['/ui/\nSet-Cookie: x', '/ui/'],
    ['', '/ui/'],
  ];
  for (const [next, landing] of cases) {
    it(`next=${JSON.stringify(next)} lands on ${landing}`, async () => {
      const { app } = webTestApp();
      const res = await app.request('/ui/login', formPost({ token: TOKENS.alice, next }));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(landing);
    });
  }

  it('a signed-in browser opening the form goes on to a safe next', async () => {
    const { app } = webTestApp();
    const cookie = await signInAsAdmin(app);
    const res = await app.request('/ui/login?next=%2F%2Fevil.example', { headers: withSession(cookie) });
    expect(res.headers.get('location')).toBe('/ui/');
  });
});

describe('CSRF', () => {
  it('a sign-in form from another site, or with neither Origin nor Referer, is refused (403); a same-site Referer is enough', async () => {
    const { app } = webTestApp();
    const cross = await app.request('/ui/login', formPost({ token: TOKENS.alice }, { origin: 'http://evil.example' }));
    expect(cross.status).toBe(403);
    expect(cross.headers.get('set-cookie')).toBeNull();
    expect(await cross.text()).toContain('Origin does not match Host');
    const fetchSite = await app.request('/ui/login', formPost({ token: TOKENS.alice }, { 'sec-fetch-site': 'cross-site' }));
    expect(fetchSite.status).toBe(403);
    const bare = await app.request('/ui/login', { method: 'POST', body: `token=${TOKENS.alice}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bare.status).toBe(403);
    const badReferer = await app.request('/ui/login', { method: 'POST', body: `token=${TOKENS.alice}`, headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'http://evil.example/ui/login' } });
    expect(badReferer.status).toBe(403);
    const referer = await app.request('/ui/login', { method: 'POST', body: `token=${TOKENS.alice}`, headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${TEST_ORIGIN}/ui/login` } });
    expect(referer.status).toBe(303);
    // Origin is compared with the Host header the browser sent.
    const proxied = await app.request('/ui/login', formPost({ token: TOKENS.alice }, { host: 'gw.example:8443', origin: 'https://gw.example:8443' }));
    expect(proxied.status).toBe(303);
  });

  it('sign-out needs the session CSRF token and a same-site form; then the old cookie no longer works', async () => {
    const { app, store } = webTestApp();
    const cookie = await signInAsAdmin(app);
    const overview = await (await app.request('/ui/', { headers: withSession(cookie) })).text();
    const csrf = csrfOf(overview);
    expect(overview).toContain('<form method="post" action="/ui/logout">');
    expect((await store.getWebSession(sha256(cookie), NOW.toISOString()))?.csrfToken).toBe(csrf);
    const noToken = await app.request('/ui/logout', formPost({}, withSession(cookie)));
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('CSRF token does not match');
    expect((await app.request('/ui/logout', formPost({ csrf: `${csrf.slice(0, -1)}x` }, withSession(cookie)))).status).toBe(403);
    expect((await app.request('/ui/logout', formPost({ csrf }, withSession(cookie, { origin: 'http://evil.example' })))).status).toBe(403);
    expect((await app.request('/ui/', { headers: withSession(cookie) })).status).toBe(200);
    const out = await app.request('/ui/logout', formPost({ csrf }, withSession(cookie)));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/ui/login');
    expect(out.headers.get('set-cookie')).toMatch(/^gw_session=; Max-Age=0; Path=\/ui; HttpOnly; SameSite=Strict/);
    expect((await app.request('/ui/', { headers: withSession(cookie) })).status).toBe(303);
    expect(await store.getWebSession(sha256(cookie), NOW.toISOString())).toBeNull();
  });

  it('signing in again replaces the browser\'s old session (no fixation)', async () => {
    const { app } = webTestApp();
    const first = await signInAsAdmin(app);
    const again = await app.request('/ui/login', formPost({ token: TOKENS.alice }, withSession(first)));
    const second = sessionCookieOf(again);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect((await app.request('/ui/', { headers: withSession(first) })).status).toBe(303);
    expect((await app.request('/ui/', { headers: withSession(second ?? '') })).status).toBe(200);
  });
});
