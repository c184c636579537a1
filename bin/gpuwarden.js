#!/usr/bin/env node
// Entry point for `gpuwarden` / `npx gpuwarden`: runs the bundled CLI (dist/entry.mjs, built by `npm run build` and by
// the `prepare` script that `npm ci` and `npm pack` run) with plain node. An installed package (no src/) must carry
// its dist/: without one it stops with a plain sentence. Only in a checkout whose dist/ is missing or older than src/
// does it say so in one stderr line and run the TypeScript sources through tsx (a devDependency; slower to start).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distState } from './dist-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const state = distState(root);
if (state === 'fresh') {
  await import('../dist/entry.mjs');
} else if (!existsSync(join(root, 'src'))) {
  process.stderr.write(`gpuwarden: this install has no built CLI (${join(root, 'dist/entry.mjs')} is missing); install a package made by "npm pack", which builds dist/\n`);
  process.exitCode = 1;
} else {
  const why = state === 'missing' ? 'dist/ is missing' : 'dist/ is older than src/';
  process.stderr.write(`gpuwarden: ${why} (run "npm run build"); running the TypeScript sources through tsx (slower start)\n`);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('gpuwarden: tsx is not installed (a devDependency): run "npm ci", or "npm run build" where esbuild is installed\n');
    process.exit(1);
  }
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
