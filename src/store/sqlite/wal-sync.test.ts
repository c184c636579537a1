import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWalSync } from './wal-sync.ts';

describe('createWalSync', () => {
  let dir: string;
  let wal: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-wal-'));
    wal = join(dir, 'db.sqlite-wal');
    await writeFile(wal, 'frames');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  /** A datasync that waits until released, counting calls. */
  function controlled() {
    const releases: Array<() => void> = [];
    let calls = 0;
    return {
      datasync: () => {
        calls += 1;
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      release: () => releases.shift()?.(),
      get calls() {
        return calls;
      },
    };
  }

  it('fdatasyncs the real WAL file', async () => {
    const sync = createWalSync(wal);
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
  });

  it('a caller that arrives while a sync runs waits for a later one (its writes may have missed the first)', async () => {
    const fake = controlled();
    const sync = createWalSync(wal, fake.datasync);
    const settled: string[] = [];
    const first = sync.sync().then(() => settled.push('first'));
    await new Promise((r) => setTimeout(r, 5));
    const second = sync.sync().then(() => settled.push('second'));
    const third = sync.sync().then(() => settled.push('third'));
    fake.release();
    await first;
    expect(settled).toEqual(['first']);
    await new Promise((r) => setTimeout(r, 5));
    expect(fake.calls).toBe(2); // second and third share one sync
    fake.release();
    await Promise.all([second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    await sync.close();
  });

  it('reports a failed sync to its callers and recovers for the next', async () => {
    let fail = true;
    const sync = createWalSync(wal, async (h) => {
      if (fail) throw new Error('EIO');
      await h.datasync();
    });
    await expect(sync.sync()).rejects.toThrow('EIO');
    fail = false;
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
  });

  it('fails (never pretends) when the WAL file cannot be opened', async () => {
    const sync = createWalSync(join(dir, 'missing-wal'));
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    await sync.close();
  });
});
