// A bounded folder of snapshots waiting to be pushed: atomic writes, oldest-first replay, oldest dropped first.
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { DEFAULT_SPOOL_BOUNDS, planDrops, replayOrder, spoolFileName, spoolSeqOf, type SpoolBounds } from './spool-policy.ts';

/** Where the spool lives and how much it may hold. */
export interface SpoolOptions extends Partial<SpoolBounds> {
  dir: string;
  /** Rejected snapshots kept in `<dir>/rejected/` for inspection (oldest removed beyond it; default 100). */
  maxRejectedFiles?: number;
  log?: (line: string) => void;
  /** Writes the temp file; injectable so tests can pause or fail a write half-way. */
  writeFileImpl?: (path: string, text: string) => Promise<void>;
}

/** A spool opened on its folder; one writer (one probe) per folder. */
export interface Spool {
  readonly dir: string;
  readonly rejectedDir: string;
  /** Write the snapshot atomically, then drop the oldest ones beyond the bounds; returns its file name. */
  append(snapshot: HostSnapshot): Promise<string>;
  /** Names of the pending snapshots, oldest first. */
  pending(): string[];
  /** The JSON text of a pending snapshot. */
  read(name: string): Promise<string>;
  /** Forget a delivered snapshot. */
  remove(name: string): Promise<void>;
  /** Move a snapshot the service refused into `rejected/`; returns its new path. */
  reject(name: string): Promise<string>;
  /** Snapshots dropped by the bounds since the spool was first used (survives restarts). */
  droppedTotal(): number;
}

/** Thrown when the spool folder cannot be created or read; the message is a plain sentence. */
export class SpoolError extends Error {
  override name = 'SpoolError';
}

/** Default number of rejected snapshots kept for inspection. */
export const DEFAULT_MAX_REJECTED_FILES = 100;
const DROPPED_FILE = 'dropped.json';
const TMP_PREFIX = '.tmp-';

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
}

async function writeAtomic(dir: string, name: string, text: string, write: (p: string, t: string) => Promise<void>): Promise<void> {
  const tmp = join(dir, `${TMP_PREFIX}${name}`);
  try {
    await write(tmp, text);
    await rename(tmp, join(dir, name));
  } catch (err) {
    await unlinkIfThere(tmp).catch(() => undefined);
    throw err;
  }
}

async function readDroppedTotal(dir: string, log: (line: string) => void): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, DROPPED_FILE), 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0;
    throw err;
  }
  try {
    const n = (JSON.parse(text) as { droppedTotal?: unknown }).droppedTotal;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  } catch {
    // fall through to the log line below
  }
  log(`spool: ${join(dir, DROPPED_FILE)} is unreadable; the dropped counter restarts at 0`);
  return 0;
}

/** Open (creating if needed) the spool folder, clear half-written temp files, and index what is pending. */
export async function openSpool(options: SpoolOptions): Promise<Spool> {
  const { dir } = options;
  const bounds: SpoolBounds = {
    maxFiles: options.maxFiles ?? DEFAULT_SPOOL_BOUNDS.maxFiles,
    maxBytes: options.maxBytes ?? DEFAULT_SPOOL_BOUNDS.maxBytes,
  };
  const maxRejected = options.maxRejectedFiles ?? DEFAULT_MAX_REJECTED_FILES;
  const log = options.log ?? (() => undefined);
  const write = options.writeFileImpl ?? ((path: string, text: string) => writeFile(path, text, { mode: 0o600 }));
  const rejectedDir = join(dir, 'rejected');

  const sizes = new Map<string, number>();
  let dropped: number;
  let nextSeq = 0;
  try {
    await mkdir(rejectedDir, { recursive: true, mode: 0o700 });
    const names = await readdir(dir);
    for (const name of names) {
      if (name.startsWith(TMP_PREFIX)) await unlinkIfThere(join(dir, name));
    }
    for (const name of replayOrder(names)) {
      sizes.set(name, (await stat(join(dir, name))).size);
      nextSeq = Math.max(nextSeq, (spoolSeqOf(name) ?? 0) + 1);
    }
    dropped = await readDroppedTotal(dir, log);
  } catch (err) {
    throw new SpoolError(`cannot use the spool folder ${dir}: ${(err as Error).message}`);
  }

  const ordered = (): string[] => replayOrder([...sizes.keys()]);

  async function enforceBounds(): Promise<void> {
    const drops = planDrops(ordered().map((name) => ({ name, sizeBytes: sizes.get(name) ?? 0 })), bounds);
    if (drops.length === 0) return;
    for (const name of drops) {
      await unlinkIfThere(join(dir, name));
      sizes.delete(name);
    }
    dropped += drops.length;
    await writeAtomic(dir, DROPPED_FILE, `${JSON.stringify({ droppedTotal: dropped })}\n`, write);
    log(`spool full: dropped ${drops.length} oldest snapshot(s) (total dropped ${dropped})`);
  }

  async function trimRejected(): Promise<void> {
    const names = replayOrder(await readdir(rejectedDir));
    for (const name of names.slice(0, Math.max(0, names.length - maxRejected))) await unlinkIfThere(join(rejectedDir, name));
  }

  return {
    dir,
    rejectedDir,
    async append(snapshot) {
      const name = spoolFileName(snapshot.takenAt, nextSeq);
      nextSeq += 1;
      const text = JSON.stringify(snapshot);
      await writeAtomic(dir, name, text, write);
      sizes.set(name, Buffer.byteLength(text));
      await enforceBounds();
      return name;
    },
    pending: ordered,
    read: (name) => readFile(join(dir, name), 'utf8'),
    async remove(name) {
      await unlinkIfThere(join(dir, name));
      sizes.delete(name);
    },
    async reject(name) {
      const target = join(rejectedDir, name);
      await rename(join(dir, name), target);
      sizes.delete(name);
      await trimRejected();
      return target;
    },
    droppedTotal: () => dropped,
  };
}
