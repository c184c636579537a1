// `node --import ./scripts/trace-packages.mjs …`: appends the name of every npm package the process imports
// (one line each) to the file named by $GPUWARDEN_TRACE_PACKAGES, so a test can see what a command loads.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const out = process.env.GPUWARDEN_TRACE_PACKAGES;
if (out !== undefined && out !== '') {
  // ESM imports (including `import x from 'cjs-package'`) pass the resolve hook in the hooks thread.
  register('./trace-packages-hooks.mjs', import.meta.url, { data: { out } });
  // CommonJS require() calls inside packages do not; record what the CommonJS cache holds at exit too.
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const names = Object.keys(require.cache).map(packageOf).filter((n) => n !== null);
    if (names.length > 0) appendFileSync(out, `${names.join('\n')}\n`);
  });
}

/** The npm package a file path belongs to (`@scope/name` or `name`), or null outside node_modules. */
export function packageOf(path) {
  const p = path.startsWith('file:') ? fileURLToPath(path) : path;
  const i = p.lastIndexOf('/node_modules/');
  if (i < 0) return null;
  const parts = p.slice(i + '/node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}
