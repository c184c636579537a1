// The web view's sign-in inside workerd, through the Workers entry on D1: an admin signs in with the form and
// sees /ui/ (the cookie Secure over https), and a sign-in link minted there (on GPUWARDEN_PUBLIC_URL) opens a user's page.
import { applyD1Migrations, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/server/worker.ts';
import type { WorkerEnv } from '../../src/server/worker-env.ts';
import { bearer, TOKEN_SHA256, TOKENS } from '../../src/server/test-support.ts';
import { sessionCookieOf, withSession } from '../../src/server/web/web-test-support.ts';
import { container, gpu, proc, snapshot } from '../support/snapshot-factory.ts';

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

/** bob trains on GPU 0 of ds01, in a snapshot taken `secondsAgo` before now. */
function bobTraining(secondsAgo: number) {
  const box = container('bob-train', 'bob', { devices: ['GPU-0'] });
  return snapshot(new Date(Date.now() - secondsAgo * 1000).toISOString(), {
    gpus: [gpu(0, { utilizationPct: 95 })], containers: [box],
    gpuProcesses: [proc(4102, { gpuUuid: 'GPU-0', usedMemoryMiB: 9000, user: 'bob', kind: 'container', containerId: box.id, userSource: 'container-owner' })],
  });
}

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

  it('the pages read D1: hosts, alerts, a person\'s usage chart from the stored history, and say live detail is not available', async () => {
    for (const ago of [60, 30]) {
      const posted = await call('/v1/snapshots', { method: 'POST', body: JSON.stringify(bobTraining(ago)), headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' } });
      expect(posted.status).toBe(200);
    }
    const login = await call('/ui/login', { method: 'POST', body: new URLSearchParams({ token: TOKENS.alice, next: '/ui/' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN } });
    const session = withSession(sessionCookieOf(login) ?? '');
    const hosts = await (await call('/ui/hosts', { headers: session })).text();
    expect(hosts).toContain('<a href="/ui/hosts/ds01">ds01</a>');
    expect(hosts).toContain('Live per-GPU detail is not available on this runtime');
    expect((await call('/ui/alerts', { headers: session })).status).toBe(200);
    const bob = await (await call('/ui/users/bob?range=24h', { headers: session })).text();
    // 30 s of one GPU between the two snapshots, in 5-minute buckets: 0.01 GPU-hours, a peak bucket of at most 0.1.
    expect(bob).toMatch(/<desc[^>]*>bob held on average [\d.]+ GPU-equivalents, peak 0\.\d+ \(quota 2\), over the last 24 hours: 0\.01 GPU-hours, 0 GPU-hours of them idle\./);
  });
});

