// Sign-in and sign-out of the web view: GET/POST /ui/login (an admin token, checked exactly as the API checks it),
// POST /ui/logout, GET /ui/me/<key> (a user's sign-in link), and POST /v1/web/links (links.ts). Every POST form is
// checked for its origin (same-origin.ts) and, once signed in, for the session's CSRF token.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { html } from 'hono/html';
import { createRejectionThrottle } from '../../events/rejection-throttle.ts';
import { webLoginEvent, webLoginFailedEvent } from '../../events/web-events.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../auth.ts';
import { sha256Hex } from '../auth.ts';
import { messagePage, page, userPath, type Html } from './layout.ts';
import { LINK_PATH_PREFIX, registerLinkRoute } from './links.ts';
import { crossOriginProblem } from './same-origin.ts';
import { safeNextPath } from './safe-next.ts';
import { currentSession, endSession, requireViewer, startSession } from './session.ts';
import { sameSecret, WEB_SECRET_PATTERN } from './web-secret.ts';

/** The largest sign-in or sign-out form body: a token, a CSRF token and a path. */
export const FORM_BODY_LIMIT_BYTES = 16 * 1024;
/** A token longer than this is refused without being hashed (the API bounds bearer tokens the same way). */
const MAX_TOKEN_LENGTH = 1024;

/** What the web view's sign-in needs. */
export interface WebAuthDeps {
  store: Store;
  clock: () => Date;
  /** Whom a token belongs to, through the API's compiled token digests (auth.ts), or null. */
  principalOfToken: (token: string) => Promise<Principal | null>;
  /** The API's bearer-token check, for POST /v1/web/links. */
  authenticated: MiddlewareHandler<AppEnv>;
  /** The service's public base URL for sign-in links; null: links are given as paths. */
  publicUrl: string | null;
}

/** Headers of every web view reply: never cached, never framed, no scripts, no referrer to other sites. */
const webHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const set = (name: string, value: string): void => {
    if (!c.res.headers.has(name)) c.header(name, value);
  };
  set('Cache-Control', 'no-store');
  set('X-Frame-Options', 'DENY');
  set('X-Content-Type-Options', 'nosniff');
  set('Referrer-Policy', 'same-origin');
  set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
});

/** The sign-in form, with a message when the last try failed. */
export function loginPage(input: { next: string; message?: string }): Html {
  const message = input.message === undefined ? '' : html`<p class="message" role="alert" id="login-message">${input.message}</p>`;
  return page({
    title: 'Sign in',
    viewer: null,
    csrfToken: null,
    body: html`${message}<form method="post" action="/ui/login">
<input type="hidden" name="next" value="${input.next}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required${input.message === undefined ? '' : html` aria-describedby="login-message"`}>
<p><button type="submit">Sign in</button></p>
</form>
<p class="note">Not an admin? Open the sign-in link an admin sent you: it shows your own containers, alerts and usage.</p>`,
  });
}

/** A form field of a parsed body as one string ('' when absent or repeated). */
function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** The reply to a POST from another site: 403 with a page that says so. */
function refuseCrossOrigin(c: Context<AppEnv>, problem: string): Response | Promise<Response> {
  return c.html(messagePage({ title: 'Refused', message: `Refused: ${problem}. Use the forms of this site.`, viewer: null, csrfToken: null }), 403);
}

/**
 * For POST forms of signed-in pages (after requireViewer): refuses (403) a form from another site or without the
 * session's CSRF token (hidden field `csrf`). The parsed body stays available through c.req.parseBody().
 */
export const requireFormToken: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const problem = crossOriginProblem(c);
  if (problem !== null) return refuseCrossOrigin(c, problem);
  const body = await c.req.parseBody();
  if (!sameSecret(field(body, 'csrf'), c.get('csrfToken'))) {
    return c.html(messagePage({ title: 'Refused', message: 'Refused: the form is stale or not from this site (its CSRF token does not match). Reload the page and try again.', viewer: c.get('viewer'), csrfToken: c.get('csrfToken') }), 403);
  }
  await next();
});

