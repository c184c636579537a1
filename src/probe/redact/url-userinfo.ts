// `postgres://user:password@host/db` → `postgres://user:***@host/db`; `https://TOKEN@host` → `https://***@host`.
import { REDACTED } from './redaction-marker.ts';

/** Text with URL userinfo masked, and whether anything was (or had already been) masked. */
export interface MaskResult {
  text: string;
  masked: boolean;
}

const SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;

/** Mask the password (or a lone user part, often a token) of every `scheme://userinfo@host` in `text`. */
export function maskUrlUserinfo(text: string): MaskResult {
  if (!text.includes('://')) return { text, masked: false };
  let out = '';
  let last = 0;
  let masked = false;
  for (const m of text.matchAll(SCHEME)) {
    const start = (m.index ?? 0) + m[0].length;
    if (start < last) continue;
    // The authority ends at the first / ? # or whitespace; userinfo is everything before its last @.
    const rest = text.slice(start);
    const end = rest.search(/[/?#\s]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const at = authority.lastIndexOf('@');
    if (at <= 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const secret = colon === -1 ? userinfo : userinfo.slice(colon + 1);
    if (secret === '') continue;
    masked = true;
    if (secret === REDACTED) continue;
    out += text.slice(last, start) + (colon === -1 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`);
    last = start + at;
    masked = true;
  }
  return { text: out + text.slice(last), masked };
}
