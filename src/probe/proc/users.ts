import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parsePasswdLine, type PasswdEntry } from './parse-passwd.ts';

const execFileAsync = promisify(execFile);

/** passwd-format lines found for the keys asked about, plus what went wrong. */
export interface UsersResult {
  /** One `name:x:uid:gid:gecos:home:shell` line per account found, without duplicates. */
  lines: string[];
  /** Failures (getent missing, timed out, passwd unreadable); unknown keys are not errors. */
  errors: string[];
}

/** Looks accounts up through NSS (`getent passwd`, so LDAP users resolve), with a cache. */
export interface UserResolver {
  /** Look up uids; unknown uids are simply absent from `lines`. */
  lookupUids(uids: number[]): Promise<UsersResult>;
  /** Look up login names; unknown names are simply absent from `lines`. */
  lookupNames(names: string[]): Promise<UsersResult>;
}

/** Options of createUserResolver; every field has a default. */
export interface UserResolverOptions {
  /** getent binary (default `getent`, found on PATH). */
  getentPath?: string;
  /** passwd file read when getent is missing, times out or fails (default /etc/passwd). */
  passwdFile?: string;
  /** getent timeout per call (default 5000 ms). */
  timeoutMs?: number;
  /** How long "no such user" answers from getent are remembered (default 300000 ms). */
  negativeCacheTtlMs?: number;
  /** How long found users are remembered (default 600000 ms), so a renamed or re-created account is seen again. */
  cacheTtlMs?: number;
  /** Most answers kept (default 10000); the least recently stored go first. */
  maxCacheEntries?: number;
  /** Clock for the cache (default Date.now). */
  nowMs?: () => number;
}

type Kind = 'uid' | 'name';

interface CacheSlot {
  line: string | null;
  expiresAtMs: number;
}

interface ExecFailure {
  code?: unknown;
  killed?: unknown;
  signal?: unknown;
  stdout?: unknown;
  stderr?: unknown;
  message?: unknown;
}

/** One line saying why getent failed (exit code and first stderr line, or the signal, or the message). */
function describeFailure(failure: ExecFailure, error: unknown): string {
  const stderr = typeof failure.stderr === 'string' ? failure.stderr.trim().split('\n')[0] ?? '' : '';
  const detail = stderr !== '' ? `: ${stderr}` : '';
  if (typeof failure.code === 'number') return `exit code ${failure.code}${detail}`;
  if (typeof failure.signal === 'string') return `killed by ${failure.signal}${detail}`;
  if (typeof failure.code === 'string') return failure.code;
  return String(failure.message ?? error).split('\n')[0] ?? 'unknown error';
}

/** getent exits 2 when at least one key was not found; the found ones are still printed. */
const GETENT_SOME_NOT_FOUND = 2;
const BATCH_SIZE = 200;
const MAX_BUFFER_BYTES = 16 * 1024 * 1024;
const MAX_UID = 4294967295;

function validKey(kind: Kind, key: string | number): string | null {
  if (kind === 'uid') {
    return typeof key === 'number' && Number.isSafeInteger(key) && key >= 0 && key <= MAX_UID
      ? String(key)
      : null;
  }
  if (typeof key !== 'string' || key === '' || key.length > 256) return null;
  return /[:\n\r\0]/.test(key) ? null : key;
}

function keyOf(kind: Kind, entry: PasswdEntry): string {
  return kind === 'uid' ? String(entry.uid) : entry.name;
}

/** First line per key, as text, from passwd-format output. */
function indexLines(kind: Kind, text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const entry = parsePasswdLine(line);
    if (entry !== null && !lines.has(keyOf(kind, entry))) lines.set(keyOf(kind, entry), line);
  }
  return lines;
}

/** Default lifetime of a found user in the cache. */
export const DEFAULT_USER_CACHE_TTL_MS = 600_000;
/** Default bound of the cache. */
export const DEFAULT_USER_CACHE_MAX_ENTRIES = 10_000;

