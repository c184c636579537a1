import { posix } from 'node:path';

/** The home root normalised (absolute, no trailing "/"), or null when it is not an absolute path. */
export function normaliseHomeRoot(homeRoot: unknown): string | null {
  const root = normaliseAbsolute(homeRoot);
  if (root === null) return null;
  return root.length > 1 ? root.replace(/\/+$/, '') : root;
}

/** An absolute path normalised lexically (`..`, `.`, `//` resolved); null for relative or non-string paths. */
export function normaliseAbsolute(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) return null;
  return posix.normalize(path);
}

/**
 * The `<user>` of a path equal to or under `<homeRoot>/<user>`, after normalisation, or null.
 * `/home/alice/../bob/x` is bob's; relative paths and the home root itself belong to nobody.
 */
export function homeUserOf(path: unknown, homeRoot: unknown): string | null {
  const root = normaliseHomeRoot(homeRoot);
  const normalised = normaliseAbsolute(path);
  if (root === null || normalised === null) return null;
  const prefix = root === '/' ? '/' : `${root}/`;
  if (!normalised.startsWith(prefix)) return null;
  const user = normalised.slice(prefix.length).split('/')[0] ?? '';
  return user === '' || user === '.' || user === '..' ? null : user;
}
