import { describe, expect, it } from 'vitest';
import { actionResultSchema, type PlannedAction } from '../action.ts';
import { createActionRunner, dryRunDetail, escapeForLog, type Enforcer, type RecheckResult } from './runner.ts';
import type { EnforcementSettings } from './settings.ts';
import { containerAction, processAction, settingsWith } from './test-support.ts';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function setup(settings: Partial<EnforcementSettings> = {}, recheck: RecheckResult = { ok: true, facts: {} }) {
  const calls: string[] = [];
  const lines: string[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const enforcer: Enforcer = {
    recheck: async (a) => {
      calls.push(`recheck ${a.id}`);
      return recheck;
    },
    act: async (a, graceS) => {
      calls.push(`act ${a.id} ${graceS}`);
      await gate;
      return { outcome: 'done', detail: 'stopped (SIGTERM, 60 s grace) and removed' };
    },
  };
  let now = NOW;
  const runner = createActionRunner({ host: 'h1', settings: settingsWith(settings), enforcer, log: (l) => lines.push(l), nowMs: () => now });
  return {
    runner,
    calls,
    lines,
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
    advance: (ms: number) => (now += ms),
  };
}

async function results(s: ReturnType<typeof setup>, actions: PlannedAction[]) {
  s.runner.accept(actions);
  await s.runner.idle();
  return s.runner.takeResults();
}

describe('action runner', () => {
  it('acts in mode on and reports done with the grace from the action or the settings', async () => {
    const s = setup();
    const r = await results(s, [containerAction(), containerAction({ id: 'x2', params: { graceS: 5 } })]);
    expect(r.map((x) => [x.id, x.outcome])).toEqual([['fp1-stop-1', 'done'], ['x2', 'done']]);
    expect(s.calls).toEqual(['recheck fp1-stop-1', 'recheck x2', 'act fp1-stop-1 60', 'act x2 5']);
    expect(r.every((x) => actionResultSchema.safeParse(x).success)).toBe(true);
    expect(r[0]?.at).toBe(new Date(NOW).toISOString());
    expect(s.lines[0]).toBe('action fp1-stop-1 stop-container container gpu-job: done (stopped (SIGTERM, 60 s grace) and removed)');
  });

  it('checks in order: host, expiry, notBefore, allow list, mode', async () => {
    const s = setup({ allow: new Set(['warn']), mode: 'off' });
    const r = await results(s, [
      containerAction({ id: 'a1', host: 'h2', expiresAt: '2020-01-01T00:00:00.000Z' }),
      containerAction({ id: 'a2', expiresAt: '2026-06-01T11:59:59.000Z', notBefore: '2099-01-01T00:00:00.000Z' }),
      containerAction({ id: 'a3', notBefore: '2026-06-01T12:00:01.000Z' }),
      containerAction({ id: 'a4' }),
      containerAction({ id: 'a5', type: 'warn' }),
    ]);
    expect(r.map((x) => [x.id, x.outcome, x.detail])).toEqual([
      ['a1', 'refused', 'the action is for host h2, this is h1'],
      ['a2', 'expired', 'arrived after it expired at 2026-06-01T11:59:59.000Z'],
      ['a4', 'refused', "stop-container is not in this probe's allow list"],
      ['a5', 'refused', 'enforcement is off on this host'],
    ]);
    expect(s.calls).toEqual([]);
  });

  it('runs an action whose notBefore has passed when it comes again', async () => {
    const s = setup();
    expect(await results(s, [containerAction({ notBefore: '2026-06-01T12:00:10.000Z' })])).toEqual([]);
    s.advance(10_000);
    expect((await results(s, [containerAction({ notBefore: '2026-06-01T12:00:10.000Z' })])).map((x) => x.outcome)).toEqual(['done']);
  });

  it('never runs the same id twice, in flight or already reported', async () => {
    const s = setup();
    s.hold();
    s.runner.accept([containerAction()]);
    s.runner.accept([containerAction()]);
    await Promise.resolve();
    expect(s.runner.takeResults()).toEqual([]); // still in flight: nothing yet
    s.release();
    await s.runner.idle();
    s.runner.accept([containerAction()]);
    await s.runner.idle();
    expect(s.runner.takeResults().length).toBe(1);
    expect(s.calls.filter((c) => c.startsWith('act'))).toHaveLength(1);
  });

  it('forgets ids after the bound so memory stays bounded', async () => {
    const lines: string[] = [];
    const enforcer: Enforcer = { recheck: async () => ({ ok: true, facts: {} }), act: async () => ({ outcome: 'done', detail: 'ok' }) };
    const runner = createActionRunner({ host: 'h1', settings: settingsWith(), enforcer, log: (l) => lines.push(l), nowMs: () => NOW, maxRememberedIds: 2 });
    runner.accept(['i1', 'i2', 'i3', 'i1'].map((id) => containerAction({ id })));
    await runner.idle();
    expect(runner.takeResults().map((r) => r.id)).toEqual(['i1', 'i2', 'i3', 'i1']);
  });

  it('does not hold up the caller while an action runs', async () => {
    const s = setup();
    s.hold();
    const started = Date.now();
    s.runner.accept([containerAction()]);
    expect(Date.now() - started).toBeLessThan(50);
    s.release();
    await s.runner.idle();
  });

  it('dry-run goes through every check and says what it would have done', async () => {
    const s = setup({ mode: 'dry-run' });
    const r = await results(s, [containerAction(), processAction({ params: { graceS: 10 } }), containerAction({ id: 'w1', type: 'warn' })]);
    // Results come in the order the actions finish (the warn needs no re-check).
    expect(r.map((x) => [x.outcome, x.detail]).sort()).toEqual([
      ['dry-run', 'would have signalled process 4242 (SIGTERM, SIGKILL after 10 s)'],
      ['dry-run', 'would have stopped container gpu-job (SIGTERM, 60 s grace) and removed it'],
      ['dry-run', 'would have written the message to the terminals of alice'],
    ]);
    expect(s.calls).toEqual(['recheck fp1-stop-1', 'recheck fp2-signal-1']);
  });

  it('reports a changed target and a veto instead of acting', async () => {
    const changed = setup({}, { ok: false, detail: 'container gpu-job was replaced (id differs)' });
    expect(await results(changed, [containerAction()])).toMatchObject([{ outcome: 'target-changed', detail: 'container gpu-job was replaced (id differs)' }]);
    const prot = setup({}, { ok: true, facts: { containerLabels: { 'ds01.protected': 'true' } } });
    expect(await results(prot, [containerAction()])).toMatchObject([{ outcome: 'vetoed' }]);
    const exempt = setup({ exemptUsers: new Set(['alice']) });
    expect(await results(exempt, [containerAction()])).toMatchObject([{ outcome: 'vetoed', detail: 'vetoed by the probe: user alice is in exempt_users' }]);
    expect(exempt.calls).toEqual([]);
    const lowUid = setup();
    const root = processAction({ target: { kind: 'process', pid: 1, startTime: null, uid: 0, containerId: null } });
    expect(await results(lowUid, [root])).toMatchObject([{ outcome: 'vetoed', detail: expect.stringMatching(/uid 0/) as unknown }]);
    expect(prot.calls.filter((c) => c.startsWith('act'))).toEqual([]);
  });

  it('uses the latest snapshot: a system process is vetoed before any re-check', async () => {
    const s = setup();
    const action = processAction();
    const t = action.target as { pid: number; startTime: string };
    s.runner.observe({ containers: [], gpuProcesses: [{ pid: t.pid, startTime: t.startTime, system: true, user: null }] } as never);
    expect(await results(s, [action])).toMatchObject([{ outcome: 'vetoed', detail: 'vetoed by the probe: process 4242 is a system process' }]);
    expect(s.calls).toEqual([]);
  });

  it('reports invalid actions: a log line, and refused when the id is usable', async () => {
    const s = setup();
    s.runner.accept([], [
      { id: 'bad-1', message: 'type: Invalid option' },
      { id: 'no spaces\nallowed', message: 'x' },
      { id: null, message: 'not an object' },
    ]);
    expect(s.runner.takeResults()).toMatchObject([{ id: 'bad-1', outcome: 'refused', detail: 'not a valid action: type: Invalid option' }]);
    expect(s.lines.filter((l) => l.startsWith('the service sent an action that is not valid'))).toHaveLength(3);
    expect(s.lines.join('\n')).toContain('no spaces\\x0aallowed');
  });

  it('hands at most the given number of results per snapshot, the rest later', async () => {
    const s = setup({ mode: 'off' });
    s.runner.accept(['a', 'b', 'c'].map((id) => containerAction({ id })));
    expect(s.runner.takeResults(2).map((r) => r.id)).toEqual(['a', 'b']);
    expect(s.runner.takeResults(2).map((r) => r.id)).toEqual(['c']);
  });

  it('turns a thrown error into failed', async () => {
    const enforcer: Enforcer = { recheck: async () => Promise.reject(new Error('connect ENOENT /tmp/x.sock')), act: async () => ({ outcome: 'done', detail: '' }) };
    const runner = createActionRunner({ host: 'h1', settings: settingsWith(), enforcer, log: () => {}, nowMs: () => NOW });
    runner.accept([containerAction()]);
    await runner.idle();
    expect(runner.takeResults()).toMatchObject([{ outcome: 'failed', detail: 'error: connect ENOENT /tmp/x.sock' }]);
  });

  it('escapes client strings in log lines', () => {
    expect(escapeForLog('a\x1b[31mb\\c\n')).toBe('a\\x1b[31mb\\\\c\\x0a');
  });
});

describe('action runner host', () => {
  it("takes this probe's host name from the latest snapshot when not given", async () => {
    const enforcer: Enforcer = { recheck: async () => ({ ok: true, facts: {} }), act: async () => ({ outcome: 'done', detail: 'ok' }) };
    const runner = createActionRunner({ settings: settingsWith(), enforcer, log: () => {}, nowMs: () => NOW });
    runner.accept([containerAction({ id: 'n1' })]);
    runner.observe({ host: 'h1', containers: [], gpuProcesses: [] } as never);
    runner.accept([containerAction({ id: 'n2' }), containerAction({ id: 'n3', host: 'h9' })]);
    await runner.idle();
    expect(runner.takeResults().map((r) => `${r.id} ${r.outcome} ${r.detail}`)).toEqual([
      'n1 refused the action is for host h1, this is a probe whose host name is not known yet',
      'n3 refused the action is for host h9, this is h1',
      'n2 done ok',
    ]);
  });
});

describe('dryRunDetail', () => {
  it('says a container that is not running would be removed, never stopped', () => {
    const created = containerAction();
    const target = { ...created.target, state: 'created' } as PlannedAction['target'];
    expect(dryRunDetail({ ...created, target }, 60)).toBe('would have removed container gpu-job (it is not running)');
    expect(dryRunDetail({ ...created, target, params: {} }, 60)).toBe('would have left container gpu-job as it is (it is not running)');
  });
});
