// Bundle the CLI (and benchmarks) to plain JavaScript in dist/, so a GPU host runs the probe with bare
// `node` (no TypeScript loader: about 30 MB less RSS and no loader hooks on the hot path). Code splitting
// turns each command's `await import()` into its own chunk, so a command loads only what it uses.
import { cpSync } from 'node:fs';
import { build } from 'esbuild';

const entries = process.argv.slice(2);
await build({
  entryPoints: entries.length > 0 ? entries : ['src/cli/entry.ts'],
  outdir: 'dist',
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
cpSync('src/store/migrations', 'dist/migrations', { recursive: true });
