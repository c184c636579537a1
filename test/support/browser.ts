// A real browser for the web view's tests: Debian's /usr/bin/chromium driven by playwright-core (no browser
// download), headless, in a fresh temporary profile per launch. Screenshots land in test-artifacts/screenshots/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (CI installs it: .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Where screenshots are saved (git-ignored; CI keeps them as artifacts). */
export const SCREENSHOT_DIR = resolve('test-artifacts/screenshots');

/** Flags for a quiet, sandbox-free headless run that reaches nothing but the page under test. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
] as const;

/** A launched browser (one persistent context on a temporary profile) and its first page. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Save a full-page screenshot as test-artifacts/screenshots/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Close the browser and remove its profile. */
  close(): Promise<void>;
}

/** Launch chromium with a fresh user-data-dir. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'gw-chromium-'));
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1200, height: 800 } });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
