// The push loop and enforcement: an accepted reply's actions go to the runner, and the results ride in the next
// snapshot (through the spool), without the action's run time holding up sampling.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionRunner, type Enforcer } from '../../enforcement/probe/runner.ts';
import { containerAction, settingsWith } from '../../enforcement/probe/test-support.ts';
import { hostSnapshotSchema, type HostSnapshot } from '../../snapshot/schema.ts';
import { runPushLoop } from './push-loop.ts';
import { sampleSnapshot, startTestServer, type TestServer } from './test-support.ts';

let dir: string;
let server: TestServer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-loop-act-'));
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('push loop with enforcement', () => {
  it('hands the reply actions to the runner and sends the results in the next snapshot', async () => {
    const action = containerAction({ host: 'gpu1' });
    let replies = 0;
    server.respond = () => {
      replies += 1;
      // Every reply repeats the action, as the service does until it hears back: it must run once only.
      return { status: 200, body: { accepted: true, alerts: [], actions: [action, { id: 'bad-1', type: 'reboot' }] } };
    };
    let acts = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const enforcer: Enforcer = {
      recheck: async () => ({ ok: true, facts: {} }),
      act: async () => {
        acts += 1;
        await gate; // a long stop grace: must not hold up the loop
        return { outcome: 'done', detail: 'stopped (SIGTERM, 60 s grace) and removed' };
      },
    };
    const logs: string[] = [];
    const runner = createActionRunner({ host: 'gpu1', settings: settingsWith(), enforcer, log: (l) => logs.push(l) });
    let t = Date.UTC(2026, 10, 25, 10, 0, 0);
    let cycle = 0;
    const collect = async (): Promise<HostSnapshot> => {
      cycle += 1;
      if (cycle === 3) release(); // the action finishes between cycle 2 and 3
      if (cycle === 3) await runner.idle();
      return sampleSnapshot(new Date(t).toISOString());
    };
    const summary = await runPushLoop({
      collect,
      url: server.url,
      token: 'tok',
      spoolDir: dir,
      intervalMs: 30_000,
      log: (l) => logs.push(l),
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      maxCycles: 4,
      timeoutMs: 2000,
      enforcement: runner,
    });
    expect(summary.delivered).toBe(4);
    expect(replies).toBe(4);
    expect(acts).toBe(1);
    const sent = server.requests.map((r) => hostSnapshotSchema.parse(JSON.parse(r.body)));
    expect(sent.map((s) => (s.actionResults ?? []).map((x) => `${x.id}:${x.outcome}`))).toEqual([
      [],
      ['bad-1:refused'], // the invalid element of the first reply
      ['fp1-stop-1:done'],
      [],
    ]);
    expect(logs.some((l) => l.startsWith('the service sent an action that is not valid'))).toBe(true);
    expect(logs).toContain('action fp1-stop-1 stop-container container gpu-job: done (stopped (SIGTERM, 60 s grace) and removed)');
  });

  it('keeps results that did not make it into a snapshot (collect failed) for the next one', async () => {
    const runner = createActionRunner({
      host: 'gpu1',
      settings: settingsWith({ mode: 'off' }),
      enforcer: { recheck: async () => ({ ok: true, facts: {} }), act: async () => ({ outcome: 'done', detail: '' }) },
      log: () => {},
    });
    runner.accept([containerAction({ host: 'gpu1' })]);
    let t = Date.UTC(2026, 10, 25, 10, 0, 0);
    let cycle = 0;
    await runPushLoop({
      collect: async () => {
        cycle += 1;
        if (cycle === 1) throw new Error('nvidia-smi wedged');
        return sampleSnapshot(new Date(t).toISOString());
      },
      url: server.url,
      token: 'tok',
      spoolDir: dir,
      intervalMs: 30_000,
      log: () => {},
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      maxCycles: 2,
      timeoutMs: 2000,
      enforcement: runner,
    });
    const sent = server.requests.map((r) => hostSnapshotSchema.parse(JSON.parse(r.body)));
    expect(sent.map((s) => s.actionResults?.map((x) => x.outcome))).toEqual([['refused']]);
  });
});
