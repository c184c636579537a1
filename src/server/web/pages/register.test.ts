// The pages through app.request: content, the guard, 403s for people who are not admins, 404/400 pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, accessibilityProblems, openSeededStore, webApp, webDeps, type SeededStore } from '../web-test-app.test-support.ts';

let seeded: SeededStore;
beforeAll(async () => {
  seeded = await openSeededStore();
});
afterAll(async () => {
  await seeded.close();
});

const ADMIN_PAGES = ['/ui/', '/ui/hosts', '/ui/hosts/ds01-demo', '/ui/alerts', '/ui/users', '/ui/users/alice'];

describe('registerWebPages', () => {
  it('every page answers an admin with an accessible HTML page, not cached', async () => {
    const app = webApp(webDeps(seeded));
    for (const path of ADMIN_PAGES) {
      const res = await app.request(path, { headers: as('admin', 'root') });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      const page = await res.text();
      expect(page, path).toContain('<html lang="en">');
      expect(accessibilityProblems(page), path).toEqual([]);
    }
  });

  it('runs the guard first: no viewer, no page', async () => {
    const app = webApp(webDeps(seeded));
    for (const path of ADMIN_PAGES) expect((await app.request(path)).status, path).toBe(401);
  });

  it('a person who is not an admin gets 403 on admin pages, a plain page pointing to their own', async () => {
    const app = webApp(webDeps(seeded));
    for (const path of ['/ui/hosts', '/ui/hosts/ds01-demo', '/ui/alerts', '/ui/users']) {
      const res = await app.request(path, { headers: as('user', 'bob') });
      expect(res.status, path).toBe(403);
      const page = await res.text();
      expect(page).toContain('<h1>Not allowed</h1>');
      expect(page).toContain('<a href="/ui/users/bob">Your own page</a>');
      expect(page).not.toContain('alice');
    }
  });

  it('/ui/ sends a person who is not an admin to their own page', async () => {
    const res = await webApp(webDeps(seeded)).request('/ui/', { headers: as('user', 'h.baker@hertie-school.lan') });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/ui/users/h.baker%40hertie-school.lan');
  });

  it('/ui/users/:user: the person themself and admins, 403 for anyone else', async () => {
    const app = webApp(webDeps(seeded));
    const own = await app.request('/ui/users/alice', { headers: as('user', 'alice') });
    expect(own.status).toBe(200);
    const page = await own.text();
    expect(page).toContain('<h1>alice</h1>');
    expect(page).toContain('3 of 2 <span class="badge bad">over quota</span>');
    expect(page).toContain('alice-notebook has held 3 GPUs idle for 3 h');
    expect(page).not.toContain('href="/ui/hosts"');
    const other = await app.request('/ui/users/alice', { headers: as('user', 'bob') });
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('alice-notebook');
    expect((await app.request('/ui/users/h.baker%40hertie-school.lan', { headers: as('user', 'h.baker@hertie-school.lan') })).status).toBe(200);
  });

  it('the overview, hosts, host, alerts and users pages show the seeded fleet', async () => {
    const app = webApp(webDeps(seeded));
    const get = async (path: string): Promise<string> => (await app.request(path, { headers: as('admin', 'root') })).text();
    expect(await get('/ui/')).toContain('3 hosts: 1 silent (<a href="/ui/hosts/gpu03">gpu03</a>), 1 with source errors (<a href="/ui/hosts/gpu03">gpu03</a>).');
    const hosts = await get('/ui/hosts');
    expect(hosts).toMatch(/gpu03<\/a><\/th><td><span class="badge bad">silent<\/span><\/td><td><time datetime="2026-11-25T16:16:30.000Z" title="Wed 2026-11-25 16:16 UTC">1 h 2 min ago<\/time>/);
    const host = await get('/ui/hosts/ds01-demo');
    expect(host).toContain('0:0 (3g.40gb)');
    expect(host).toContain('<span class="badge warn">untracked</span> host processes');
    expect(host).toContain('daemon runs a GPU process outside any container');
    const alerts = await get('/ui/alerts');
    expect(alerts).toContain('<h2 id="a-firing">Firing (3)</h2>');
    expect(alerts).toContain('<code>user=daemon</code>');
    expect(alerts).toMatch(/stop-container alice-notebook<\/th><td><span class="badge warn">scheduled<\/span>/);
    expect(alerts).toMatch(/warn alice-notebook<\/th><td><span class="badge ok">done<\/span>/);
    expect(await get('/ui/users')).toContain('gpu02: 41.5 decayed GPU-hours, 2.22× an equal share (18.7)');
  });

  it('on Workers (latest null) the pages say live detail is not available instead of showing nothing', async () => {
    const app = webApp(webDeps(seeded, { latest: null }));
    for (const path of ['/ui/', '/ui/hosts', '/ui/hosts/gpu02', '/ui/users', '/ui/users/alice']) {
      const page = await (await app.request(path, { headers: as('admin', 'root') })).text();
      expect(page, path).toContain('Live per-GPU detail is not available on this runtime');
    }
  });

  it('an unknown or malformed host is a 404 page', async () => {
    const app = webApp(webDeps(seeded));
    for (const host of ['nope', '..%2Fetc', '%3Cb%3E']) {
      const res = await app.request(`/ui/hosts/${host}`, { headers: as('admin', 'root') });
      expect(res.status, host).toBe(404);
      const page = await res.text();
      expect(page).toContain('<h1>No such host</h1>');
      expect(page).not.toContain('<b>');
    }
  });

  it('the usage chart: range links, the chart from deps.usageChart for the range asked, 400 for another range', async () => {
    const asked: string[] = [];
    const usageChart = (user: string, range: '24h' | '7d' | '30d'): Promise<string | null> => {
      asked.push(`${user} ${range}`);
      return Promise.resolve(`<svg role="img" aria-label="${range}"></svg>`);
    };
    const app = webApp(webDeps(seeded, { usageChart }));
    const page = await (await app.request('/ui/users/bob?range=30d', { headers: as('user', 'bob') })).text();
    expect(page).toContain('<svg role="img" aria-label="30d"></svg>');
    expect(page).toContain('<a href="?range=30d" aria-current="page">');
    expect(page).toContain('<a href="?range=24h">the last 24 hours</a>');
    await app.request('/ui/users/bob', { headers: as('user', 'bob') });
    expect(asked).toEqual(['bob 30d', 'bob 24h']);
    const bad = await app.request('/ui/users/bob?range=1y', { headers: as('user', 'bob') });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('range &quot;1y&quot; is not one of 24h, 7d, 30d.');
    const none = await (await webApp(webDeps(seeded)).request('/ui/users/bob', { headers: as('user', 'bob') })).text();
    expect(none).toContain('Usage history is not recorded yet.');
  });
});
