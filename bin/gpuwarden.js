#!/usr/bin/env node
// Entry point for `gpuwarden` / `npx gpuwarden`: runs the bundled CLI (dist/entry.mjs, built by the install step's
// `prepare` script) with plain node. In a checkout whose dist/ is missing or older than src/, it says so in one
// stderr line and runs the TypeScript sources through tsx instead (correct, but slower to start).
import { fileURLToPath } from 'node:url';
import { distState } from './dist-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const state = distState(root);
if (state === 'fresh') {
  await import('../dist/entry.mjs');
} else {
  const why = state === 'missing' ? 'dist/ is missing' : 'dist/ is older than src/';
  process.stderr.write(`gpuwarden: ${why} (run "npm run build"); running the TypeScript sources through tsx (slower start)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
