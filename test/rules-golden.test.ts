// Golden tests: for each rule of the default pack, snapshots in → exact alerts out, and none for the negative case.
import { describe, expect, it } from 'vitest';
import { cid, container, gpu, migGpu, proc, snapshot, t } from './support/snapshot-factory.ts';
import { DEFAULT_RULES, runPack, testLimits } from './support/pack.ts';

const REQUIRED_IDS = [
  'untracked-host-gpu-process', 'gpu-quota', 'container-gpu-cap', 'container-count', 'idle-gpu-container', 'max-runtime',
  'stopped-holding-gpu', 'created-never-started', 'unowned-container', 'unmanaged-gpu-container', 'gpu-waste', 'gpu-temperature',
  'gpu-memory-high', 'probe-source-failing', 'host-silent', 'capacity-low', 'fair-share',
];
const H = 'ds01';
const busy = (i: number) => gpu(i, { utilizationPct: 90 });

describe('the default pack', () => {
  it('has every required rule id', () => {
    const ids = DEFAULT_RULES.map((r) => r.id);
    for (const id of REQUIRED_IDS) expect(ids).toContain(id);
  });

  it('is silent on a healthy, well-behaved host', async () => {
    const c = container('train', 'alice', { devices: ['GPU-0'], startedAt: t(-60) });
    const snaps = [0, 30, 60].map((m) => snapshot(t(m), { gpus: [busy(0), busy(1), busy(2), busy(3), busy(4)], containers: [c], gpuProcesses: [proc(7, { kind: 'container', containerId: c.id })] }));
    expect((await runPack(snaps)).seen).toEqual([]);
  });
});

describe('untracked-host-gpu-process', () => {
  const p = proc(4242, { user: 'h.baker@hertie-school.lan' });
  const labels = { host: H, pid: '4242', gpu: 'GPU-0', user: 'h.baker@hertie-school.lan' };
  it('is pending on the first scan and fires on the second', async () => {
    const one = await runPack([snapshot(t(0), { gpus: [busy(0)], gpuProcesses: [p] })], { only: 'untracked-host-gpu-process' });
    expect(one.seen).toEqual([{ rule: 'untracked-host-gpu-process', severity: 'warning', stage: null, state: 'pending', labels }]);
    const two = await runPack([0, 0.5].map((m) => snapshot(t(m), { gpus: [busy(0)], gpuProcesses: [p] })), { only: 'untracked-host-gpu-process' });
    expect(two.seen).toEqual([{ rule: 'untracked-host-gpu-process', severity: 'warning', stage: null, state: 'firing', labels }]);
  });
  it('ignores system daemons, container processes and exempt users', async () => {
    const procs = [proc(1, { system: true, name: 'Xorg' }), proc(2, { kind: 'container', containerId: cid('x') }), proc(3, { user: 'datasciencelab' })];
    const r = await runPack([0, 1].map((m) => snapshot(t(m), { gpuProcesses: procs })), { limits: testLimits({ datasciencelab: { bareMetalExempt: true } }), only: 'untracked-host-gpu-process' });
    expect(r.seen).toEqual([]);
  });
});

describe('gpu-quota (student quota 2.0 gpueq)', () => {
  const gpus = [gpu(0), gpu(1), gpu(2), migGpu(3, ['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb'])];
  const run = (devices: string[][]) =>
    runPack([snapshot(t(0), { gpus, containers: devices.map((d, i) => container(`c${i}`, 'alice', { devices: d })) })], { only: 'gpu-quota' });
  const labels = { host: H, user: 'alice' };
  it('warns at 80 %, reaches the limit at 100 %, is critical above', async () => {
    expect((await run([['GPU-0'], ['MIG-3-0', 'MIG-3-1']])).seen).toEqual([{ rule: 'gpu-quota', severity: 'info', stage: null, state: 'firing', labels }]);
    expect((await run([['GPU-0'], ['GPU-1']])).seen).toEqual([{ rule: 'gpu-quota', severity: 'warning', stage: 'at-limit', state: 'firing', labels }]);
    expect((await run([['GPU-0'], ['GPU-1'], ['MIG-3-3']])).seen).toEqual([{ rule: 'gpu-quota', severity: 'critical', stage: 'over-limit', state: 'firing', labels }]);
  });
  it('stays silent below 80 % and for unlimited (admin) users', async () => {
    expect((await run([['GPU-0']])).seen).toEqual([]);
    const admin = await runPack([snapshot(t(0), { gpus, containers: [container('a', 'root', { devices: ['GPU-0', 'GPU-1', 'GPU-2'] })] })], { limits: testLimits({ root: { maxGpuEquivalents: null, maxGpuSlotsPerContainer: null } }), only: 'gpu-quota' });
    expect(admin.seen).toEqual([]);
  });
});

