// Is the bundled CLI (dist/) usable, or missing, or older than the sources it was built from?
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The file `scripts/build.mjs` writes after each CLI build; its mtime is the build time. */
export const BUILD_STAMP = 'dist/build-stamp.json';

/** Newest mtime (ms) of the files the CLI bundle is built from: src/** (tests excluded) and package.json; 0 if none. */
export function newestSourceMtimeMs(root) {
  let newest = 0;
  const note = (path) => {
    try {
      newest = Math.max(newest, statSync(path).mtimeMs);
    } catch {
      // A file removed while we walk, or no package.json: nothing to compare.
    }
  };
  note(join(root, 'package.json'));
  let entries = [];
  try {
    entries = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true });
  } catch {
    // An install without sources: the bundle is all there is.
  }
  for (const e of entries) {
    if (e.isFile() && !e.name.endsWith('.test.ts')) note(join(e.parentPath, e.name));
  }
  return newest;
}

/**
 * 'fresh' when dist/entry.mjs exists and was built after every source changed, else 'missing' or 'stale'. An installed
 * package has no src/: its bundle is all there is (npm sets every file's time alike), so it is fresh when present.
 */
export function distState(root) {
  let builtMs;
  try {
    statSync(join(root, 'dist/entry.mjs'));
    if (!existsSync(join(root, 'src'))) return 'fresh';
    builtMs = statSync(join(root, BUILD_STAMP)).mtimeMs;
  } catch {
    return 'missing';
  }
  return newestSourceMtimeMs(root) > builtMs ? 'stale' : 'fresh';
}
