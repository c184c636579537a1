import { open, type FileHandle } from 'node:fs/promises';

/** Makes what SQLite wrote to the WAL durable, off the event loop. */
export interface WalSync {
  /** Resolves once every WAL write made before this call is on disk (fdatasync in libuv's thread pool). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Coalescing fdatasync of a WAL file. SQLite runs with synchronous=NORMAL (no fsync on the event loop, where a slow
 * disk stalled every request for its 3–40 ms); a write is acknowledged only after this sync, so an acknowledged
 * write survives power loss as with synchronous=FULL. Concurrent callers share syncs: one in flight, at most one
 * queued behind it (which covers every write made while the first ran).
 */
export function createWalSync(walPath: string, datasync: (handle: FileHandle) => Promise<void> = (h) => h.datasync()): WalSync {
  let handle: Promise<FileHandle> | null = null;
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const run = async (): Promise<void> => {
    // The WAL file exists from the connection's first write on; it is truncated, never replaced, while open.
    handle ??= open(walPath, 'r+');
    await datasync(await handle);
  };
  const start = (): Promise<void> => {
    const p = run().finally(() => {
      if (inFlight === p) inFlight = null;
    });
    inFlight = p;
    return p;
  };
  return {
    sync(): Promise<void> {
      if (inFlight === null) return start();
      queued ??= inFlight.catch(() => undefined).then(() => {
        queued = null;
        return start();
      });
      return queued;
    },
    async close(): Promise<void> {
      await Promise.allSettled([inFlight, queued]);
      const h = handle;
      handle = null;
      if (h !== null) await (await h.catch(() => null))?.close();
    },
  };
}