/** Create a resolver with its own bounded, expiring cache; a long-running probe makes one and keeps it across cycles. */
export function createUserResolver(options: UserResolverOptions = {}): UserResolver {
  const getentPath = options.getentPath ?? 'getent';
  const passwdFile = options.passwdFile ?? '/etc/passwd';
  const timeoutMs = options.timeoutMs ?? 5000;
  const negativeTtlMs = options.negativeCacheTtlMs ?? 300_000;
  const positiveTtlMs = options.cacheTtlMs ?? DEFAULT_USER_CACHE_TTL_MS;
  const maxEntries = Math.max(1, options.maxCacheEntries ?? DEFAULT_USER_CACHE_MAX_ENTRIES);
  const nowMs = options.nowMs ?? Date.now;
  const cache = new Map<string, CacheSlot>();

  /** Remember an answer (re-inserted, so the Map's order is store order) and drop the oldest past the bound. */
  function remember(cacheKey: string, line: string | null): void {
    cache.delete(cacheKey);
    cache.set(cacheKey, { line, expiresAtMs: nowMs() + (line === null ? negativeTtlMs : positiveTtlMs) });
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
  }

  /** stdout of getent, or the reason it could not be used. */
  async function runGetent(keys: string[]): Promise<{ stdout: string } | { failure: string }> {
    try {
      const { stdout } = await execFileAsync(getentPath, ['passwd', '--', ...keys], {
        timeout: timeoutMs,
        maxBuffer: MAX_BUFFER_BYTES,
        encoding: 'utf8',
      });
      return { stdout };
    } catch (error) {
      const failure = (typeof error === 'object' && error !== null ? error : {}) as ExecFailure;
      if (failure.code === GETENT_SOME_NOT_FOUND && typeof failure.stdout === 'string') {
        return { stdout: failure.stdout };
      }
      if (failure.code === 'ENOENT') return { failure: `getent not found at ${getentPath}` };
      if (failure.killed === true && failure.signal === 'SIGTERM') {
        return { failure: `getent timed out after ${timeoutMs} ms` };
      }
      return { failure: `getent failed: ${describeFailure(failure, error)}` };
    }
  }

  async function readPasswdFile(kind: Kind, errors: string[]): Promise<Map<string, string>> {
    try {
      return indexLines(kind, await readFile(passwdFile, 'utf8'));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      errors.push(`cannot read ${passwdFile}: ${typeof code === 'string' ? code : String(error)}`);
      return new Map();
    }
  }

  /** Look the keys up; every answer is cached and also put in `answers` (the cache may drop some if it is small). */
  async function resolve(kind: Kind, pending: string[], errors: string[], answers: Map<string, string>): Promise<void> {
    for (let start = 0; start < pending.length; start += BATCH_SIZE) {
      const batch = pending.slice(start, start + BATCH_SIZE);
      const result = await runGetent(batch);
      if ('stdout' in result) {
        const found = indexLines(kind, result.stdout);
        for (const key of batch) {
          const line = found.get(key) ?? null;
          remember(`${kind}:${key}`, line);
          if (line !== null) answers.set(key, line);
        }
        continue;
      }
      errors.push(`${result.failure}; fell back to ${passwdFile} (NSS/LDAP users will not resolve)`);
      const found = await readPasswdFile(kind, errors);
      for (const key of batch) {
        const line = found.get(key);
        // Only positive answers are cached: a later getent may still know an LDAP user.
        if (line === undefined) continue;
        remember(`${kind}:${key}`, line);
        answers.set(key, line);
      }
    }
  }

  async function lookup(kind: Kind, keys: Array<string | number>): Promise<UsersResult> {
    const errors: string[] = [];
    const wanted: string[] = [];
    for (const key of Array.isArray(keys) ? keys : []) {
      const valid = validKey(kind, key);
      if (valid !== null && !wanted.includes(valid)) wanted.push(valid);
    }
    const now = nowMs();
    const answers = new Map<string, string>();
    const pending = wanted.filter((key) => {
      const slot = cache.get(`${kind}:${key}`);
      if (slot !== undefined && slot.expiresAtMs > now) {
        if (slot.line !== null) answers.set(key, slot.line);
        return false;
      }
      cache.delete(`${kind}:${key}`);
      return true;
    });
    if (pending.length > 0) await resolve(kind, pending, errors, answers);
    const lines: string[] = [];
    for (const key of wanted) {
      const line = answers.get(key);
      if (typeof line === 'string' && !lines.includes(line)) lines.push(line);
    }
    return { lines, errors };
  }

  return {
    lookupUids: (uids) => lookup('uid', uids),
    lookupNames: (names) => lookup('name', names),
  };
}
