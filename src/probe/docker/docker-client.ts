import { stat } from 'node:fs/promises';
import { engineGet } from './engine-get.ts';
import { reusable, listKeyOf, type InspectCache } from './inspect-cache.ts';
import { mapLimit } from './map-limit.ts';

/** Raw inspect output of every container (and how many were inspected this time), or why the engine could not be read. */
export type ListAndInspectResult = { ok: true; inspect: unknown[]; inspected: number } | { ok: false; message: string };

/** How a long-running probe keeps inspect documents across cycles (see inspect-cache.ts). */
export interface InspectReuse {
  cache: InspectCache;
  /** Applied once to each freshly inspected document before it is kept and returned (secret masking). */
  prepare: (doc: unknown) => unknown;
  /** Whether a pid exists; a cached running container whose main pid has gone is inspected again. */
  pidAlive: (pid: number) => boolean;
}

/** Where the engine listens and how long the whole read may take. */
export interface DockerClientOptions {
  socketPath: string;
  timeoutMs: number;
}

const INSPECT_CONCURRENCY = 8;
const STAT_CONCURRENCY = 16;
const MAX_MESSAGE_CHARS = 300;

/**
 * Lists all containers (any state) and inspects each, at most 8 at a time; with `reuse`, only those whose list
 * entry changed or that are new (the rest come from the cache, which forgets removed ones). A container removed
 * between list and inspect (404) is skipped; any other failure gives `ok: false` with a one-line message.
 * `timeoutMs` bounds the whole read (list and every inspect).
 */
export async function listAndInspectAll(options: DockerClientOptions, reuse?: InspectReuse): Promise<ListAndInspectResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const listed = await engineGet(options.socketPath, '/containers/json?all=1', controller.signal);
    if (!Array.isArray(listed)) throw new Error('the container list is not a JSON array');
    const list = listed.map((entry: unknown) => ({ entry, id: idOf(entry) }));
    const prepare = reuse?.prepare ?? ((doc: unknown) => doc);
    let inspected = 0;
    const docs = await mapLimit(list, INSPECT_CONCURRENCY, async ({ entry, id }) => {
      const kept = reuse === undefined ? null : reusable(reuse.cache, id, entry, reuse.pidAlive);
      if (kept !== null) return kept;
      inspected++;
      try {
        return prepare(await engineGet(options.socketPath, `/containers/${encodeURIComponent(id)}/json`, controller.signal));
      } catch (error) {
        if (statusCodeOf(error) === 404) return undefined;
        throw error;
      }
    });
    if (reuse !== undefined) {
      const entries = new Map<string, { key: string; doc: unknown }>();
      list.forEach(({ entry, id }, i) => {
        const doc = docs[i];
        if (doc !== undefined) entries.set(id, { key: listKeyOf(entry), doc });
      });
      reuse.cache.entries = entries;
    }
    return { ok: true, inspect: docs.filter((x) => x !== undefined), inspected };
  } catch (error) {
    const reason = controller.signal.aborted ? `timed out after ${options.timeoutMs} ms` : plainMessage(error);
    return { ok: false, message: `docker engine at ${options.socketPath}: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Owner uids found in earlier cycles, by path, with when each was read; paths not asked for again are forgotten. */
export interface MountOwnerCache {
  owners: Map<string, { uid: number; atMs: number }>;
}

/** How long a found owner is used before the path is stat'ed again (home folders change owner rarely). */
export const MOUNT_OWNER_MAX_AGE_MS = 600_000;

/**
 * Owner uid of each path (fs.stat, following symlinks); a missing path is omitted, other failures reported.
 * With `kept`, an owner found less than MOUNT_OWNER_MAX_AGE_MS ago is not stat'ed again (missing paths always are).
 */
export async function statMountOwners(paths: string[], kept?: { cache: MountOwnerCache; nowMs: number }): Promise<{ owners: Record<string, number>; errors: string[] }> {
  const distinct = [...new Set(paths)];
  const owners: Record<string, number> = {};
  const errors: string[] = [];
  const found = new Map<string, { uid: number; atMs: number }>();
  const toStat = distinct.filter((path) => {
    const known = kept?.cache.owners.get(path);
    if (known === undefined || kept === undefined || kept.nowMs - known.atMs >= MOUNT_OWNER_MAX_AGE_MS) return true;
    owners[path] = known.uid;
    found.set(path, known);
    return false;
  });
  await mapLimit(toStat, STAT_CONCURRENCY, async (path) => {
    try {
      const uid = (await stat(path)).uid;
      owners[path] = uid;
      found.set(path, { uid, atMs: kept?.nowMs ?? 0 });
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') errors.push(`stat ${path}: ${code ?? plainMessage(error)}`);
    }
  });
  if (kept !== undefined) kept.cache.owners = found;
  return { owners, errors };
}

/** The `Id` of a list entry; an entry without one is an engine answer the probe cannot use. */
function idOf(entry: unknown): string {
  const id = typeof entry === 'object' && entry !== null ? (entry as { Id?: unknown }).Id : undefined;
  if (typeof id !== 'string' || !/^[0-9a-zA-Z_.-]+$/.test(id)) throw new Error('a container list entry has no usable Id');
  return id;
}

function statusCodeOf(error: unknown): number | null {
  const value = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof value === 'number' ? value : null;
}

function codeOf(error: unknown): string | null {
  const value = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof value === 'string' ? value : null;
}

/** First line of an error, no stack; engine-unreachable codes spelled out. */
function plainMessage(error: unknown): string {
  const code = codeOf(error);
  if (code === 'ENOENT') return 'socket not found (ENOENT)';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'EACCES') return 'permission denied on the socket (EACCES)';
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split('\n')[0] ?? '').trim() || 'unknown error';
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS - 1)}…` : line;
}