describe('container-gpu-cap and container-count', () => {
  it('flags a container over its slot cap', async () => {
    const c = container('big', 'alice', { devices: ['GPU-0', 'GPU-1', 'GPU-2'] });
    const r = await runPack([snapshot(t(0), { gpus: [gpu(0), gpu(1), gpu(2), gpu(3), gpu(4)], containers: [c] })], { only: 'container-gpu-cap' });
    expect(r.seen).toEqual([{ rule: 'container-gpu-cap', severity: 'warning', stage: null, state: 'firing', labels: { host: H, container: c.id, containerName: 'big', user: 'alice' } }]);
  });
  it('counts stopped containers toward the limit of 3', async () => {
    const mk = (n: number) => Array.from({ length: n }, (_, i) => container(`c${i}`, 'bob', { state: i === 0 ? 'exited' : 'running', finishedAt: i === 0 ? t(-1) : null }));
    expect((await runPack([snapshot(t(0), { containers: mk(2) })], { only: 'container-count' })).seen).toEqual([]);
    expect((await runPack([snapshot(t(0), { containers: mk(3) })], { only: 'container-count' })).seen).toMatchObject([{ severity: 'warning', stage: 'at-limit', labels: { host: H, user: 'bob' } }]);
    expect((await runPack([snapshot(t(0), { containers: mk(4) })], { only: 'container-count' })).seen).toMatchObject([{ severity: 'critical', stage: 'over-limit' }]);
  });
});

describe('idle-gpu-container (student 30 min; one of five GPUs held, so no high-demand halving)', () => {
  const c = container('nb', 'alice', { devices: ['GPU-0'], startedAt: t(-120) });
  const series = (idleUntil: number) => [0, ...Array.from({ length: 5 }, () => 0)].map((_, i) => i)
    .map((i) => snapshot(t(i === 0 ? 0 : idleUntil * (i / 5)), { gpus: [gpu(0, { utilizationPct: i === 0 ? 90 : 0 }), busy(1), busy(2), busy(3), busy(4)], containers: [c] }));
  const labels = { host: H, container: c.id, containerName: 'nb', user: 'alice' };
  it.each([
    [20, []],
    [24, [{ rule: 'idle-gpu-container', severity: 'warning', stage: null, state: 'firing', labels }]],
    [29, [{ rule: 'idle-gpu-container', severity: 'warning', stage: 'final', state: 'firing', labels }]],
    [31, [{ rule: 'idle-gpu-container', severity: 'critical', stage: 'limit', state: 'firing', labels }]],
  ])('idle %d min → %j', async (minutes, expected) => {
    expect((await runPack(series(minutes), { only: 'idle-gpu-container' })).seen).toEqual(expected);
  });
  it('does not fire for an exempt user', async () => {
    expect((await runPack(series(60), { limits: testLimits({ alice: { exemptIdle: true } }), only: 'idle-gpu-container' })).seen).toEqual([]);
  });
});

describe('max-runtime (student 24 h)', () => {
  const at = (hours: number) => container('long', 'alice', { devices: ['GPU-0'], startedAt: t(-hours * 60) });
  const run = (hours: number) => runPack([snapshot(t(0), { containers: [at(hours)] })], { only: 'max-runtime' });
  it.each([[17, null, null], [18.5, 'warning', null], [22, 'warning', 'final'], [24.5, 'critical', 'limit']])('%d h → %s %s', async (h, severity, stage) => {
    const seen = (await run(h)).seen;
    if (severity === null) expect(seen).toEqual([]);
    else expect(seen).toMatchObject([{ rule: 'max-runtime', severity, stage }]);
  });
});

