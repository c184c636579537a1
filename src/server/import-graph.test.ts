// DESIGN rule 3: the service core never imports node:*, dockerode or better-sqlite3. The workerd smoke test proves
// the modules load there; this walks the static import graph, which also catches what nodejs_compat would hide.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ALLOWED_PACKAGES = [/^hono(\/.*)?$/, /^zod(\/.*)?$/];
/** The Workers entry also loads the rule pack and YAML configs: pure-JS packages, still no node:*, SMTP or @slack/webhook. */
const WORKER_PACKAGES = [...ALLOWED_PACKAGES, /^yaml$/, /^json-rules-engine$/];
const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Runtime (non-type) imports of a file: relative ones as absolute paths, packages by name. */
function runtimeImports(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const files: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (m[2] !== undefined) continue; // `import type` is erased
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec === undefined) continue;
    if (spec.startsWith('.')) files.push(resolve(dirname(file), spec));
    else packages.push(spec);
  }
  return { files, packages };
}

/** Every file reachable from the entries and the packages they import, as `file → package`. */
function importGraph(entries: string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = entries.map((e) => resolve(e));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const found = runtimeImports(file);
    for (const p of found.packages) packages.set(`${relative(process.cwd(), file)} → ${p}`, p);
    queue.push(...found.files);
  }
  return { files, packages };
}

describe('runtime-neutral modules', () => {
  it('the Workers entry (full core, config loaders, fetch-based Slack and mail API) imports only hono, zod, yaml and json-rules-engine', () => {
    const { files, packages } = importGraph(['src/server/worker.ts']);
    expect([...files].some((f) => f.endsWith('src/service/ingest.ts'))).toBe(true);
    expect([...files].some((f) => f.endsWith('src/notify/slack/slack-fetch-notifier.ts'))).toBe(true);
    expect([...files].some((f) => f.endsWith('src/notify/email/http-mail-notifier.ts'))).toBe(true);
    expect([...files].some((f) => f.endsWith('src/notify/email/email-notifier.ts'))).toBe(false);
    const forbidden = [...packages].filter(([, p]) => !WORKER_PACKAGES.some((re) => re.test(p))).map(([edge]) => edge);
    expect(forbidden).toEqual([]);
  });

  it('the app and the store-only core import only hono and zod', () => {
    const { files, packages } = importGraph(['src/server/app.ts', 'src/service/store-only-core.ts']);
    expect(files.size).toBeGreaterThan(8);
    const forbidden = [...packages].filter(([, p]) => !ALLOWED_PACKAGES.some((re) => re.test(p))).map(([edge]) => edge);
    expect(forbidden).toEqual([]);
  });

  it('the walker does see a Node import (self-check on node.ts)', () => {
    const { packages } = importGraph(['src/server/node.ts']);
    expect([...packages.values()]).toContain('@hono/node-server');
    const { packages: config } = importGraph(['src/config/service/load.ts']);
    expect([...config.values()]).toEqual(expect.arrayContaining(['node:crypto', 'node:fs/promises', 'yaml']));
  });
});
