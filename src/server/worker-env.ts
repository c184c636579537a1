import { z } from 'zod';
import type { AuthConfig, TokenHash } from './auth.ts';
import type { HostWriterNamespace } from './host-writer.ts';
import { normalisePublicUrl, publicUrlProblem } from '../config/service/public-url.ts';

/** The bindings and variables the Worker reads (wrangler.toml `[vars]` / `wrangler secret put`). */
export interface WorkerEnv {
  /** D1 database binding (typed loosely here: worker-store.ts checks it and opens the D1 store over it). */
  DB?: unknown;
  /** The HostWriter Durable Object namespace: one object per host evaluates its snapshots. */
  HOST_WRITER?: HostWriterNamespace;
  /** JSON object: host name → SHA-256 hex of that host's token. */
  GPUWARDEN_HOST_TOKENS?: string;
  /** JSON object: admin name → SHA-256 hex of the admin token. */
  GPUWARDEN_ADMIN_TOKENS?: string;
  /** JSON object scraper name → SHA-256 hex of its token: tokens that may only read GET /metrics. */
  GPUWARDEN_SCRAPE_TOKENS?: string;
  /** Largest accepted snapshot body in bytes (default 4 MiB). */
  GPUWARDEN_BODY_LIMIT_BYTES?: string;
  /** Snapshots older than this many hours on arrival are stored, not evaluated (default 24; max_snapshot_age_h on Node). */
  GPUWARDEN_MAX_SNAPSHOT_AGE_H?: string;
  /** The web view's public base URL (public_url: on Node), for sign-in links; unset: links are given as paths. */
  GPUWARDEN_PUBLIC_URL?: string;
}

const hashMap = z.record(z.string().min(1).max(253), z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters'));

function parseHashes(name: string, text: string | undefined): TokenHash[] {
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON (expected {"name": "<sha256 hex>"})`);
  }
  const parsed = hashMap.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${name}: ${first === undefined ? 'invalid' : `${first.path.map(String).join('.')}: ${first.message}`}`);
  }
  return Object.entries(parsed.data).map(([who, hash]) => ({ name: who, tokenSha256: hash.toLowerCase() }));
}

/** The Worker's auth config from its environment; throws a sentence naming the bad variable. */
export function authFromEnv(env: WorkerEnv): AuthConfig {
  const scrapers = parseHashes('GPUWARDEN_SCRAPE_TOKENS', env.GPUWARDEN_SCRAPE_TOKENS);
  return {
    hosts: parseHashes('GPUWARDEN_HOST_TOKENS', env.GPUWARDEN_HOST_TOKENS),
    admins: parseHashes('GPUWARDEN_ADMIN_TOKENS', env.GPUWARDEN_ADMIN_TOKENS),
    ...(scrapers.length === 0 ? {} : { scrapers }),
  };
}

/** The body limit from GPUWARDEN_BODY_LIMIT_BYTES, or undefined for the app's default. */
export function bodyLimitFromEnv(env: WorkerEnv): number | undefined {
  const text = env.GPUWARDEN_BODY_LIMIT_BYTES;
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`GPUWARDEN_BODY_LIMIT_BYTES must be a positive whole number, got "${text}"`);
  return n;
}

/** max_snapshot_age_h from GPUWARDEN_MAX_SNAPSHOT_AGE_H (1-720), or `fallback`; throws a sentence for a bad value. */
export function maxSnapshotAgeHFromEnv(env: WorkerEnv, fallback: number): number {
  const text = env.GPUWARDEN_MAX_SNAPSHOT_AGE_H;
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 720) throw new Error(`GPUWARDEN_MAX_SNAPSHOT_AGE_H must be a whole number of hours from 1 to 720, got "${text}"`);
  return n;
}

/** The public base URL from GPUWARDEN_PUBLIC_URL (no trailing slash), or null when unset; throws a sentence for a bad value. */
export function publicUrlFromEnv(env: WorkerEnv): string | null {
  const text = env.GPUWARDEN_PUBLIC_URL;
  if (text === undefined || text.trim() === '') return null;
  const problem = publicUrlProblem(text.trim());
  if (problem !== null) throw new Error(`GPUWARDEN_PUBLIC_URL ${problem}, got "${text}"`);
  return normalisePublicUrl(text.trim());
}