describe('stopped-holding-gpu, stopped-container-expired, created-never-started', () => {
  it('flags a stopped GPU container past the 15 min hold, and past 30 min as expired', async () => {
    const c = container('done', 'alice', { devices: ['GPU-0'], state: 'exited', finishedAt: t(-20) });
    const gpus = [gpu(0), gpu(1), gpu(2), gpu(3), gpu(4)];
    expect((await runPack([snapshot(t(0), { gpus, containers: [c] })])).seen.map((s) => s.rule)).toEqual(['stopped-holding-gpu']);
    const older = { ...c, finishedAt: t(-40) };
    expect((await runPack([snapshot(t(0), { gpus, containers: [older] })])).seen.map((s) => s.rule).sort()).toEqual(['stopped-container-expired', 'stopped-holding-gpu']);
    const cpuOnly = container('cpu', 'alice', { state: 'exited', finishedAt: t(-20) });
    expect((await runPack([snapshot(t(0), { gpus, containers: [cpuOnly] })])).seen).toEqual([]);
  });
  it('flags a container created 45 min ago that never started', async () => {
    const c = container('stuck', 'alice', { state: 'created', startedAt: null, createdAt: t(-45) });
    expect((await runPack([snapshot(t(0), { containers: [c] })], { only: 'created-never-started' })).seen).toMatchObject([{ severity: 'info', labels: { container: c.id } }]);
    expect((await runPack([snapshot(t(0), { containers: [{ ...c, createdAt: t(-10) }] })], { only: 'created-never-started' })).seen).toEqual([]);
  });
});