/** Refuse a cross-origin POST before anything else is looked at. */
const sameOriginPost = createMiddleware<AppEnv>(async (c, next) => {
  const problem = crossOriginProblem(c);
  if (problem !== null) return refuseCrossOrigin(c, problem);
  await next();
});

/** Mount the web view's sign-in routes and POST /v1/web/links; call before the pages. */
export function registerWebAuth(app: Hono<AppEnv>, deps: WebAuthDeps): void {
  const sessions = { store: deps.store, clock: deps.clock };
  const guard = requireViewer(sessions);
  const formLimit = bodyLimit({
    maxSize: FORM_BODY_LIMIT_BYTES,
    onError: (c) => c.html(messagePage({ title: 'Refused', message: `The form is larger than ${FORM_BODY_LIMIT_BYTES} bytes.`, viewer: null, csrfToken: null }), 413),
  });
  const failures = createRejectionThrottle();
  const loginFailed = async (reason: string): Promise<void> => {
    const now = deps.clock();
    const leftOut = failures.take('web-login', now.getTime());
    if (leftOut !== null) await deps.store.addEvent(webLoginFailedEvent(now, reason, leftOut));
  };

  app.use('/ui', webHeaders);
  app.use('/ui/*', webHeaders);
  app.get('/ui', (c) => c.redirect('/ui/', 301));

  app.get('/ui/login', async (c) => {
    const next = safeNextPath(c.req.query('next'));
    if ((await currentSession(c, sessions)) !== null) return c.redirect(next, 303);
    return c.html(loginPage({ next }));
  });

  app.post('/ui/login', sameOriginPost, formLimit, async (c) => {
    const body = await c.req.parseBody();
    const next = safeNextPath(field(body, 'next'));
    const token = field(body, 'token').trim();
    if (token === '') return c.html(loginPage({ next, message: 'Enter your admin token.' }), 400);
    const principal = token.length > MAX_TOKEN_LENGTH ? null : await deps.principalOfToken(token);
    if (principal === null) {
      await loginFailed('unknown token');
      return c.html(loginPage({ next, message: 'Wrong token: no admin of this service has that token. Check it and try again.' }), 401);
    }
    if (principal.kind !== 'admin') {
      await loginFailed(`${principal.kind} token (${principal.name})`);
      const what = principal.kind === 'host' ? `the probe token of host ${principal.name}: probe tokens may only post snapshots` : `the scrape token ${principal.name}: scrape tokens may only read GET /metrics`;
      return c.html(loginPage({ next, message: `That is ${what}. Sign in with an admin token.` }), 403);
    }
    const viewer = { kind: 'admin', name: principal.name } as const;
    await startSession(c, sessions, viewer);
    await deps.store.addEvent(webLoginEvent(deps.clock(), viewer, 'token'));
    return c.redirect(next, 303);
  });

  app.post('/ui/logout', sameOriginPost, formLimit, guard, requireFormToken, async (c) => {
    await endSession(c, sessions);
    return c.redirect('/ui/login', 303);
  });

  // A user's sign-in link: the key becomes a session for that user, and the browser moves on to their page, so the
  // key leaves the address bar (and, with no-referrer, is never sent on to another page).
  app.get(`${LINK_PATH_PREFIX}:key`, async (c) => {
    const key = c.req.param('key');
    const now = deps.clock();
    const link = WEB_SECRET_PATTERN.test(key) ? await deps.store.takeUserLink(await sha256Hex(key), now.toISOString()) : null;
    c.header('Referrer-Policy', 'no-referrer');
    if (link === null) {
      return c.html(messagePage({ title: 'Link not valid', message: 'This sign-in link is unknown or has expired. Ask an admin for a new one (gpuwarden web-link --user YOU).', viewer: null, csrfToken: null }), 404);
    }
    const viewer = { kind: 'user', name: link.user } as const;
    await startSession(c, sessions, viewer);
    await deps.store.addEvent(webLoginEvent(now, viewer, 'link', link.createdBy));
    return c.redirect(userPath(link.user), 303);
  });

  registerLinkRoute(app, { store: deps.store, clock: deps.clock, authenticated: deps.authenticated, publicUrl: deps.publicUrl });
}

