// The read-only pages of the web view under /ui/, each behind the guard that signs the viewer in.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { SNAPSHOT_HOST_PATTERN } from '../../../snapshot/schema.ts';
import type { AppEnv } from '../../app-env.ts';
import { maySeeUser, type Viewer } from '../viewer.ts';
import { loadAlerts } from '../models/alerts.ts';
import type { WebModelDeps } from '../models/fleet.ts';
import { loadHostDetail } from '../models/host-detail.ts';
import { loadHosts } from '../models/hosts.ts';
import { loadOverview } from '../models/overview.ts';
import { loadUser, loadUsers } from '../models/users.ts';
import { renderAlerts } from './alerts.ts';
import { page, type NavSection } from '../layout.ts';
import { renderHostDetail } from './host-detail.ts';
import { renderHosts } from './hosts.ts';
import { renderMessage } from './message.ts';
import { renderOverview } from './overview.ts';
import type { Html } from './parts.ts';
import { renderUser } from './user.ts';
import { USAGE_RANGES, type UsageRange } from '../../../usage/ranges.ts';
import { renderUsers } from './users.ts';

/** What the pages need: the loaders' deps, and the usage chart where history is recorded. */
export interface WebPageDeps extends WebModelDeps {
  /** A person's usage chart as SVG over `range`; null or absent: no history recorded (yet). */
  usageChart?: (user: string, range: UsageRange) => Promise<string | null>;
}

type Status = 200 | 400 | 403 | 404;

async function reply(c: Context<AppEnv>, title: string, body: Html, status: Status = 200, nav: NavSection = null): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(await page({ title, viewer: c.get('viewer'), csrfToken: c.get('csrfToken'), body, nav, ownHeading: true }), status);
}

/** The 403 page for a viewer who may not see this page, pointing to what they may see. */
function forbidden(c: Context<AppEnv>, viewer: Viewer, why: string): Promise<Response> {
  const own = { href: `/ui/users/${encodeURIComponent(viewer.name)}`, text: 'Your own page' };
  return reply(c, 'Not allowed', renderMessage('Not allowed', why, own), 403);
}

/**
 * GET /ui/ (overview), /ui/hosts, /ui/hosts/:host, /ui/alerts, /ui/users (admins) and /ui/users/:user (admins, and
 * that person): server-rendered HTML, no JavaScript. `guard` runs first and sets the viewer; a person who is not an
 * admin gets 403 on admin pages, and /ui/ sends them to their own page.
 */
export function registerWebPages(app: Hono<AppEnv>, deps: WebPageDeps, guard: MiddlewareHandler<AppEnv>): void {
  const adminPage = (path: string, handler: (c: Context<AppEnv>) => Promise<Response>): void => {
    app.get(path, guard, async (c) => {
      const viewer = c.get('viewer');
      if (viewer.kind !== 'admin') return forbidden(c, viewer, 'This page is for admins only; you may see your own page.');
      return handler(c);
    });
  };
  app.get('/ui/', guard, async (c) => {
    const viewer = c.get('viewer');
    if (viewer.kind !== 'admin') return c.redirect(`/ui/users/${encodeURIComponent(viewer.name)}`, 302);
    return reply(c, 'Overview', renderOverview(await loadOverview(deps)), 200, 'overview');
  });
  adminPage('/ui/hosts', async (c) => reply(c, 'Hosts', renderHosts(await loadHosts(deps)), 200, 'hosts'));
  adminPage('/ui/hosts/:host', async (c) => {
    const host = c.req.param('host') ?? '';
    const m = host.length <= 253 && SNAPSHOT_HOST_PATTERN.test(host) ? await loadHostDetail(deps, host) : null;
    if (m === null) return reply(c, 'No such host', renderMessage('No such host', `No host named "${host}" has sent a snapshot.`, { href: '/ui/hosts', text: 'All hosts' }), 404);
    return reply(c, `Host ${host}`, renderHostDetail(m), 200, 'hosts');
  });
  adminPage('/ui/alerts', async (c) => reply(c, 'Alerts', renderAlerts(await loadAlerts(deps)), 200, 'alerts'));
  adminPage('/ui/users', async (c) => reply(c, 'Users', renderUsers(await loadUsers(deps)), 200, 'users'));
  app.get('/ui/users/:user', guard, async (c) => {
    const viewer = c.get('viewer');
    const user = c.req.param('user');
    if (!maySeeUser(viewer, user)) return forbidden(c, viewer, `You are signed in as ${viewer.name}: you may see only your own page.`);
    const asked = c.req.query('range') ?? '24h';
    if (!(USAGE_RANGES as readonly string[]).includes(asked)) {
      return reply(c, 'Unknown range', renderMessage('Unknown range', `range "${asked}" is not one of ${USAGE_RANGES.join(', ')}.`, { href: '?range=24h', text: 'The last 24 hours' }), 400);
    }
    const range = asked as UsageRange;
    const chart = deps.usageChart === undefined ? null : await deps.usageChart(user, range);
    return reply(c, user, renderUser(await loadUser(deps, user), range, chart), 200, viewer.kind === 'admin' ? 'users' : 'me');
  });
}
