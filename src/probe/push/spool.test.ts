import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpool, SpoolError } from './spool.ts';
import { replayOrder } from './spool-policy.ts';
import { sampleSnapshot } from './test-support.ts';

let dir: string;
let logs: string[];
const log = (line: string): void => {
  logs.push(line);
};
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'gw-spool-')), 'spool');
  logs = [];
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const at = (i: number): string => new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + i * 30_000).toISOString();

describe('spool', () => {
  it('creates its folder and replays oldest first, whatever the append order', async () => {
    const spool = await openSpool({ dir, log });
    await spool.append(sampleSnapshot(at(2)));
    await spool.append(sampleSnapshot(at(0)));
    await spool.append(sampleSnapshot(at(1)));
    const order = await Promise.all(spool.pending().map(async (n) => (JSON.parse(await spool.read(n)) as { takenAt: string }).takenAt));
    expect(order).toEqual([at(0), at(1), at(2)]);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['rejected', ...spool.pending()]));
    expect(logs).toEqual([]);
  });

  it('stores exactly the snapshot JSON', async () => {
    const spool = await openSpool({ dir });
    const snap = sampleSnapshot(at(0), 'box-7');
    const name = await spool.append(snap);
    expect(JSON.parse(await readFile(join(dir, name), 'utf8'))).toEqual(snap);
  });

  it('keeps two snapshots with the same takenAt apart, also across a restart', async () => {
    const first = await openSpool({ dir });
    const a = await first.append(sampleSnapshot(at(0)));
    const b = await first.append(sampleSnapshot(at(0)));
    const again = await openSpool({ dir });
    const c = await again.append(sampleSnapshot(at(0)));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(again.pending()).toEqual([a, b, c]);
  });

  it('drops the oldest beyond maxFiles, one log line per drop, nothing lost within the bound', async () => {
    const spool = await openSpool({ dir, maxFiles: 3, log });
    for (let i = 0; i < 5; i += 1) await spool.append(sampleSnapshot(at(i)));
    const kept = await Promise.all(spool.pending().map(async (n) => (JSON.parse(await spool.read(n)) as { takenAt: string }).takenAt));
    expect(kept).toEqual([at(2), at(3), at(4)]);
    expect(spool.droppedTotal()).toBe(2);
    expect(logs).toEqual([
      'spool full: dropped 1 oldest snapshot(s) (total dropped 1)',
      'spool full: dropped 1 oldest snapshot(s) (total dropped 2)',
    ]);
    expect(replayOrder(await readdir(dir))).toEqual(spool.pending());
  });

  it('drops a whole batch with one line when the bound shrinks', async () => {
    const big = await openSpool({ dir });
    for (let i = 0; i < 6; i += 1) await big.append(sampleSnapshot(at(i)));
    const small = await openSpool({ dir, maxFiles: 2, log });
    await small.append(sampleSnapshot(at(6)));
    expect(logs).toEqual(['spool full: dropped 5 oldest snapshot(s) (total dropped 5)']);
    expect(small.pending()).toHaveLength(2);
  });

  it('drops the oldest beyond maxBytes', async () => {
    const size = Buffer.byteLength(JSON.stringify(sampleSnapshot(at(0))));
    const spool = await openSpool({ dir, maxBytes: Math.floor(size * 2.5), log });
    for (let i = 0; i < 4; i += 1) await spool.append(sampleSnapshot(at(i)));
    expect(spool.pending()).toHaveLength(2);
    expect(spool.droppedTotal()).toBe(2);
  });

  it('persists the dropped counter across restarts', async () => {
    const first = await openSpool({ dir, maxFiles: 1 });
    for (let i = 0; i < 3; i += 1) await first.append(sampleSnapshot(at(i)));
    expect(JSON.parse(await readFile(join(dir, 'dropped.json'), 'utf8'))).toEqual({ droppedTotal: 2 });
    const second = await openSpool({ dir, maxFiles: 1, log });
    expect(second.droppedTotal()).toBe(2);
    await second.append(sampleSnapshot(at(3)));
    expect(logs).toEqual(['spool full: dropped 1 oldest snapshot(s) (total dropped 3)']);
    expect(JSON.parse(await readFile(join(dir, 'dropped.json'), 'utf8'))).toEqual({ droppedTotal: 3 });
  });

  it('restarts a damaged counter at 0 and says so', async () => {
    await openSpool({ dir });
    await writeFile(join(dir, 'dropped.json'), '{"droppedTotal": "many"');
    const spool = await openSpool({ dir, log });
    expect(spool.droppedTotal()).toBe(0);
    expect(logs).toEqual([`spool: ${join(dir, 'dropped.json')} is unreadable; the dropped counter restarts at 0`]);
  });

  it('removes delivered snapshots and moves rejected ones to rejected/', async () => {
    const spool = await openSpool({ dir });
    const a = await spool.append(sampleSnapshot(at(0)));
    const b = await spool.append(sampleSnapshot(at(1)));
    await spool.remove(a);
    const target = await spool.reject(b);
    expect(target).toBe(join(dir, 'rejected', b));
    expect(spool.pending()).toEqual([]);
    expect(await readdir(join(dir, 'rejected'))).toEqual([b]);
    expect((await openSpool({ dir })).pending()).toEqual([]);
  });

  it('keeps only the newest maxRejectedFiles rejected snapshots', async () => {
    const spool = await openSpool({ dir, maxRejectedFiles: 2 });
    const names: string[] = [];
    for (let i = 0; i < 4; i += 1) names.push(await spool.append(sampleSnapshot(at(i))));
    for (const n of names) await spool.reject(n);
    expect(await readdir(join(dir, 'rejected'))).toEqual(names.slice(2));
  });

  it('ignores files that are not snapshots and clears half-written temp files on open', async () => {
    await openSpool({ dir });
    await writeFile(join(dir, 'README'), 'x');
    await writeFile(join(dir, '.tmp-20261125T100000000Z-0000000001.json'), '{"half');
    const spool = await openSpool({ dir });
    expect(spool.pending()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['README', 'rejected']);
  });

  it('reports a folder it cannot use in a plain sentence', async () => {
    await writeFile(join(dir, '..', 'plain-file'), 'x');
    const bad = join(dir, '..', 'plain-file', 'spool');
    await expect(openSpool({ dir: bad })).rejects.toThrow(SpoolError);
    await expect(openSpool({ dir: bad })).rejects.toThrow(`cannot use the spool folder ${bad}:`);
  });
});

describe('spool atomic writes', () => {
  it('shows no snapshot while it is being written, then the whole one', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (started = resolve));
    const spool = await openSpool({
      dir,
      writeFileImpl: async (path, text) => {
        await writeFile(path, text.slice(0, 10)); // half-written on disk
        started();
        await released;
        await writeFile(path, text);
      },
    });
    const appending = spool.append(sampleSnapshot(at(0)));
    await writing;
    const during = await readdir(dir);
    expect(replayOrder(during)).toEqual([]);
    expect(during.some((n) => n.startsWith('.tmp-'))).toBe(true);
    expect(spool.pending()).toEqual([]);
    release();
    const name = await appending;
    expect(JSON.parse(await readFile(join(dir, name), 'utf8'))).toEqual(sampleSnapshot(at(0)));
    expect((await readdir(dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('leaves neither a partial snapshot nor a temp file when the write fails', async () => {
    const spool = await openSpool({
      dir,
      writeFileImpl: async (path, text) => {
        await writeFile(path, text.slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expect(spool.append(sampleSnapshot(at(0)))).rejects.toThrow('ENOSPC');
    expect(spool.pending()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['rejected']);
  });
});
