// The web view's sign-in in a real browser (Debian's chromium through playwright-core) against a real `serve`
// (real HTTP, SQLite file, the shipped capture evaluated): the redirect to the sign-in form, a wrong token, an admin
// signing in and out (the old cookie then dead), a user's sign-in link and the page of another user refused, and a
// sign-out form posted from another origin refused. Each page is saved in test-artifacts/screenshots/.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureService, type CaptureService } from './support/capture-service.ts';
import { launchBrowser, type TestBrowser } from './support/browser.ts';

let svc: CaptureService;
let browser: TestBrowser;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  svc = await startCaptureService('gw-web-browser-');
  expect(await svc.postCapture()).toBe(200);
  browser = await launchBrowser();
  // Another origin (another port) serving a sign-out form aimed at the service: what a malicious page would do.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><form method="post" action="${svc.url}/ui/logout"><input type="hidden" name="csrf" value="guess"><button id="go">Win a GPU</button></form>`);
  });
  await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
  const address = attacker.address();
  attackerUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (attacker === undefined ? done() : attacker.close(() => done())));
  expect(await svc.stop()).toBe(0);
});

/** Mint a sign-in link for `user` through the admin API; its path. */
async function mintLink(user: string): Promise<string> {
  const res = await fetch(`${svc.url}/v1/web/links`, { method: 'POST', body: JSON.stringify({ user }), headers: { authorization: `Bearer ${svc.admin.token}`, 'content-type': 'application/json' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { path: string }).path;
}

/** Submit the sign-in form with `token`; the HTTP status of the POST. */
async function submitToken(token: string): Promise<number> {
  const { page } = browser;
  await page.getByLabel('Admin token').fill(token);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(`${svc.url}/ui/login`) && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

describe('the web view in chromium', { timeout: 60_000 }, () => {
  let adminCookie = '';

  it('/ui/ without a session redirects to the sign-in form', async () => {
    const { page } = browser;
    await page.goto(`${svc.url}/ui/`);
    expect(page.url()).toBe(`${svc.url}/ui/login?next=%2Fui%2F`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.getByLabel('Admin token').getAttribute('type')).toBe('password');
    await browser.screenshot('login');
  });

  it('a wrong token shows the form again with the message (401)', async () => {
    expect(await submitToken('definitely-not-the-token')).toBe(401);
    const { page } = browser;
    expect(await page.getByRole('alert').textContent()).toContain('Wrong token: no admin of this service has that token.');
    expect(await browser.context.cookies()).toEqual([]);
    await browser.screenshot('login-wrong-token');
  });

  it('the admin token signs in and shows the overview; the cookie is HttpOnly, SameSite=Strict, Path=/ui', async () => {
    expect(await submitToken(svc.admin.token)).toBe(303);
    const { page } = browser;
    expect(page.url()).toBe(`${svc.url}/ui/`);
    expect(await page.locator('header').textContent()).toContain('Signed in as ops (admin)');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Overview', 'Hosts', 'Alerts', 'Users']);
    const [cookie] = await browser.context.cookies();
    expect(cookie).toMatchObject({ name: 'gw_session', httpOnly: true, sameSite: 'Strict', path: '/ui', secure: false });
    adminCookie = cookie?.value ?? '';
    expect(adminCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await browser.screenshot('overview-admin');
  });

  it('signing out ends the session: the old cookie no longer works', async () => {
    const { page } = browser;
    await Promise.all([page.waitForURL(`${svc.url}/ui/login`), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await browser.context.cookies()).toEqual([]);
    const replay = await fetch(`${svc.url}/ui/`, { headers: { cookie: `gw_session=${adminCookie}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/ui/login?next=%2Fui%2F');
    await browser.context.addCookies([{ name: 'gw_session', value: adminCookie, domain: '127.0.0.1', path: '/ui' }]);
    await page.goto(`${svc.url}/ui/`);
    expect(page.url()).toMatch(/\/ui\/login\?next=/);
    await browser.screenshot('signed-out');
    await browser.context.clearCookies();
  });

  it('a user link signs in as that user; another user\'s page is refused (403)', async () => {
    const { page } = browser;
    const path = await mintLink('alice');
    await page.goto(`${svc.url}${path}`);
    expect(page.url()).toBe(`${svc.url}/ui/users/alice`);
    expect(await page.locator('header').textContent()).toContain('Signed in as alice');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['My page']);
    await browser.screenshot('user-alice');
    const refused = await page.goto(`${svc.url}/ui/users/bob`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('you may see only your own page');
    await browser.screenshot('user-bob-refused');
  });

  it('a sign-out form posted from another origin is refused, and the session stays', async () => {
    const { page } = browser;
    await page.goto(attackerUrl);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${svc.url}/ui/logout`), page.locator('#go').click()]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Refused: the form was sent from another site');
    await browser.screenshot('cross-origin-refused');
    await page.goto(`${svc.url}/ui/users/alice`);
    expect(await page.locator('header').textContent()).toContain('Signed in as alice');
  });
});
