import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createCore } from './ingest.ts';
import { loadRuleSet, StartupError } from './make-core.ts';
import { factsReferenced } from './rule-set.ts';

function setup() {
  const store = createMemoryStore();
  const logs: string[] = [];
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), log: (l) => logs.push(l) });
  return { store, core, logs };
}
const hostProc = proc(4242);

describe('createCore', () => {
  it('is idempotent on (host, snapshot id): a duplicate is not evaluated again', async () => {
    const { core, store } = setup();
    const s = snapshot(t(0), { gpuProcesses: [hostProc] });
    expect((await core.ingest(s, new Date(t(0)))).accepted).toBe(true);
    const again = await core.ingest(s, new Date(t(5)));
    expect(again.accepted).toBe(false);
    expect(again.alerts.map((a) => a.state)).toEqual(['pending']);
    expect((await store.getHost('ds01'))?.lastSeenAt).toBe(t(0));
  });

  it('stores an older snapshot without moving alert state backwards', async () => {
    const { core, store, logs } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0)));
    await core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(1)));
    const late = await core.ingest(snapshot(t(0.5)), new Date(t(2)));
    expect(late.accepted).toBe(true);
    expect(late.alerts.map((a) => [a.rule, a.state])).toEqual([['untracked-host-gpu-process', 'firing']]);
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(1));
    expect(await store.listSnapshots('ds01')).toHaveLength(3);
    expect(logs[0]).toContain('older than');
  });

  it('a forged snapshot id or host cannot add a line to the log (control characters are escaped)', async () => {
    const { core, logs } = setup();
    await core.ingest(snapshot(t(1)), new Date(t(1)));
    const forged = { ...snapshot(t(0.5)), id: 'x\ngpuwarden: admin token accepted\u0000', host: 'ds01' };
    await core.ingest(forged, new Date(t(2)));
    expect(logs).toHaveLength(1);
    expect(logs[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(logs[0]).toContain('snapshot x\\ngpuwarden: admin token accepted\\x00 is older than');
  });

  it('returns alerts resolved by this snapshot once, then only current ones', async () => {
    const { core } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0)));
    await core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(1)));
    // keep_firing_for (pack default: two 30 s probe intervals) holds it firing one more minute, then it resolves.
    const kept = await core.ingest(snapshot(t(2)), new Date(t(2)));
    expect(kept.alerts.map((a) => [a.rule, a.state, a.keepFiringSince])).toEqual([['untracked-host-gpu-process', 'firing', t(2)]]);
    const gone = await core.ingest(snapshot(t(3)), new Date(t(3)));
    expect(gone.alerts.map((a) => [a.rule, a.state])).toEqual([['untracked-host-gpu-process', 'resolved']]);
    expect((await core.ingest(snapshot(t(4)), new Date(t(4)))).alerts).toEqual([]);
  });

  it('keeps the body only of snapshots that changed an alert or were not evaluated (every id is kept for dedup)', async () => {
    const { core, store } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0))); // untracked process: pending
    await core.ingest(snapshot(t(0.5), { gpuProcesses: [hostProc] }), new Date(t(0.5))); // fires (for: 30 s)
    await core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(1))); // still firing: nothing changed
    await core.ingest(snapshot(t(0.75)), new Date(t(1.5))); // older than the last: stored, not evaluated
    const rows = await store.listSnapshots('ds01');
    expect(rows.map((r) => [r.takenAt, r.body === null ? 'no body' : (JSON.parse(r.body) as { takenAt: string }).takenAt])).toEqual([
      [t(1), 'no body'],
      [t(0.75), t(0.75)],
      [t(0.5), t(0.5)],
      [t(0), t(0)],
    ]);
    expect((await core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(2)))).accepted).toBe(false);
  });

  it('the tick raises host-silent on wall-clock time alone and leaves snapshot alerts alone', async () => {
    const { core, store } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0)));
    await core.tick(new Date(t(5)));
    const alerts = await store.alertsForHost('ds01');
    expect(alerts.map((a) => [a.rule, a.state]).sort()).toEqual([['host-silent', 'firing'], ['untracked-host-gpu-process', 'pending']]);
    await core.tick(new Date(t(5.5)));
    expect((await store.alertsForHost('ds01')).find((a) => a.rule === 'host-silent')?.activeSince).toBe(t(5));
  });
});

