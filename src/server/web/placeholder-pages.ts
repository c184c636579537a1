// Stand-ins until the read-only pages land (src/server/web/pages/, registerWebPages): the overview and a user's
// page, each behind requireViewer, so the sign-in has pages to land on and its tests something to look at. The
// user page already refuses (403) anyone but that user and admins (maySeeUser). Remove with the real pages.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../app-env.ts';
import { messagePage, page } from './layout.ts';
import { requireViewer, type SessionDeps } from './session.ts';
import { maySeeUser } from './viewer.ts';

/** GET /ui/ (overview) and GET /ui/users/:name, placeholders guarded like the real pages will be. */
export function registerPlaceholderPages(app: Hono<AppEnv>, deps: SessionDeps): void {
  const guard = requireViewer(deps);
  app.get('/ui/', guard, (c) => {
    const viewer = c.get('viewer');
    return c.html(page({ title: 'Overview', viewer, csrfToken: c.get('csrfToken'), nav: viewer.kind === 'admin' ? 'overview' : null, body: html`<p>Signed in as ${viewer.name}. The fleet's overview comes here.</p>` }));
  });
  app.get('/ui/users/:name', guard, (c) => {
    const viewer = c.get('viewer');
    const name = c.req.param('name');
    if (!maySeeUser(viewer, name)) {
      return c.html(messagePage({ title: 'Not your page', message: `You are signed in as ${viewer.name}: you may see only your own page.`, viewer, csrfToken: c.get('csrfToken') }), 403);
    }
    return c.html(page({ title: name, viewer, csrfToken: c.get('csrfToken'), nav: viewer.kind === 'admin' ? 'users' : 'me', body: html`<p>The containers, alerts and usage of ${name} come here.</p>` }));
  });
}
