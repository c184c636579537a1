// Shared by the web view's tests: a real SQLite store in a temp folder, seeded with the small fleet, and a Hono app
// with the read-only pages behind a test guard that signs in whoever the `x-test-viewer` header names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DEFAULT_USER_LIMITS, type LimitsView } from '../../engine/facts/limits-view.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { seedWebStore, type SeededFleet } from '../../../test/support/seed-web-store.ts';
import type { AppEnv } from '../app-env.ts';
import { registerWebPages, type WebPageDeps } from './pages/register.ts';
import type { Viewer } from './viewer.ts';

/** Limits of the tests: DS01's student defaults (quota 2 GPU-equivalents), 30 s probe interval, silent after 3. */
export const TEST_LIMITS: LimitsView = {
  forUser: () => DEFAULT_USER_LIMITS, forContainerType: () => null, fairShareHalfLifeH: 24, probeIntervalS: 30, hostSilentAfterIntervals: 3,
};

/** A test guard: the viewer is `kind:name` from the `x-test-viewer` header (`admin:alice`, `user:bob`); none → 401. */
export const testGuard = createMiddleware<AppEnv>(async (c, next) => {
  const [kind, name] = (c.req.header('x-test-viewer') ?? '').split(':');
  if ((kind !== 'admin' && kind !== 'user') || name === undefined || name === '') return c.text('no viewer', 401);
  c.set('viewer', { kind, name } as Viewer);
  await next();
  return undefined;
});

/** A seeded SQLite store in a temp folder; `close` removes it. */
export interface SeededStore {
  store: SqliteStore;
  fleet: SeededFleet;
  close(): Promise<void>;
}

/** Open a fresh SQLite store in a temp folder and seed it with the fleet of test/support/seed-web-store.ts. */
export async function openSeededStore(): Promise<SeededStore> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-web-'));
  const store = openSqliteStore(join(dir, 'gw.sqlite'));
  const fleet = await seedWebStore(store);
  return { store, fleet, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** The web pages' deps over `seeded` at the seed's time; `over` replaces any of them. */
export function webDeps(seeded: SeededStore, over: Partial<WebPageDeps> = {}): WebPageDeps {
  return { store: seeded.store, latest: seeded.fleet.latest, clock: () => seeded.fleet.now, limits: () => TEST_LIMITS, silentAfterMs: 90_000, ...over };
}

/** An app with only the web pages, behind testGuard. */
export function webApp(deps: WebPageDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  registerWebPages(app, deps, testGuard);
  return app;
}

/** Headers that sign in `viewer` through testGuard. */
export function as(kind: Viewer['kind'], name: string): Record<string, string> {
  return { 'x-test-viewer': `${kind}:${name}` };
}

/**
 * What every page must get right, as problems (empty: none): headings start at h1 and never skip a level, every
 * table has a caption, every header cell a scope, no script.
 */
export function accessibilityProblems(page: string): string[] {
  const problems: string[] = [];
  const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
  if (levels[0] !== 1) problems.push(`the first heading is h${levels[0] ?? '(none)'}, not h1`);
  levels.forEach((l, i) => { if (i > 0 && l > (levels[i - 1] ?? 0) + 1) problems.push(`h${levels[i - 1]} is followed by h${l}`); });
  const tables = page.match(/<table\b[^>]*>/g) ?? [];
  const captions = page.match(/<table\b[^>]*>\s*<caption>/g) ?? [];
  if (tables.length !== captions.length) problems.push(`${tables.length - captions.length} of ${tables.length} tables have no caption`);
  const ths = page.match(/<th\b[^>]*>/g) ?? [];
  const bare = ths.filter((th) => !/\bscope="(col|row)"/.test(th));
  if (bare.length > 0) problems.push(`${bare.length} <th> without scope`);
  if (/<script\b/i.test(page)) problems.push('a <script> element');
  return problems;
}
