// Shared by the web view's tests (node) and the workerd case: an app on the memory store with a clock the test
// moves, admin, host and scrape tokens, and helpers that sign in through the real form. Imports nothing runtime-specific.
import { createApp } from '../app.ts';
import type { AuthConfig } from '../auth.ts';
import { createStoreOnlyCore } from '../../service/store-only-core.ts';
import { createMemoryStore, type MemoryStore } from '../../store/memory/memory-store.ts';
import { NOW, TEST_AUTH, TOKEN_SHA256, TOKENS } from '../test-support.ts';
import { SESSION_COOKIE } from './session.ts';

/** A scrape token for the tests (never used anywhere real). */
export const SCRAPE_TOKEN = 'gw-test-scrape-prom-0123456789abcdef0123456789abcd';
/** sha256 of SCRAPE_TOKEN. */
export const SCRAPE_TOKEN_SHA256 = '485a162d9f8c6345942a7520fb35228397f68bd8936955f7d33ce1404e41b963';

/** TEST_AUTH plus a scrape token. */
export const WEB_TEST_AUTH: AuthConfig = { ...TEST_AUTH, scrapers: [{ name: 'prometheus', tokenSha256: SCRAPE_TOKEN_SHA256 }] };

/** The origin app.request's URLs have (http://localhost). */
export const TEST_ORIGIN = 'http://localhost';

/** An app, its store, and a clock the test sets. */
export interface WebTestApp {
  app: ReturnType<typeof createApp>;
  store: MemoryStore;
  /** Move the app's clock (ms since the epoch). */
  setNow: (ms: number) => void;
}

/** A fresh app on the memory store, at NOW, with TEST_AUTH's tokens plus a scrape token. */
export function webTestApp(options: { publicUrl?: string | null; auth?: AuthConfig } = {}): WebTestApp {
  const store = createMemoryStore();
  let nowMs = NOW.getTime();
  const app = createApp({ store, core: createStoreOnlyCore(store), auth: options.auth ?? WEB_TEST_AUTH, clock: () => new Date(nowMs), log: () => undefined, publicUrl: options.publicUrl ?? null });
  return { app, store, setNow: (ms) => { nowMs = ms; } };
}

/** A form POST from this site (Origin http://localhost) with these fields and extra headers. */
export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN, ...headers } };
}

/** The value of the gw_session cookie a reply sets, or null. */
export function sessionCookieOf(res: Response): string | null {
  const header = res.headers.get('set-cookie') ?? '';
  const match = new RegExp(`(?:^|, )${SESSION_COOKIE}=([^;]*)`).exec(header);
  return match?.[1] ?? null;
}

/** Sign in as the test admin (alice) through POST /ui/login; the session cookie's value. */
export async function signInAsAdmin(app: WebTestApp['app'], token: string = TOKENS.alice): Promise<string> {
  const res = await app.request('/ui/login', formPost({ token, next: '/ui/' }));
  const cookie = sessionCookieOf(res);
  if (res.status !== 303 || cookie === null) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

/** Headers that present a session cookie. */
export function withSession(cookie: string, headers: Record<string, string> = {}): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${cookie}`, ...headers };
}

/** The csrf hidden field's value on a page. */
export function csrfOf(pageHtml: string): string {
  const match = /name="csrf" value="([^"]*)"/.exec(pageHtml);
  if (match?.[1] === undefined) throw new Error('no csrf field on the page');
  return match[1];
}

export { TOKENS, TOKEN_SHA256, NOW };
