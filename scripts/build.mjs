// Bundle the CLI (and benchmarks) to plain JavaScript in dist/, so a GPU host runs the probe with bare
// `node` (no TypeScript loader: about 30 MB less RSS and no loader hooks on the hot path). Code splitting
// turns each command's `await import()` into its own chunk, so a command loads only what it uses.
// Usage: node scripts/build.mjs [--outdir=DIR] [ENTRY.ts ...]   (no entries: the CLI, src/cli/entry.ts)
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  console.error('scripts/build.mjs: esbuild is not installed (a devDependency): run "npm ci" without --omit=dev to build dist/');
  process.exit(1);
}

const args = process.argv.slice(2);
const outdir = args.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const entries = args.filter((a) => !a.startsWith('--'));
const cli = entries.length === 0;
// A CLI build starts from a clean slate, so `npm pack` (files: dist/*.mjs) ships no chunk of an older build or a benchmark.
if (cli) {
  mkdirSync(outdir, { recursive: true });
  for (const name of readdirSync(outdir)) {
    if (name.endsWith('.mjs') || name === 'migrations' || name === 'build-stamp.json') rmSync(join(outdir, name), { recursive: true, force: true });
  }
}
await build({
  entryPoints: cli ? ['src/cli/entry.ts'] : entries,
  outdir,
  bundle: true,
  splitting: true,
  // Chunks sit in dist/ beside the entries: the SQLite store finds migrations/ next to the file it runs from.
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
// The SQLite store looks for its migrations beside the bundle.
cpSync('src/store/migrations', join(outdir, 'migrations'), { recursive: true });
// bin/gpuwarden.js compares this file's time with the sources' to notice a stale bundle.
if (cli) {
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, 'build-stamp.json'), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
}
