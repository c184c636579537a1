import { HttpError } from './errors.ts';

/** One principal's token, kept only as the SHA-256 hex of the token. */
export interface TokenHash {
  name: string;
  tokenSha256: string;
}

/**
 * Who may call the API: one token per probe host (it may only write that host's snapshots), admin tokens, and
 * scrape tokens (they may only read GET /metrics).
 */
export interface AuthConfig {
  hosts: readonly TokenHash[];
  admins: readonly TokenHash[];
  scrapers?: readonly TokenHash[];
}

/** Whom a valid token belongs to. */
export type Principal = { kind: 'host'; name: string } | { kind: 'admin'; name: string } | { kind: 'scrape'; name: string };

/** AuthConfig indexed by token digest (hex). */
export interface CompiledAuth {
  byDigest: ReadonlyMap<string, Principal>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** RFC 6750 b64token, bounded so nobody makes us hash a megabyte header. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,1024}=*) *$/i;
const REALM = 'Bearer realm="gpuwarden"';

/** Check and decode the configured hashes; throws at construction for a malformed one. */
export function compileAuth(auth: AuthConfig): CompiledAuth {
  const byDigest = new Map<string, Principal>();
  const add = (kind: Principal['kind'], list: readonly TokenHash[]): void => {
    for (const [i, t] of list.entries()) {
      const hex = t.tokenSha256.toLowerCase();
      if (!SHA256_HEX.test(hex)) {
        throw new Error(`auth.${kind}s[${i}] (${t.name}): tokenSha256 must be 64 hex characters (the SHA-256 of the token)`);
      }
      // The first entry of a digest wins.
      if (!byDigest.has(hex)) byDigest.set(hex, { kind, name: t.name });
    }
  };
  add('host', auth.hosts);
  add('admin', auth.admins);
  add('scrape', auth.scrapers ?? []);
  return { byDigest };
}

/** SHA-256 of a UTF-8 string as lowercase hex, through Web Crypto (works in Node and workerd). */
export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(await sha256(text));
}

/**
 * Find whom the request's bearer token belongs to, by the SHA-256 of the token. Throws 401 (with `WWW-Authenticate`)
 * for a missing, malformed or unknown token.
 */
export async function authenticate(compiled: CompiledAuth, authorization: string | undefined, digestOf: TokenDigest = sha256): Promise<Principal> {
  if (authorization === undefined || authorization === '') {
    throw new HttpError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer <token>)', undefined, {
      'WWW-Authenticate': REALM,
    });
  }
  const token = BEARER.exec(authorization)?.[1];
  // Built only when needed: constructing an Error (stack capture) on every request showed up in the ingest profile.
  const invalid = (): HttpError =>
    new HttpError(401, 'unauthorized', 'invalid bearer token', undefined, { 'WWW-Authenticate': `${REALM}, error="invalid_token"` });
  if (token === undefined) throw invalid();
  const found = await principalForToken(compiled, token, digestOf);
  if (found === null) throw invalid();
  return found;
}

/**
 * Whom a presented token belongs to, or null: the one lookup behind the API's bearer check and the web view's
 * sign-in form. The caller bounds the token's length.
 */
export async function principalForToken(compiled: CompiledAuth, token: string, digestOf: TokenDigest = sha256): Promise<Principal | null> {
  // Looked up by the token's SHA-256: what a lookup's timing could reveal is about the hash, which tells nothing
  // of a token (comparing against every configured digest cost 1,000 comparisons per request at 1,000 hosts).
  return compiled.byDigest.get(bytesToHex(await digestOf(token))) ?? null;
}

/** Throw 403 unless the principal is of the wanted kind. */
export function requireKind(principal: Principal, kind: Principal['kind']): void {
  if (principal.kind === kind) return;
  const message =
    kind !== 'admin' ? `${principal.kind} tokens cannot post snapshots; use the host's token`
    : principal.kind === 'scrape' ? 'this endpoint needs an admin token; scrape tokens may only read GET /metrics'
    : 'this endpoint needs an admin token; host tokens may only post snapshots';
  throw new HttpError(403, 'forbidden', message);
}

/** SHA-256 of a presented token; Web Crypto by default, a runtime may pass a faster synchronous one. */
export type TokenDigest = (token: string) => Uint8Array | Promise<Uint8Array>;

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
