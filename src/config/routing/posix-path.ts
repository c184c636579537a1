// POSIX path joining without node:path, so the routing parser also loads on Workers (config paths are POSIX:
// the service runs on Linux, and on Workers there are no files at all).

/** `path` made absolute against `baseDir` (as node:path's posix.resolve does), with `.` and `..` folded. */
export function resolvePosixPath(baseDir: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${baseDir}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
