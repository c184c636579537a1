// The web view's sign-in inside workerd, through the Workers entry on D1: an admin signs in with the form and
// sees /ui/ (the cookie Secure over https), and a sign-in link minted there (on GPUWARDEN_PUBLIC_URL) opens a user's page.
import { applyD1Migrations, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/server/worker.ts';
import type { WorkerEnv } from '../../src/server/worker-env.ts';
import { bearer, TOKEN_SHA256, TOKENS } from '../../src/server/test-support.ts';
import { sessionCookieOf, withSession } from '../../src/server/web/web-test-support.ts';

beforeAll(async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

const ORIGIN = 'https://gpuwarden.example';
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
const workerEnv = (): WorkerEnv => ({
  DB: env.DB,
  HOST_WRITER: env.HOST_WRITER as WorkerEnv['HOST_WRITER'],
  GPUWARDEN_HOST_TOKENS: JSON.stringify({ ds01: TOKEN_SHA256.ds01 }),
  GPUWARDEN_ADMIN_TOKENS: JSON.stringify({ alice: TOKEN_SHA256.alice }),
  GPUWARDEN_PUBLIC_URL: `${ORIGIN}/`,
});
const call = (path: string, init: RequestInit = {}): Promise<Response> => Promise.resolve(worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), workerEnv(), ctx));

describe('the web view on Workers (D1)', () => {
  it('an admin signs in with the form and sees the overview', async () => {
    expect((await call('/ui/')).headers.get('location')).toBe('/ui/login?next=%2Fui%2F');
    const login = await call('/ui/login', { method: 'POST', body: new URLSearchParams({ token: TOKENS.alice, next: '/ui/' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN } });
    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toMatch(/^gw_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/ui; HttpOnly; Secure; SameSite=Strict$/);
    const overview = await call('/ui/', { headers: withSession(sessionCookieOf(login) ?? '') });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('Signed in as <strong>alice</strong> (admin)');
  });

  it('a link minted on the public URL signs in as that user', async () => {
    const minted = await call('/v1/web/links', { method: 'POST', body: JSON.stringify({ user: 'bob', ttl: '1d' }), headers: { ...bearer(TOKENS.alice), 'content-type': 'application/json' } });
    expect(minted.status).toBe(201);
    const { url, path } = (await minted.json()) as { url: string; path: string };
    expect(url).toBe(`${ORIGIN}${path}`);
    const opened = await call(path);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/ui/users/bob');
    const own = await call('/ui/users/bob', { headers: withSession(sessionCookieOf(opened) ?? '') });
    expect(await own.text()).toContain('Signed in as <strong>bob</strong>');
  });
});
