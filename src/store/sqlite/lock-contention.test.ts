import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAlert, sampleHost } from '../contract.test-suite.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

// Another connection, in another thread, that takes the write lock, says so, holds it for `holdMs`, then commits.
const LOCK_HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO hosts (host, last_seen_at, last_taken_at, tracked) VALUES ('from-worker', 't', 't', '{}')").run();
parentPort.postMessage('locked');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
db.exec('COMMIT');
db.close();
parentPort.postMessage('committed');
`;

interface Holder {
  locked: Promise<void>;
  done: Promise<void>;
}

function holdWriteLock(file: string, holdMs: number): Holder {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(LOCK_HOLDER, { eval: true, workerData: { driver, file, holdMs } });
  let onLocked: () => void = () => undefined;
  const locked = new Promise<void>((resolve) => {
    onLocked = resolve;
  });
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => {
      if (message === 'locked') onLocked();
      if (message === 'committed') resolve();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`))));
  });
  return { locked, done };
}

describe('two connections writing at once (real lock contention)', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-lock-'));
    file = join(dir, 'store.sqlite');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('waits for the other writer (busy_timeout) instead of failing, and both writes land', async () => {
    const store = openSqliteStore(file);
    stores.push(store);
    const holder = holdWriteLock(file, 300);
    await holder.locked;
    // The lock is held right now: this call can only succeed by waiting for the worker's COMMIT.
    await store.commitEvaluation({ hostRecord: sampleHost('from-store'), upsert: [sampleAlert()], remove: [] });
    await holder.done;
    expect((await store.listHosts()).map((h) => h.host)).toEqual(['from-store', 'from-worker']);
    expect(await store.listAlerts({})).toHaveLength(1);
  });

  it('fails with SQLITE_BUSY, changing nothing, when the wait is shorter than the lock', async () => {
    const store = openSqliteStore(file, { busyTimeoutMs: 20 });
    stores.push(store);
    const holder = holdWriteLock(file, 1000);
    await holder.locked;
    await expect(store.commitEvaluation({ hostRecord: sampleHost('from-store'), upsert: [sampleAlert()], remove: [] })).rejects.toThrow(/database is locked/);
    await holder.done;
    expect((await store.listHosts()).map((h) => h.host)).toEqual(['from-worker']);
    expect(await store.listAlerts({})).toEqual([]);
  });
});
