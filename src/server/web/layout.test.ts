import { describe, expect, it } from 'vitest';
import { html } from 'hono/html';
import { messagePage, page, userPath } from './layout.ts';

const render = async (value: ReturnType<typeof page>): Promise<string> => (await value).toString();

describe('page()', () => {
  it('an admin gets every section in the header, the current one marked, a sign-out form with the CSRF token, a skip link', async () => {
    const text = await render(page({ title: 'Hosts', viewer: { kind: 'admin', name: 'ops' }, csrfToken: 'tok-123', body: html`<p>x</p>`, nav: 'hosts' }));
    expect([...text.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/ui/', '/ui/hosts', '/ui/alerts', '/ui/users']);
    expect(text).toContain('<a href="/ui/hosts" aria-current="page">Hosts</a>');
    expect(text).toContain('<form method="post" action="/ui/logout"><input type="hidden" name="csrf" value="tok-123"><button type="submit">Sign out</button></form>');
    expect(text).toContain('<a class="skip" href="#main">Skip to content</a>');
    expect(text).toContain('<main id="main" tabindex="-1">');
    expect(text).toContain('<title>Hosts · gpuwarden</title>');
    expect(text).toMatch(/:focus-visible\{outline:3px solid/);
    expect(text).not.toMatch(/<script/i);
  });

  it('a user gets only the link to their own page; everything given is escaped', async () => {
    const text = await render(page({ title: '"t" <b>', viewer: { kind: 'user', name: 'a&b' }, csrfToken: '"><x', body: html`<p>${'<img>'}</p>` }));
    expect([...text.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/ui/users/a%26b']);
    expect(text).toContain('<h1>&quot;t&quot; &lt;b&gt;</h1>');
    expect(text).toContain('value="&quot;&gt;&lt;x"');
    expect(text).toContain('Signed in as <strong>a&amp;b</strong></span>');
    expect(text).toContain('<p>&lt;img&gt;</p>');
  });

  it('without a viewer (the sign-in page) there is no navigation and no sign-out form', async () => {
    const text = await render(messagePage({ title: 'Refused', message: 'no <way>', viewer: null, csrfToken: null }));
    expect(text).not.toContain('<nav');
    expect(text).not.toContain('/ui/logout');
    expect(text).toContain('<p class="message" role="alert">no &lt;way&gt;</p>');
  });

  it('header links stay white when visited (a:visited would otherwise win over "header a": purple on the dark header)', async () => {
    const text = await render(page({ title: 't', viewer: null, csrfToken: null, body: html`` }));
    expect(text).toMatch(/header a,header a:visited\{color:#fff\}/);
  });

  it('userPath encodes the name', () => {
    expect(userPath('h.baker@x/y')).toBe('/ui/users/h.baker%40x%2Fy');
  });
});
