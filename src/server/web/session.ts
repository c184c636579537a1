// The web view's sessions: a random id in the `gw_session` cookie (HttpOnly, SameSite=Strict, Path=/ui, Secure on
// https), only its SHA-256 in the store with the viewer and the CSRF token of its forms. requireViewer guards every
// page; an API bearer token is never accepted here.
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { sha256Hex } from '../auth.ts';
import type { Viewer } from './viewer.ts';
import { newWebSecret, WEB_SECRET_PATTERN } from './web-secret.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'gw_session';
/** The path the cookie is sent to: the web view only, never the API. */
export const SESSION_COOKIE_PATH = '/ui';
/** How long a session lasts: 12 hours (the cookie's Max-Age and the stored expiresAt). */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** What the session helpers need: the store and the clock. */
export interface SessionDeps {
  store: Store;
  clock: () => Date;
}

/** Whether the request came over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** The session id the browser presented, when it has the shape of one. */
function presentedSessionId(c: Context): string | null {
  const id = getCookie(c, SESSION_COOKIE);
  return id !== undefined && WEB_SECRET_PATTERN.test(id) ? id : null;
}

/** The stored session of this request's cookie while it lasts, else null. */
export async function currentSession(c: Context, deps: SessionDeps): Promise<{ idSha256: string; viewer: Viewer; csrfToken: string } | null> {
  const id = presentedSessionId(c);
  if (id === null) return null;
  const idSha256 = await sha256Hex(id);
  const session = await deps.store.getWebSession(idSha256, deps.clock().toISOString());
  return session === null ? null : { idSha256, viewer: session.viewer, csrfToken: session.csrfToken };
}

/** Start a new session for `viewer` (ending the one the browser had), set its cookie; returns its CSRF token. */
export async function startSession(c: Context, deps: SessionDeps, viewer: Viewer): Promise<string> {
  const old = presentedSessionId(c);
  if (old !== null) await deps.store.deleteWebSession(await sha256Hex(old));
  const id = newWebSecret();
  const csrfToken = newWebSecret();
  const now = deps.clock();
  await deps.store.putWebSession({ idSha256: await sha256Hex(id), viewer, csrfToken, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString() });
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: SESSION_COOKIE_PATH, secure: isHttps(c), maxAge: SESSION_TTL_MS / 1000 });
  return csrfToken;
}

/** End the browser's session (store and cookie). */
export async function endSession(c: Context, deps: SessionDeps): Promise<void> {
  const id = presentedSessionId(c);
  if (id !== null) await deps.store.deleteWebSession(await sha256Hex(id));
  deleteCookie(c, SESSION_COOKIE, { path: SESSION_COOKIE_PATH, secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
}

/** The sign-in page's address that comes back to this request's path (and query) afterwards. */
export function loginRedirectPath(c: Context): string {
  const url = new URL(c.req.url);
  return `/ui/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`;
}

/**
 * The web view's guard: loads the cookie's session and sets `viewer` and `csrfToken` on the context, or redirects
 * to /ui/login?next=<this path> (303) when there is none or it expired. Authorization headers are ignored.
 */
export function requireViewer(deps: SessionDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const session = await currentSession(c, deps);
    if (session === null) return c.redirect(loginRedirectPath(c), 303);
    c.set('viewer', session.viewer);
    c.set('csrfToken', session.csrfToken);
    await next();
  });
}
