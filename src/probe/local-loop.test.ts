// The local loop hands each snapshot to a real core (memory store, the real rule pack) and the reply's actions to
// the real action runner, as a pushing probe does; a snapshot outside the contract is logged, never ingested.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createActionRunner, type Enforcer } from '../enforcement/probe/runner.ts';
import { containerAction, settingsWith } from '../enforcement/probe/test-support.ts';
import { createCore } from '../service/ingest.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { asReceived, startLocalLoop } from './local-loop.ts';

/** A clock that only moves when the loop sleeps: no real timers. */
function fakeTime(startMs: number): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let nowMs = startMs;
  const slept: number[] = [];
  return { now: () => nowMs, sleep: async (ms) => { slept.push(ms); nowMs += ms; }, slept };
}

describe('startLocalLoop', () => {
  it('ingests each collected snapshot into the core, every interval, and a repeated one is a duplicate', async () => {
    const store = createMemoryStore();
    const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits() });
    const taken = [t(0), t(0.5), t(0.5)]; // the third repeats the second: the core's dedupe on (host, id) answers
    let i = 0;
    const time = fakeTime(Date.parse(t(0)));
    const logs: string[] = [];
    const seen: string[] = [];
    const loop = startLocalLoop({
      collect: async () => snapshot(taken[i++] ?? t(9), { gpuProcesses: [proc(4242)] }),
      ingest: (s) => core.ingest(s, new Date(time.now())),
      intervalMs: 30_000,
      log: (l) => logs.push(l),
      onSnapshot: (s) => seen.push(s.takenAt),
      now: time.now,
      sleep: time.sleep,
      maxCycles: 3,
    });
    expect(await loop.done).toEqual({ cycles: 3, accepted: 2, duplicate: 1, failed: 0 });
    expect(time.slept).toEqual([30_000, 30_000]);
    expect(seen).toEqual(taken);
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(0.5));
    expect((await store.alertsForHost('ds01')).map((a) => a.rule)).toEqual(['untracked-host-gpu-process']);
    expect(logs).toEqual([]);
  });

  it('hands the due actions to the runner, which reports them in the next snapshot (here in dry-run)', async () => {
    const action = containerAction({ host: 'ds01' });
    const enforcer: Enforcer = { recheck: async () => ({ ok: true, facts: {} }), act: async () => ({ outcome: 'done', detail: 'stopped' }) };
    const logs: string[] = [];
    const runner = createActionRunner({ host: 'ds01', settings: settingsWith({ mode: 'dry-run' }), enforcer, log: (l) => logs.push(l) });
    const ingested: HostSnapshot[] = [];
    let n = 0;
    const time = fakeTime(Date.parse(t(0)));
    const loop = startLocalLoop({
      collect: async () => {
        await runner.idle();
        return snapshot(t(n++));
      },
      ingest: async (s) => {
        ingested.push(s);
        // As the service does until it hears back: every reply repeats the action; a bad element is reported.
        return { accepted: true, actions: [action, { id: 'bad-1', type: 'reboot' } as never] };
      },
      intervalMs: 1000,
      log: (l) => logs.push(l),
      enforcement: runner,
      now: time.now,
      sleep: time.sleep,
      maxCycles: 2,
    });
    await loop.done;
    expect(ingested[0]?.actionResults).toBeUndefined();
    expect(ingested[1]?.actionResults?.map((r) => [r.id, r.outcome])).toEqual([
      ['bad-1', 'refused'],
      [action.id, 'dry-run'],
    ]);
    expect(logs.some((l) => l.includes('dry-run'))).toBe(true);
  });

  it('logs a snapshot that does not fit the contract and does not ingest it; a failing collect is logged too', async () => {
    const logs: string[] = [];
    const ingested: string[] = [];
    let n = 0;
    const time = fakeTime(0);
    const loop = startLocalLoop({
      collect: async () => {
        n += 1;
        if (n === 1) throw new Error('boom');
        return { ...snapshot(t(n)), host: 'not a host' };
      },
      ingest: async (s) => (ingested.push(s.id), { accepted: true, actions: [] }),
      intervalMs: 1000,
      log: (l) => logs.push(l),
      now: time.now,
      sleep: time.sleep,
      maxCycles: 2,
    });
    expect(await loop.done).toEqual({ cycles: 2, accepted: 0, duplicate: 0, failed: 2 });
    expect(ingested).toEqual([]);
    expect(logs[0]).toBe('local probe: collect failed: boom');
    expect(logs[1]).toMatch(/^local probe: snapshot taken at .* does not fit the snapshot contract, not evaluated \(1 problem\(s\): host: /);
  });

  it('stop() ends the loop after the cycle in flight, without waiting for the interval', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const ingested: string[] = [];
    const loop = startLocalLoop({
      collect: async () => snapshot(t(0)),
      ingest: async (s) => {
        await gate;
        ingested.push(s.id);
        return { accepted: true, actions: [] };
      },
      intervalMs: 3_600_000,
      log: () => undefined,
    });
    const stopped = loop.stop();
    release();
    expect(await stopped).toEqual({ cycles: 1, accepted: 1, duplicate: 0, failed: 0 });
    expect(ingested).toHaveLength(1);
  });

  it('asReceived keeps a valid snapshot as JSON would carry it', () => {
    const s = snapshot(t(0), { gpuProcesses: [proc(7)] });
    expect(asReceived(s)).toEqual({ ok: true, snapshot: JSON.parse(JSON.stringify(s)) });
  });
});
