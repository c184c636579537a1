// Where to go after signing in: only a path of the web view on this site, so `?next=` is never an open redirect.

/** Where a signed-in browser lands when `next` is missing or refused. */
export const DEFAULT_LANDING = '/ui/';

const MAX_NEXT_LENGTH = 2048;

/**
 * `next` when it is a same-site path under /ui (query kept), else DEFAULT_LANDING. Refuses absolute and
 * scheme-relative URLs (`//evil`, `/\evil`), backslashes, control characters and paths outside /ui.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_NEXT_LENGTH) return DEFAULT_LANDING;
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return DEFAULT_LANDING;
  const base = 'http://gpuwarden.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return DEFAULT_LANDING;
  }
  if (url.origin !== base) return DEFAULT_LANDING;
  if (url.pathname !== '/ui' && !url.pathname.startsWith('/ui/')) return DEFAULT_LANDING;
  return `${url.pathname}${url.search}`;
}