describe('time: a wrong host clock never stops evaluation', () => {
  const H = 3_600_000;
  const ahead = (iso: string): string => new Date(Date.parse(iso) + H).toISOString();

  it('a snapshot from the future (clock 1 h ahead) is evaluated at receive time, and the host is not frozen', async () => {
    const { core, store } = setup();
    await core.ingest(snapshot(ahead(t(0)), { gpuProcesses: [hostProc] }), new Date(t(0)));
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(0));
    // The clock is corrected: the next snapshot (true time) is newer than what was evaluated, so it is evaluated.
    const next = await core.ingest(snapshot(t(0.5), { gpuProcesses: [hostProc] }), new Date(t(0.5)));
    expect(next.alerts.map((a) => [a.rule, a.state])).toEqual([['untracked-host-gpu-process', 'firing']]);
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(0.5));
  });

  it('probe-clock-skew fires after 2 min of skew beyond the bound, and resolves once the clock is right', async () => {
    const { core, store } = setup();
    for (const m of [0, 0.5, 1, 1.5, 2, 2.5]) await core.ingest(snapshot(ahead(t(m))), new Date(t(m)));
    const skew = (await store.alertsForHost('ds01')).find((a) => a.rule === 'probe-clock-skew');
    expect(skew).toMatchObject({ state: 'firing', labels: { host: 'ds01' } });
    for (const m of [3, 3.5, 4, 4.5]) await core.ingest(snapshot(t(m)), new Date(t(m)));
    expect((await store.alertsForHost('ds01')).find((a) => a.rule === 'probe-clock-skew')?.state).toBe('resolved');
  });

  it('with the probe send time, a clock behind is corrected too (its snapshots do not look spooled)', async () => {
    const { core, store } = setup();
    const behind = (iso: string): string => new Date(Date.parse(iso) - 2 * H).toISOString();
    for (const m of [0, 0.5, 1]) {
      await core.ingest(snapshot(behind(t(m)), { gpuProcesses: [hostProc] }), new Date(t(m)), { sentAt: new Date(behind(t(m))) });
    }
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(1));
    expect((await store.alertsForHost('ds01')).find((a) => a.rule === 'untracked-host-gpu-process')?.firedAt).toBe(t(0.5));
  });

  it('a snapshot older than max_snapshot_age on arrival is stored, not evaluated; the host is still listed', async () => {
    const { core, store, logs } = setup();
    const r = await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(Date.parse(t(0)) + 25 * H));
    expect(r.alerts).toEqual([]);
    expect(await store.listSnapshots('ds01')).toHaveLength(1);
    expect((await store.listHosts()).map((h) => h.host)).toEqual(['ds01']);
    expect(logs.join('\n')).toContain('more than 24 h before it arrived; stored, not evaluated');
  });

  it('a pending alert does not carry over a silent gap: its `for` starts again', async () => {
    const { core, store } = setup();
    await core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0)));
    await core.ingest(snapshot(t(10), { gpuProcesses: [hostProc] }), new Date(t(10)));
    expect((await store.alertsForHost('ds01'))[0]).toMatchObject({ state: 'pending', activeSince: t(10) });
    await core.ingest(snapshot(t(10.5), { gpuProcesses: [hostProc] }), new Date(t(10.5)));
    expect((await store.alertsForHost('ds01'))[0]?.state).toBe('firing');
  });
});

