// Every page of the web view in a real browser (Debian's chromium through playwright-core) on a seeded SQLite store
// served over real HTTP: a small fleet with a MIG host, a silent host, a person over quota holding GPUs idle,
// firing and pending alerts, a silence, enforcement actions and a week of usage history. An admin signs in and reads
// each page; a person signed in by their link reads their own page and is refused the others'. Each page is saved
// in test-artifacts/screenshots/ (the README's screenshot is the overview's).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { sha256Hex } from '../src/server/auth.ts';
import type { ServiceCore } from '../src/service/core.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { launchBrowser, type TestBrowser } from './support/browser.ts';
import { SEED_HOSTS, seedWebStore } from './support/seed-web-store.ts';

const ADMIN_TOKEN = 'web-pages-admin-token-0123456789abcdef';

// The pages read the store and the in-memory snapshots; nothing here posts a snapshot, so the core is never called.
const unusedCore: ServiceCore = {
  ingest: () => Promise.reject(new Error('this test posts no snapshots')),
  tick: () => Promise.resolve(),
};

let dir: string;
let store: Store;
let server: ServerType;
let url: string;
let browser: TestBrowser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-web-pages-'));
  store = openStore(join(dir, 'gpuwarden.sqlite'));
  const fleet = await seedWebStore(store);
  const app = createApp({ store, core: unusedCore, latest: fleet.latest, clock: () => fleet.now, auth: { hosts: [], admins: [{ name: 'ops', tokenSha256: await sha256Hex(ADMIN_TOKEN) }] } });
  await new Promise<void>((ready) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      url = `http://127.0.0.1:${info.port}`;
      ready();
    });
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The visible text of the page's main region, whitespace collapsed. */
async function mainText(): Promise<string> {
  return ((await browser.page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ');
}

/** Go to `path`; the HTTP status. */
async function visit(path: string): Promise<number> {
  const response = await browser.page.goto(`${url}${path}`);
  return response?.status() ?? 0;
}

describe('the web view\'s pages in chromium, on a seeded fleet', { timeout: 60_000 }, () => {
  it('asks an admin to sign in, then shows the overview: the silent host named, alerts, who holds what against quota', async () => {
    expect(await visit('/ui/')).toBe(200);
    expect(browser.page.url()).toBe(`${url}/ui/login?next=%2Fui%2F`);
    await browser.page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await Promise.all([browser.page.waitForURL(`${url}/ui/`), browser.page.getByRole('button', { name: 'Sign in' }).click()]);
    const text = await mainText();
    expect(text).toContain(`3 hosts: 1 silent (${SEED_HOSTS.silent}), 1 with source errors (${SEED_HOSTS.silent}).`);
    expect(text).toContain('3 alerts firing, 1 pending.');
    expect(text).toContain('alice 3 of 2 over quota');
    expect(text).toMatch(/alice-notebook gpu02 alice 0, 1, 2 3 3 h 3 min/);
    await browser.screenshot('overview');
  });

  it('reaches every page from the keyboard: the skip link first, then the header links', async () => {
    await browser.page.keyboard.press('Tab');
    expect(await browser.page.locator(':focus').textContent()).toBe('Skip to content');
    await browser.page.keyboard.press('Tab');
    await browser.page.keyboard.press('Tab');
    await browser.page.keyboard.press('Tab');
    expect(await browser.page.locator(':focus').getAttribute('href')).toBe('/ui/hosts');
    await Promise.all([browser.page.waitForURL(`${url}/ui/hosts`), browser.page.keyboard.press('Enter')]);
  });

  it('hosts: each probe up or silent with its failed collector, GPUs and people', async () => {
    expect(await visit('/ui/hosts')).toBe(200);
    const text = await mainText();
    expect(text).toContain('ds01-demo up just now none 1 (4 MIG instances) daemon, games, h.baker@hertie-school.lan, man, sys, www-data');
    expect(text).toContain('gpu03 silent 1 h 2 min ago 1 failed docker: connect ENOENT /var/run/docker.sock');
    await browser.screenshot('hosts');
  });

  it('a MIG host: who uses each instance, the untracked host process, the host\'s alert and its silence', async () => {
    await Promise.all([browser.page.waitForURL(`${url}/ui/hosts/${SEED_HOSTS.mig}`), browser.page.getByRole('link', { name: SEED_HOSTS.mig, exact: true }).click()]);
    const text = await mainText();
    expect(text).toContain('0:0 (3g.40gb) 10.8 GiB of 39.5 GiB gwe2e31671-compose man 1.24 GiB not reported (MIG)');
    expect(text).toContain('gwe2e31671-ds01 h.baker@hertie-school.lan 2.24 GiB');
    expect(text).toContain('untracked host processes daemon 7.31 GiB');
    expect(text).toContain('silenced by silence seed-silence-daemon');
    await browser.screenshot('host-mig');
  });

  it('alerts: firing and pending with evidence, the silence in force, actions scheduled and done', async () => {
    expect(await visit('/ui/alerts')).toBe(200);
    const text = await mainText();
    expect(text).toContain('Firing (3)');
    expect(text).toContain('alice-notebook has held 3 GPUs idle for 3 h idle-gpu (stage stop) firing');
    expect(text).toContain('Pending (1)');
    expect(text).toContain('seed-silence-daemon user=daemon admin-alice daemon runs the nightly benchmark');
    expect(text).toMatch(/stop-container alice-notebook scheduled gpu02 alice .* not before Wed 2026-11-25 17:38 UTC \(in 20 min\)/);
    expect(text).toContain('warn alice-notebook done gpu02 alice');
    await browser.screenshot('alerts');
  });

  it('users: quota and fair share per person', async () => {
    expect(await visit('/ui/users')).toBe(200);
    const text = await mainText();
    expect(text).toContain('alice 3 of 2 over quota 1 gpu02 2 firing, 0 pending gpu02: 41.5 decayed GPU-hours, 2.22× an equal share (18.7) above an equal share');
    await browser.screenshot('users');
  });

  it('a person\'s page over 7 days: the usage chart from the stored history, with its summary and the quota line', async () => {
    expect(await visit('/ui/users/alice?range=7d')).toBe(200);
    const chart = browser.page.getByRole('img', { name: /alice/ });
    expect(await chart.count()).toBe(1);
    const summary = await chart.locator('desc').textContent();
    expect(summary).toMatch(/^alice held on average [\d.]+ GPU-equivalents, peak 3 \(quota 2\), over the last 7 days/);
    // The dashed quota line spans the plot (the legend has a short swatch of it too).
    const quota = chart.locator('line.uc-quota').first();
    expect(Number(await quota.getAttribute('x2')) - Number(await quota.getAttribute('x1'))).toBeGreaterThan(500);
    expect(await chart.locator('rect.uc-active').count()).toBeGreaterThan(10);
    await browser.screenshot('user-alice-7d');
  });

  it('a person signed in by their link sees their own page and chart, and is refused the admin pages and others\' pages', async () => {
    const res = await fetch(`${url}/v1/web/links`, { method: 'POST', body: JSON.stringify({ user: 'bob' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    const { path } = (await res.json()) as { path: string };
    await browser.page.goto(`${url}${path}`);
    expect(browser.page.url()).toBe(`${url}/ui/users/bob`);
    const text = await mainText();
    expect(text).toContain('bob-train gpu02 3 1');
    expect(await browser.page.getByRole('img', { name: /bob/ }).locator('desc').textContent()).toMatch(/^bob held on average/);
    await browser.screenshot('user-bob');
    expect(await visit('/ui/users/alice')).toBe(403);
    expect(await mainText()).toContain('You are signed in as bob: you may see only your own page.');
    for (const path of ['/ui/hosts', '/ui/alerts', '/ui/users']) expect(await visit(path), path).toBe(403);
    expect(await visit('/ui/')).toBe(200);
    expect(browser.page.url()).toBe(`${url}/ui/users/bob`);
  });
});
