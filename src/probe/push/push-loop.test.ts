import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { abortableSleep, runPushLoop, type PushLoopOptions } from './push-loop.ts';
import { ACCEPTED, sampleSnapshot, startTestServer, takenAts, type RecordedRequest, type TestReply, type TestServer } from './test-support.ts';

const TOKEN = 'gw_T0P-s3cret_tok3n';
const INTERVAL_MS = 30_000;

let dir: string;
let server: TestServer;
let logs: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-loop-'));
  server = await startTestServer();
  logs = [];
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Loop options on the real clock against the test server, spooling in `dir` and logging to `logs`. */
function onServer(): Pick<PushLoopOptions, 'url' | 'token' | 'spoolDir' | 'log'> {
  return { url: server.url, token: TOKEN, spoolDir: dir, log: (line) => logs.push(line) };
}

/** A fake clock: `sleep` advances time at once, so 6 cycles of 30 s take no real time. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[]; advance: (ms: number) => void } {
  let t = Date.UTC(2026, 10, 25, 10, 0, 0);
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Loop options on the fake clock, collecting a snapshot stamped with the fake time; `onCycle` runs before each. */
function loopOptions(clock: ReturnType<typeof fakeClock>, onCycle: (cycle: number) => void | Promise<void> = () => undefined) {
  const collected: string[] = [];
  let cycle = 0;
  const options: PushLoopOptions = {
    collect: async (): Promise<HostSnapshot> => {
      cycle += 1;
      await onCycle(cycle);
      const takenAt = new Date(clock.now()).toISOString();
      collected.push(takenAt);
      return sampleSnapshot(takenAt);
    },
    url: server.url,
    token: TOKEN,
    spoolDir: dir,
    intervalMs: INTERVAL_MS,
    log: (line) => logs.push(line),
    now: clock.now,
    sleep: clock.sleep,
    timeoutMs: 2000,
  };
  return { options, collected };
}

const answered200 = (reqs: RecordedRequest[], ok: Set<RecordedRequest>): RecordedRequest[] => reqs.filter((r) => ok.has(r));

