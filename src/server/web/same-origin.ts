// The first half of the web view's CSRF defence: a POST must come from a page of this very site. The second half
// is the per-session token in every form (session.ts). hono's csrf() middleware checks Origin against the request
// URL and Sec-Fetch-Site, but has no Referer fallback and lets non-form content types through unchecked; this
// check covers every POST whatever its content type, by Origin, else Referer, against the Host.
import type { Context } from 'hono';

/** The host (name:port) a POST's Origin or Referer must name: the Host header, else the request URL's. */
function requestHost(c: Context): string {
  return (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

function hostOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Why a POST is not same-origin, or null when its Origin (else Referer) names this Host and Sec-Fetch-Site does not say cross-site. */
export function crossOriginProblem(c: Context): string | null {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `the form was sent from another site (Sec-Fetch-Site: ${site})`;
  const origin = c.req.header('origin');
  const host = requestHost(c);
  if (origin !== undefined && origin !== 'null') return hostOf(origin) === host ? null : 'the form was sent from another site (Origin does not match Host)';
  const referer = c.req.header('referer');
  if (referer !== undefined) return hostOf(referer) === host ? null : 'the form was sent from another site (Referer does not match Host)';
  return 'the request has neither Origin nor Referer, so it cannot be told from a forged one';
}