describe('rule sets', () => {
  it('only host rules reading time-since-snapshot facts run on the tick', () => {
    expect([...DEFAULT_PACK.tickRuleIds]).toEqual(['host-silent']);
    expect(DEFAULT_PACK.ruleIds.has('probe-source-failing')).toBe(true);
  });

  it('factsReferenced finds facts in nested conditions and fact references', () => {
    const read = factsReferenced({ all: [{ fact: 'a', operator: 'equal', value: 1 }, { any: [{ not: { fact: 'b', operator: 'equal', value: { fact: 'c' } } }] }] });
    expect([...read].sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuses to start on a broken rules folder, listing every problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-rules-'));
    await writeFile(join(dir, 'bad.json'), '{"id": "x", "scope": "nowhere"}');
    expect(() => loadRuleSet(dir)).toThrow(StartupError);
    expect(() => loadRuleSet(dir)).toThrow(/bad\.json/);
    const empty = await mkdtemp(join(tmpdir(), 'gw-rules-'));
    expect(() => loadRuleSet(empty)).toThrow(/no rules found/);
  });
});

describe('concurrent snapshots of one host', () => {
  it('are evaluated one at a time: the same snapshot posted twice at once is accepted once', async () => {
    const { core } = setup();
    const s = snapshot(t(0), { gpuProcesses: [hostProc] });
    const [a, b] = await Promise.all([core.ingest(s, new Date(t(0))), core.ingest(s, new Date(t(0)))]);
    expect([a.accepted, b.accepted].sort()).toEqual([false, true]);
  });

  it('keeps the tracked state of each of two quick snapshots (no lost update)', async () => {
    const { core, store } = setup();
    await Promise.all([
      core.ingest(snapshot(t(0), { gpuProcesses: [hostProc] }), new Date(t(0))),
      core.ingest(snapshot(t(1), { gpuProcesses: [hostProc] }), new Date(t(1))),
    ]);
    expect((await store.getHost('ds01'))?.lastTakenAt).toBe(t(1));
    expect((await store.alertsForHost('ds01')).map((a) => a.state)).toEqual(['firing']);
  });
});

describe('drain', () => {
  it('settles only when every ingest begun, including ones waiting for their turn, has finished', async () => {
    const store = createMemoryStore();
    let open = (): void => undefined;
    const held = new Promise<void>((resolve) => { open = resolve; });
    const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), gate: { waiting: 0, turn: () => held } });
    const ingest = core.ingest(snapshot(t(0)), new Date(t(0)));
    let drained = false;
    const draining = core.drain?.().then(() => { drained = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    open();
    await ingest;
    await draining;
    expect(drained).toBe(true);
    expect(await store.listHosts()).toHaveLength(1);
  });
});

describe('createCore tracked state between snapshots', () => {
  it('reads tracked state another writer stored in between, not the one it last wrote', async () => {
    const seq = [snapshot(t(0), { gpuProcesses: [proc(1)] }), snapshot(t(1), { gpuProcesses: [proc(1), proc(2)] }), snapshot(t(2), { gpuProcesses: [proc(1), proc(2)] })];
    // Reference: one core ingests all three.
    const one = setup();
    for (const [i, s] of seq.entries()) await one.core.ingest(s, new Date(t(i)));
    // Two cores on one store (two service processes, or a restart): core A writes t0, B writes t1, A writes t2.
    const store = createMemoryStore();
    const a = createCore({ store, rules: DEFAULT_PACK, limits: testLimits() });
    const b = createCore({ store, rules: DEFAULT_PACK, limits: testLimits() });
    await a.ingest(seq[0]!, new Date(t(0)));
    await b.ingest(seq[1]!, new Date(t(1)));
    await a.ingest(seq[2]!, new Date(t(2)));
    const tracked = (await store.getHost('ds01'))?.tracked;
    expect(tracked).toBe((await one.store.getHost('ds01'))?.tracked);
    expect(tracked).toContain(`"firstSeenAt":"${t(1)}"`);
  });
});