describe('runPushLoop', () => {
  it('delivers all 6 snapshots in order, exactly once, after the service was down for 5 cycles', async () => {
    const clock = fakeClock();
    let down = true;
    const ok = new Set<RecordedRequest>();
    server.respond = (req) => {
      if (down) return { status: 503, body: { error: 'unavailable', message: 'maintenance' } };
      ok.add(req);
      return ACCEPTED;
    };
    const { options, collected } = loopOptions(clock, (cycle) => {
      down = cycle <= 5;
    });
    const summary = await runPushLoop({ ...options, maxCycles: 6 });

    expect(takenAts(answered200(server.requests, ok))).toEqual(collected);
    expect(collected).toHaveLength(6);
    expect(new Set(collected).size).toBe(6);
    // Cycles stay on the 30 s grid; retries back off 1, 2, 4, 8 s, then wait for the cycle, capped at the interval.
    expect(collected.map((t) => (Date.parse(t) - Date.parse(collected[0] ?? '')) / 1000)).toEqual([0, 30, 60, 90, 120, 150]);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000, 30_000]);
    // While down, every attempt starts with the oldest snapshot: order is never broken.
    const failed = server.requests.filter((r) => !ok.has(r));
    expect(new Set(takenAts(failed))).toEqual(new Set([collected[0]]));
    expect(failed).toHaveLength(9);
    expect(summary).toEqual({ cycles: 6, delivered: 6, rejected: 0, pending: 0, droppedTotal: 0 });
    expect(logs).toEqual([
      `push to ${server.url} failed (HTTP 503: maintenance); 1 snapshot(s) stay spooled and will be retried`,
      `push to ${server.url} works again: delivered 6 snapshot(s), 0 still spooled`,
    ]);
  });

  it('stamps every send, spool replays included, with the loop clock at the send (X-Gpuwarden-Sent-At)', async () => {
    const clock = fakeClock();
    let down = true;
    server.respond = () => (down ? { status: 503, body: { message: 'maintenance' } } : ACCEPTED);
    const { options, collected } = loopOptions(clock, (cycle) => {
      down = cycle === 1;
    });
    await runPushLoop({ ...options, maxCycles: 2 });
    const delivered = server.requests.slice(-2);
    expect(takenAts(delivered)).toEqual(collected);
    const sentAt = delivered.map((r) => r.headers['x-gpuwarden-sent-at']);
    // The first snapshot waited in the spool: it is sent with the second cycle's time, not its own takenAt.
    expect(sentAt[0]).not.toBe(collected[0]);
    expect(sentAt[0]).toBe(collected[1]);
    expect(sentAt[1]).toBe(collected[1]);
    for (const r of server.requests) expect(Date.parse(String(r.headers['x-gpuwarden-sent-at']))).toBeGreaterThanOrEqual(Date.parse(collected[0] ?? ''));
  });

  it('survives a closed port and delivers in order once the service is back on it', async () => {
    const clock = fakeClock();
    const { port } = server;
    await server.close();
    const { options, collected } = loopOptions(clock, async (cycle) => {
      if (cycle === 3) server = await startTestServer(() => ACCEPTED, port);
    });
    const summary = await runPushLoop({ ...options, maxCycles: 3 });
    expect(takenAts(server.requests)).toEqual(collected);
    expect(summary.delivered).toBe(3);
    expect(logs.filter((l) => l.includes('ECONNREFUSED'))).toHaveLength(1);
  });

  it('moves a rejected snapshot to rejected/, logs why, and carries on', async () => {
    const clock = fakeClock();
    const { options, collected } = loopOptions(clock);
    server.respond = (req) =>
      takenAts([req])[0] === collected[1] ? { status: 400, body: { error: 'invalid_snapshot', message: 'gpus.0.index: expected number' } } : ACCEPTED;
    const summary = await runPushLoop({ ...options, maxCycles: 3 });
    expect(summary).toMatchObject({ cycles: 3, delivered: 2, rejected: 1, pending: 0 });
    const rejected = await readdir(join(dir, 'rejected'));
    expect(rejected).toHaveLength(1);
    expect(logs).toEqual([`snapshot ${rejected[0] ?? ''} rejected (HTTP 400: gpus.0.index: expected number); moved to ${join(dir, 'rejected', rejected[0] ?? '')}`]);
    expect(takenAts(server.requests)).toEqual(collected);
    expect(clock.sleeps).toEqual([INTERVAL_MS, INTERVAL_MS]);
  });

  it('keeps snapshots on a credentials problem, logs it once, and retries only at the interval', async () => {
    const clock = fakeClock();
    let auth = true;
    server.respond = () => (auth ? { status: 401, body: { message: 'unknown token' } } : ACCEPTED);
    const { options, collected } = loopOptions(clock, (cycle) => {
      auth = cycle <= 3;
    });
    const summary = await runPushLoop({ ...options, maxCycles: 4 });
    expect(clock.sleeps).toEqual([INTERVAL_MS, INTERVAL_MS, INTERVAL_MS]);
    expect(server.requests).toHaveLength(3 + 4);
    expect(takenAts(server.requests.slice(3))).toEqual(collected);
    expect(summary.delivered).toBe(4);
    expect(logs.filter((l) => l.includes('refused the credentials'))).toEqual([
      `push to ${server.url} refused the credentials (HTTP 401: unknown token); check --token-file. 1 snapshot(s) stay spooled, retrying every 30s`,
    ]);
  });

  it('never writes the token in a log line, whatever echoes it', async () => {
    const clock = fakeClock();
    const echo = (req: RecordedRequest): string => `got ${req.headers.authorization ?? ''}`;
    let cycleNow = 0;
    server.respond = (req) => (cycleNow <= 2 ? { status: 401, body: { message: echo(req) } } : cycleNow === 3 ? { status: 500, body: { message: echo(req) } } : { status: 422, body: { message: echo(req) } });
    const { options } = loopOptions(clock, (cycle) => {
      cycleNow = cycle;
      if (cycle === 5) throw new Error(`collector crashed near ${TOKEN}`);
    });
    await runPushLoop({ ...options, maxCycles: 5, retryBaseMs: INTERVAL_MS });
    expect(logs.length).toBeGreaterThanOrEqual(5);
    for (const line of logs) expect(line).not.toContain(TOKEN);
    expect(logs.filter((l) => l.includes('refused the credentials'))).toHaveLength(1);
    expect(logs).toContain(`collect failed: collector crashed near [redacted]`);
    expect(logs.filter((l) => l.includes('rejected (HTTP 422: got Bearer [redacted])'))).toHaveLength(4);
    expect(await readdir(join(dir, 'rejected'))).toHaveLength(4);
  });

  it('drops the oldest beyond the spool bound during a long outage and delivers the rest', async () => {
    const clock = fakeClock();
    let down = true;
    server.respond = () => (down ? { status: 502 } : ACCEPTED);
    const { options, collected } = loopOptions(clock, (cycle) => {
      down = cycle <= 4;
    });
    const summary = await runPushLoop({ ...options, maxCycles: 5, spoolBounds: { maxFiles: 2 } });
    expect(takenAts(server.requests.slice(-2))).toEqual(collected.slice(3));
    expect(server.requests.at(-3)?.body).toContain(collected[2]); // the last failed try, before 3 was dropped
    expect(summary).toMatchObject({ delivered: 2, droppedTotal: 3, pending: 0 });
    expect(logs).toContain('spool full: dropped 1 oldest snapshot(s) (total dropped 3)');
  });

  it('keeps delivering older snapshots when a collection fails', async () => {
    const clock = fakeClock();
    let down = true;
    server.respond = () => (down ? { status: 503 } : ACCEPTED);
    const { options, collected } = loopOptions(clock, (cycle) => {
      down = cycle === 1;
      if (cycle === 2) throw new Error('nvidia-smi vanished');
    });
    const summary = await runPushLoop({ ...options, maxCycles: 2, retryBaseMs: INTERVAL_MS });
    expect(logs).toContain('collect failed: nvidia-smi vanished');
    expect(summary.delivered).toBe(1);
    expect(takenAts(server.requests)).toEqual([collected[0], collected[0]]);
  });

  it('pushes a snapshot that cannot be spooled directly', async () => {
    const clock = fakeClock();
    const { options } = loopOptions(clock);
    const summary = await runPushLoop({ ...options, collect: () => Promise.resolve(sampleSnapshot('not a time')), maxCycles: 1 });
    expect(logs).toEqual(['cannot spool the snapshot (takenAt "not a time" is not a time); pushing it without a copy on disk']);
    expect(takenAts(server.requests)).toEqual(['not a time']);
    expect(summary.delivered).toBe(1);
  });

  it('starts the next cycle at once when a cycle overran the interval', async () => {
    const clock = fakeClock();
    const { options, collected } = loopOptions(clock, () => clock.advance(45_000));
    await runPushLoop({ ...options, maxCycles: 3 });
    expect(clock.sleeps).toEqual([]);
    expect(takenAts(server.requests)).toEqual(collected);
  });

  it('ends after the request in flight when the signal fires, without waiting for the interval', async () => {
    const controller = new AbortController();
    server.respond = () => {
      controller.abort(); // SIGTERM while the request is in flight
      return ACCEPTED;
    };
    const started = Date.now();
    const summary = await runPushLoop({
      collect: () => Promise.resolve(sampleSnapshot(new Date().toISOString())),
      ...onServer(),
      intervalMs: 3_600_000,
      signal: controller.signal,
    });
    expect(summary).toMatchObject({ cycles: 1, delivered: 1, pending: 0 });
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('samples on schedule while the service hangs, spooling behind the one request in flight', async () => {
    server.respond = () => 'hang';
    const controller = new AbortController();
    const collectedAtMs: number[] = [];
    const started = Date.now();
    setTimeout(() => controller.abort(), 2200);
    const summary = await runPushLoop({
      collect: () => {
        collectedAtMs.push(Date.now() - started);
        return Promise.resolve(sampleSnapshot(new Date().toISOString()));
      },
      ...onServer(),
      intervalMs: 500,
      timeoutMs: 3000,
      signal: controller.signal,
    });
    // Samples at 0, 500, 1000, 1500, 2000 ms, not one per 3 s request timeout.
    expect(collectedAtMs.length).toBeGreaterThanOrEqual(4);
    collectedAtMs.forEach((t, i) => expect(t).toBeLessThan(i * 500 + 400));
    // Never a second delivery while one is in flight: the hanging request is the only one.
    expect(server.requests).toHaveLength(1);
    expect(summary).toMatchObject({ cycles: collectedAtMs.length, delivered: 0, pending: collectedAtMs.length });
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(collectedAtMs.length);
    expect(logs).toEqual([expect.stringContaining(`(no reply within 3000 ms); ${collectedAtMs.length} snapshot(s) stay spooled`)]);
  }, 10_000);

  it('sends a snapshot spooled during a slow push as soon as that push ends, not a cycle later', async () => {
    const late: TestReply = { status: 200, body: { accepted: true, alerts: [], actions: [] }, delayMs: 1100 };
    server.respond = (req) => (server.requests.indexOf(req) === 0 ? late : ACCEPTED);
    const started = Date.now();
    const summary = await runPushLoop({
      collect: () => Promise.resolve(sampleSnapshot(new Date().toISOString())),
      ...onServer(),
      intervalMs: 1000,
      timeoutMs: 3000,
      maxCycles: 3,
    });
    expect(summary).toMatchObject({ cycles: 3, delivered: 3, pending: 0 });
    // The second snapshot (spooled at 1 s while the first push hung on) goes out when that push ends at 1.1 s, not at 2 s.
    expect((server.requests[1]?.atMs ?? 0) - started).toBeLessThan(1600);
    expect(logs).toEqual([]);
  }, 10_000);

  it('does not start when the signal already fired, and keeps what is spooled', async () => {
    const clock = fakeClock();
    const { options } = loopOptions(clock);
    const controller = new AbortController();
    controller.abort();
    expect(await runPushLoop({ ...options, signal: controller.signal })).toMatchObject({ cycles: 0, delivered: 0 });
    expect(server.requests).toEqual([]);
  });
});

describe('abortableSleep', () => {
  it('waits the time when nothing fires', async () => {
    const started = Date.now();
    await abortableSleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('returns early, without throwing, when the signal fires', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await abortableSleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