describe('unowned-container and unmanaged-gpu-container', () => {
  it('flags an unowned container after a minute, never an infrastructure one', async () => {
    const c = container('mystery', null);
    const infra = container('ds01-prometheus', null, { class: 'infrastructure', protected: true });
    const r = await runPack([0, 1].map((m) => snapshot(t(m), { containers: [c, infra] })), { only: 'unowned-container' });
    expect(r.seen).toEqual([{ rule: 'unowned-container', severity: 'warning', stage: null, state: 'firing', labels: { host: H, container: c.id, containerName: 'mystery' } }]);
  });
  it('flags GPU access outside DS01, critical with --gpus all', async () => {
    const some = container('raw', 'dave', { class: 'docker', labels: {}, devices: ['GPU-1'], owner: { user: 'dave', uid: 1001, method: 'mount-path' } });
    const all = container('rawall', 'dave', { class: 'docker', labels: {}, owner: some.owner, gpu: { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' } });
    const r = await runPack([snapshot(t(0), { gpus: [gpu(0), gpu(1)], containers: [some, all] })], { only: 'unmanaged-gpu-container' });
    expect(r.seen.map((s) => [s.labels.containerName, s.severity, s.stage])).toEqual([['raw', 'warning', null], ['rawall', 'critical', 'all-gpus']].sort((a, b) => JSON.stringify({ rule: 'unmanaged-gpu-container', severity: a[1], stage: a[2] }).localeCompare(JSON.stringify({ rule: 'unmanaged-gpu-container', severity: b[1], stage: b[2] }))));
  });
});

describe('GPU health: gpu-waste, gpu-temperature, gpu-memory-high, gpu-slot-conflict', () => {
  const held = container('c', 'alice', { devices: ['GPU-0'] });
  it('gpu-waste fires after 30 min allocated below 5 %', async () => {
    const snaps = [0, 15, 30].map((m) => snapshot(t(m), { gpus: [gpu(0, { utilizationPct: 2 }), busy(1), busy(2), busy(3), busy(4)], containers: [held] }));
    const every15m = { only: 'gpu-waste', probeIntervalS: 900 };
    expect((await runPack(snaps, every15m)).seen).toEqual([{ rule: 'gpu-waste', severity: 'warning', stage: null, state: 'firing', labels: { host: H, gpu: 'GPU-0', gpuIndex: '0', user: 'alice' } }]);
    expect((await runPack(snaps.slice(0, 2), every15m)).seen.map((s) => s.state)).toEqual(['pending']);
    // The same snapshots from a probe meant to report every 30 s: each 15 min gap is a silence, so `for` restarts.
    expect((await runPack(snaps, { only: 'gpu-waste' })).seen.map((s) => s.state)).toEqual(['pending']);
    const unallocated = [0, 30].map((m) => snapshot(t(m), { gpus: [gpu(0, { utilizationPct: 0 })] }));
    expect((await runPack(unallocated, { only: 'gpu-waste' })).seen).toEqual([]);
  });
  it('gpu-temperature: warning above 85 °C for 5 min, critical above 90 °C', async () => {
    const hot = (c: number) => [0, 5].map((m) => snapshot(t(m), { gpus: [gpu(0, { temperatureC: c })] }));
    expect((await runPack(hot(80), { only: 'gpu-temperature' })).seen).toEqual([]);
    expect((await runPack(hot(87), { only: 'gpu-temperature', probeIntervalS: 300 })).seen).toMatchObject([{ severity: 'warning', stage: null, state: 'firing' }]);
    expect((await runPack(hot(93), { only: 'gpu-temperature', probeIntervalS: 300 })).seen).toMatchObject([{ severity: 'critical', stage: 'critical', state: 'firing' }]);
  });
  it('gpu-memory-high above 95 % for 10 min', async () => {
    const full = [0, 10].map((m) => snapshot(t(m), { gpus: [gpu(0, { memoryUsedMiB: 79_000 })] }));
    expect((await runPack(full, { only: 'gpu-memory-high', probeIntervalS: 600 })).seen).toMatchObject([{ severity: 'warning', state: 'firing', labels: { gpu: 'GPU-0' } }]);
  });
  it('gpu-slot-conflict when two running containers hold one GPU', async () => {
    const r = await runPack([snapshot(t(0), { containers: [container('a', 'alice', { devices: ['GPU-0'] }), container('b', 'bob', { devices: ['GPU-0'] })] })], { only: 'gpu-slot-conflict' });
    expect(r.seen).toEqual([{ rule: 'gpu-slot-conflict', severity: 'warning', stage: null, state: 'firing', labels: { host: H, gpu: 'GPU-0', gpuIndex: '0' } }]);
  });
});

describe('host rules: probe-source-failing, host-silent, capacity-low', () => {
  it('probe-source-failing after 2 min of collector errors, resolved when they stop', async () => {
    const err = { errors: [{ source: 'docker' as const, message: 'docker: connect ENOENT /var/run/docker.sock' }] };
    expect((await runPack([0, 1, 2].map((m) => snapshot(t(m), err)), { only: 'probe-source-failing' })).seen).toEqual([{ rule: 'probe-source-failing', severity: 'warning', stage: null, state: 'firing', labels: { host: H } }]);
    // Resolved once the errors have been gone for keep_firing_for (two 30 s intervals).
    const ok = [snapshot(t(0), err), snapshot(t(1), err), snapshot(t(2), err), snapshot(t(2.5))];
    expect((await runPack(ok, { only: 'probe-source-failing' })).seen.map((s) => s.state)).toEqual(['firing']);
    expect((await runPack([...ok, snapshot(t(3)), snapshot(t(3.5))], { only: 'probe-source-failing' })).seen).toEqual([]);
  });
  it('host-silent fires on the tick with no snapshot after 3 intervals, and the next snapshot resolves it', async () => {
    const s = snapshot(t(0));
    expect((await runPack([s], { tickAt: t(1), only: 'host-silent' })).seen).toEqual([]);
    expect((await runPack([s], { tickAt: t(2), only: 'host-silent' })).seen).toEqual([{ rule: 'host-silent', severity: 'critical', stage: null, state: 'firing', labels: { host: H } }]);
    const back = await runPack([s], { tickAt: t(2) });
    expect(back.seen.map((x) => x.rule)).toContain('host-silent');
  });
  it('capacity-low: info below 20 % free for 30 min, warning below 1 GPU-equivalent free', async () => {
    const mk = (held: number, total: number) => [0, 30].map((m) => snapshot(t(m), {
      gpus: Array.from({ length: total }, (_, i) => busy(i)),
      containers: Array.from({ length: held }, (_, i) => container(`c${i}`, `u${i}`, { devices: [`GPU-${i}`] })),
    }));
    expect((await runPack(mk(6, 10), { only: 'capacity-low' })).seen).toEqual([]);
    expect((await runPack(mk(9, 10), { only: 'capacity-low', probeIntervalS: 900 })).seen).toMatchObject([{ severity: 'info', stage: null, state: 'firing' }]);
    expect((await runPack(mk(10, 10), { only: 'capacity-low', probeIntervalS: 900 })).seen).toMatchObject([{ severity: 'warning', stage: 'none-free', state: 'firing' }]);
  });
});

describe('fair-share', () => {
  it('flags the user far above an equal share while capacity is short, for 30 min, and not the other', async () => {
    const gpus = Array.from({ length: 4 }, (_, i) => busy(i));
    const hog = ['GPU-0', 'GPU-1', 'GPU-2'].map((d, i) => container(`hog${i}`, 'alice', { devices: [d] }));
    const small = container('small', 'bob', { devices: ['GPU-3'] });
    const snaps = Array.from({ length: 61 }, (_, i) => snapshot(t(i), { gpus, containers: [...hog, small] }));
    const r = await runPack(snaps, { limits: testLimits({ alice: { maxGpuEquivalents: null, maxContainersPerUser: null } }), only: 'fair-share' });
    expect(r.seen).toEqual([{ rule: 'fair-share', severity: 'warning', stage: null, state: 'firing', labels: { host: H, user: 'alice' } }]);
  });
});

describe('what the default pack says, for people', () => {
  const summaryOf = async (snaps: Parameters<typeof runPack>[0], only: string) => (await runPack(snaps, { only })).alerts.filter((a) => a.rule === only).map((a) => [a.stage, a.annotations.summary]);

  it('names a MIG instance by its GPU and profile, not its UUID (the UUID stays in the gpu label)', async () => {
    const p = proc(4242, { user: 'h.baker', gpuUuid: 'GPU-3', migUuid: 'MIG-3-0', usedMemoryMiB: 1234.5 });
    const r = await runPack([0, 0.5].map((m) => snapshot(t(m), { gpus: [migGpu(3, ['3g.40gb'])], gpuProcesses: [p] })), { only: 'untracked-host-gpu-process' });
    expect(r.alerts.filter((a) => a.rule === 'untracked-host-gpu-process').map((a) => [a.labels.gpu, a.annotations.summary])).toEqual([['MIG-3-0', 'h.baker runs python3 (pid 4242) on GPU 3 · MIG 3g.40gb outside any container on ds01']]);
    expect(r.alerts.find((a) => a.rule === 'untracked-host-gpu-process')?.annotations.description).toContain('It holds 1235 MiB of GPU memory.');
  });

  it('idle and runtime durations read in words; the limit stage says the limit is reached and claims no stop', async () => {
    const c = container('nb', 'alice', { devices: ['GPU-0'], startedAt: t(-120) });
    const idle = (minutes: number) => [0, minutes].map((m, i) => snapshot(t(m), { gpus: [gpu(0, { utilizationPct: i === 0 ? 90 : 0 }), busy(1), busy(2), busy(3), busy(4)], containers: [c] }));
    expect(await summaryOf(idle(25.5), 'idle-gpu-container')).toEqual([[null, 'Container nb of alice has left its GPU idle for 25 min 30 s of its 30 min idle limit']]);
    const limit = (await runPack(idle(31), { only: 'idle-gpu-container' })).alerts.find((a) => a.rule === 'idle-gpu-container');
    expect(limit?.annotations.summary).toBe('Container nb of alice has reached its idle limit: GPU idle for 31 min (limit 30 min)');
    expect(limit?.annotations.description).toMatch(/^The idle limit is reached; an administrator may stop this container/);
    expect(limit?.annotations.description).not.toMatch(/stopped|removed|keep-alive/);
    const long = container('long', 'alice', { devices: ['GPU-0'], startedAt: t(-(24 * 60 + 37)) });
    expect(await summaryOf([snapshot(t(0), { containers: [long] })], 'max-runtime')).toEqual([['limit', 'Container long of alice has reached its runtime limit: running for 1 d 1 h (limit 1 d)']]);
  });

  it('an unknown owner reads "owner unknown", not "(?)"', async () => {
    const c = container('rogue', null, { devices: ['GPU-0'] });
    const r = await runPack([snapshot(t(0), { gpus: [gpu(0)], containers: [c] })], { only: 'unmanaged-gpu-container' });
    const alerts = r.alerts.filter((a) => a.rule === 'unmanaged-gpu-container');
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.map((a) => a.annotations.summary)).toEqual(["Container rogue (owner unknown) has GPU access outside DS01's management"]);
  });
});

describe('GPU claims (DS01: running hold, stopped hold until gpu_hold_after_stop_h, created hold nothing)', () => {
  const gpus = [busy(0), busy(1)];
  const all = { requested: 'all' as const, count: null, deviceIds: [], uuids: [], via: 'device-requests' as const };

  it('a created, never-started --gpus all container holds nothing: no capacity-low, no quota, no high-demand halving', async () => {
    const created = container('later', 'alice', { state: 'created', startedAt: null, createdAt: t(-5), gpu: all });
    const nb = container('nb', 'bob', { devices: ['GPU-0'], startedAt: t(-120) });
    const snaps = [0, 15, 30, 45].map((m) => snapshot(t(m), { gpus, containers: [created, nb] }));
    const r = await runPack(snaps, { probeIntervalS: 900 });
    expect(r.seen.filter((s) => ['capacity-low', 'gpu-quota'].includes(s.rule))).toEqual([]);
    // It is created-never-started's business (created 50 min ago by the last snapshot, limit 30 min).
    expect(r.seen.map((s) => s.rule)).toContain('created-never-started');
  });

  it('a running --gpus all container on the same host does hold every GPU', async () => {
    const running = container('hog', 'alice', { gpu: all, startedAt: t(-5) });
    const r = await runPack([0, 15, 30, 45].map((m) => snapshot(t(m), { gpus, containers: [running] })), { only: 'capacity-low', probeIntervalS: 900 });
    expect(r.seen).toMatchObject([{ rule: 'capacity-low', severity: 'warning', state: 'firing' }]);
  });

  it('a stopped container holds its GPU for gpu_hold_after_stop_h (15 min), then nothing', async () => {
    const stopped = (finishedMin: number) => container('done', 'alice', { state: 'exited', devices: ['GPU-0', 'GPU-1'], finishedAt: t(finishedMin) });
    const quota = (finishedMin: number) => runPack([snapshot(t(0), { gpus, containers: [stopped(finishedMin)] })], { only: 'gpu-quota' });
    expect((await quota(-10)).seen.map((s) => s.stage)).toEqual(['at-limit']); // 2 of 2 gpueq, still held
    expect((await quota(-20)).seen).toEqual([]); // past the hold: holds nothing
  });

  it('a request for a GPU the host does not have holds nothing and fires gpu-device-missing for the owner', async () => {
    const c = container('ghost', 'alice', { devices: ['7'], startedAt: t(-5) });
    const r = await runPack([snapshot(t(0), { gpus, containers: [c] })]);
    expect(r.seen.filter((s) => s.rule === 'gpu-device-missing')).toEqual([
      { rule: 'gpu-device-missing', severity: 'warning', stage: null, state: 'firing', labels: { host: H, container: c.id, containerName: 'ghost', user: 'alice' } },
    ]);
    expect(r.alerts.find((a) => a.rule === 'gpu-device-missing')?.annotations.summary).toContain('7');
    expect(r.seen.filter((s) => s.rule === 'gpu-quota' || s.rule === 'capacity-low')).toEqual([]);
  });
});

describe('MIG idle detection falls back on CPU and network', () => {
  const mig = migGpu(0, ['3g.40gb', '3g.40gb']);
  const usage = (cpuPct: number, rxPerS = 0) => ({ intervalS: 30, cpuPct, netRxBytesPerS: rxPerS, netTxBytesPerS: 0, activeProcessCount: 1 });
  const nb = (u: ReturnType<typeof usage> | null) => container('nb', 'alice', { devices: ['MIG-0-0'], startedAt: t(-120), usage: u });
  const p = proc(77, { kind: 'container', containerId: cid('nb'), gpuUuid: 'GPU-0', migUuid: 'MIG-0-0' });
  const run = (u: ReturnType<typeof usage> | null) =>
    runPack([0, 10, 20, 31].map((m) => snapshot(t(m), { gpus: [mig], containers: [nb(u)], gpuProcesses: [p] })), { only: 'idle-gpu-container', probeIntervalS: 660 });

  it('an idle notebook on a MIG slice (CPU 0.5 %, no traffic) reaches its idle limit although it has a GPU process', async () => {
    expect((await run(usage(0.5))).seen.map((s) => s.stage)).toEqual(['limit']);
  });
  it('a busy CPU or network keeps it active', async () => {
    expect((await run(usage(80))).seen).toEqual([]);
    expect((await run(usage(0.5, 100_000))).seen).toEqual([]); // 3 MB received per 30 s interval > 1 MiB
  });
  it('without usage figures (first cycle, old probe) a GPU process still counts as active (unknown is not idle)', async () => {
    expect((await run(null)).seen).toEqual([]);
  });
});

describe('unknown is not absent: a failed source neither fires nor resolves', () => {
  const gpus = [gpu(0), gpu(1)];
  const dockerDown = { source: 'docker' as const, message: 'docker: connect ENOENT /var/run/docker.sock' };
  const over = [container('a', 'alice', { devices: ['GPU-0'] }), container('b', 'alice', { devices: ['GPU-1'] })];

  it('a quota alert stays firing, marked stale, while Docker is unreadable, and resolves as source-unavailable after 30 min', async () => {
    const before = [0, 0.5].map((m) => snapshot(t(m), { gpus, containers: over }));
    const down = (m: number) => snapshot(t(m), { gpus, containers: [], errors: [dockerDown] });
    const r = await runPack([...before, down(1), down(1.5), down(10)], { only: 'gpu-quota' });
    expect(r.seen.map((s) => s.state)).toEqual(['firing']);
    expect(r.alerts.find((a) => a.rule === 'gpu-quota')?.stale).toEqual({ since: t(1), sources: ['docker'] });
    const later = await runPack([...before, down(1), ...Array.from({ length: 61 }, (_, i) => down(1.5 + i * 0.5))], { only: 'gpu-quota' });
    expect(later.alerts.find((a) => a.rule === 'gpu-quota')).toMatchObject({ state: 'resolved', resolvedReason: 'source-unavailable' });
  });

  it('nvidia-smi failing: no capacity-low "0 of 0 free", and GPU alerts keep their state', async () => {
    const hot = [0, 1, 2, 3, 4, 5].map((m) => snapshot(t(m), { gpus: [gpu(0, { temperatureC: 88 })] }));
    const broken = [5.5, 6, 6.5].map((m) => snapshot(t(m), { gpus: [], errors: [{ source: 'gpu', message: "nvidia-smi -q -x: exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." }] }));
    const r = await runPack([...hot, ...broken]);
    expect(r.seen.map((s) => s.rule)).not.toContain('capacity-low');
    expect(r.alerts.find((a) => a.rule === 'gpu-temperature')).toMatchObject({ state: 'firing', stale: { sources: ['gpu'] } });
  });

  it('--no-docker is a declared choice: no probe-source-failing, container alerts resolve normally', async () => {
    const declined = [0, 1, 2, 3].map((m) => ({ ...snapshot(t(m), { gpus }), disabledSources: ['docker' as const] }));
    expect((await runPack(declined)).seen.map((s) => s.rule)).not.toContain('probe-source-failing');
  });
});
