import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainSpool } from './drain.ts';
import type { PushOutcome } from './push-client.ts';
import { openSpool, type Spool } from './spool.ts';
import { sampleSnapshot } from './test-support.ts';

let dir: string;
let spool: Spool;
let logs: string[];
const log = (line: string): void => {
  logs.push(line);
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-drain-'));
  spool = await openSpool({ dir });
  logs = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (i: number): string => new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString();

/** A push that answers from a script keyed by takenAt (default accepted) and records the order. */
function scripted(answers: Record<string, PushOutcome> = {}): { push: (json: string) => Promise<PushOutcome>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    push: (json) => {
      const { takenAt } = JSON.parse(json) as { takenAt: string };
      sent.push(takenAt);
      return Promise.resolve(answers[takenAt] ?? { kind: 'accepted', status: 200 });
    },
  };
}

describe('drainSpool', () => {
  it('sends everything oldest first and empties the spool', async () => {
    for (const i of [2, 0, 1]) await spool.append(sampleSnapshot(at(i)));
    const s = scripted();
    const r = await drainSpool(spool, { push: s.push, log });
    expect(s.sent).toEqual([at(0), at(1), at(2)]);
    expect(r).toMatchObject({ delivered: 3, rejected: 0, stoppedBy: null });
    expect(spool.pending()).toEqual([]);
  });

  it('counts a duplicate as delivered', async () => {
    await spool.append(sampleSnapshot(at(0)));
    const r = await drainSpool(spool, { push: scripted({ [at(0)]: { kind: 'duplicate', status: 200 } }).push, log });
    expect(r.delivered).toBe(1);
    expect(spool.pending()).toEqual([]);
  });

  it('stops at the first retryable failure and keeps it and everything after it, in order', async () => {
    for (const i of [0, 1, 2]) await spool.append(sampleSnapshot(at(i)));
    const s = scripted({ [at(1)]: { kind: 'retry', status: 503, message: 'busy' } });
    const r = await drainSpool(spool, { push: s.push, log });
    expect(s.sent).toEqual([at(0), at(1)]);
    expect(r.stoppedBy).toEqual({ kind: 'retry', status: 503, message: 'busy' });
    expect(r.handled.map((h) => h.outcome.kind)).toEqual(['accepted', 'retry']);
    expect(spool.pending()).toHaveLength(2);
  });

  it('stops on a credentials problem too', async () => {
    for (const i of [0, 1]) await spool.append(sampleSnapshot(at(i)));
    const s = scripted({ [at(0)]: { kind: 'auth', status: 401 } });
    expect((await drainSpool(spool, { push: s.push, log })).stoppedBy?.kind).toBe('auth');
    expect(s.sent).toEqual([at(0)]);
    expect(spool.pending()).toHaveLength(2);
  });

  it('moves a rejected snapshot to rejected/, logs one line, and goes on', async () => {
    const names: string[] = [];
    for (const i of [0, 1, 2]) names.push(await spool.append(sampleSnapshot(at(i))));
    const s = scripted({ [at(1)]: { kind: 'rejected', status: 422, message: 'gpus.0: bad' } });
    const r = await drainSpool(spool, { push: s.push, log });
    expect(s.sent).toEqual([at(0), at(1), at(2)]);
    expect(r).toMatchObject({ delivered: 2, rejected: 1, stoppedBy: null });
    expect(await readdir(join(dir, 'rejected'))).toEqual([names[1]]);
    expect(logs).toEqual([`snapshot ${names[1] ?? ''} rejected (HTTP 422: gpus.0: bad); moved to ${join(dir, 'rejected', names[1] ?? '')}`]);
  });

  it('sets aside a file damaged on disk without sending it', async () => {
    const name = await spool.append(sampleSnapshot(at(0)));
    await writeFile(join(dir, name), '{"truncat');
    const s = scripted();
    const r = await drainSpool(spool, { push: s.push, log });
    expect(s.sent).toEqual([]);
    expect(r.rejected).toBe(1);
    expect(logs[0]).toContain('rejected (not sent: the spooled file is not a JSON object (damaged on disk))');
  });

  it('skips a file removed by hand meanwhile', async () => {
    const a = await spool.append(sampleSnapshot(at(0)));
    await spool.append(sampleSnapshot(at(1)));
    await unlink(join(dir, a));
    const s = scripted();
    const r = await drainSpool(spool, { push: s.push, log });
    expect(s.sent).toEqual([at(1)]);
    expect(r.delivered).toBe(1);
    expect(spool.pending()).toEqual([]);
  });

  it('stops before the next request once the signal fired', async () => {
    for (const i of [0, 1, 2]) await spool.append(sampleSnapshot(at(i)));
    const controller = new AbortController();
    const s = scripted();
    const push = async (json: string): Promise<PushOutcome> => {
      controller.abort(); // SIGTERM arrives while the first request is in flight
      return s.push(json);
    };
    const r = await drainSpool(spool, { push, log, signal: controller.signal });
    expect(s.sent).toEqual([at(0)]);
    expect(r).toMatchObject({ delivered: 1, stoppedBy: null });
    expect(spool.pending()).toHaveLength(2);
  });
});
