import { describe, expect, it } from 'vitest';
import { container, gpu, migGpu, proc, snapshot, t } from '../../../test/support/snapshot-factory.ts';
import { FACT_CATALOGUE } from '../fact-catalogue.ts';
import { SCOPES, type Subject } from '../subject.ts';
import { computeFacts } from './compute-facts.ts';
import { DEFAULT_USER_LIMITS, type LimitsView, type UserLimits } from './limits-view.ts';
import { emptyTrackedState, type TrackedState } from './tracked.ts';

function limits(over: Partial<UserLimits> = {}, byUser: Record<string, Partial<UserLimits>> = {}): LimitsView {
  return {
    forUser: (user) => ({ ...DEFAULT_USER_LIMITS, ...over, ...(user === null ? {} : byUser[user]) }),
    forContainerType: (type) => ({ compose: { idleTimeoutH: 0.5, maxRuntimeH: 72 }, docker: { idleTimeoutH: 0.5, maxRuntimeH: 48 }, devcontainer: { idleTimeoutH: null, maxRuntimeH: 168 } })[type] ?? null,
    fairShareHalfLifeH: 24,
    probeIntervalS: 30,
    hostSilentAfterIntervals: 3,
  };
}

function facts(subjects: Subject[], scope: Subject['scope'], key: string) {
  const s = subjects.find((x) => x.scope === scope && x.key === key);
  if (s === undefined) throw new Error(`no ${scope} subject ${key}`);
  return s.facts;
}

/** Feed snapshots in order, carrying tracked state like the service does; returns the last result. */
function run(snaps: ReturnType<typeof snapshot>[], view = limits()) {
  let tracked: TrackedState = emptyTrackedState();
  let last = computeFacts(snaps[0] ?? snapshot(t(0)), tracked, view);
  for (const s of snaps) {
    last = computeFacts(s, tracked, view);
    tracked = last.tracked;
  }
  return last;
}

describe('computeFacts', () => {
  it('produces exactly the catalogued facts for every scope', () => {
    const s = snapshot(t(0), {
      gpus: [gpu(0), migGpu(1, ['3g.40gb', '1g.10gb'])],
      containers: [container('train', 'alice', { devices: ['GPU-0'] }), container('mig', 'bob', { devices: ['MIG-1-0'] })],
      gpuProcesses: [proc(10, { kind: 'container', containerId: container('train', 'alice').id, user: 'alice' }), proc(11, { user: 'carol' })],
    });
    const { subjects } = computeFacts(s, emptyTrackedState(), limits());
    for (const scope of SCOPES) {
      const of = subjects.filter((x) => x.scope === scope);
      expect(of.length, scope).toBeGreaterThan(0);
      for (const subject of of) expect(Object.keys(subject.facts).sort(), scope).toEqual(Object.keys(FACT_CATALOGUE[scope]).sort());
    }
  });

  it('weighs MIG instances as compute slices / 7 for quota and capacity', () => {
    const s = snapshot(t(0), {
      gpus: [gpu(0), migGpu(1, ['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb'])],
      containers: [container('a', 'alice', { devices: ['MIG-1-0', 'MIG-1-2'] }), container('b', 'alice', { devices: ['GPU-0'] })],
    });
    const { subjects } = computeFacts(s, emptyTrackedState(), limits());
    expect(facts(subjects, 'container', container('a', 'alice').id)).toMatchObject({ gpuSlots: 2, gpuEquivalents: 0.571 });
    expect(facts(subjects, 'user', 'alice')).toMatchObject({ gpuEquivalentsUsed: 1.571, gpuEquivalentsQuota: 2, gpuQuotaRatio: 0.786, containers: 2 });
    expect(facts(subjects, 'host', 'ds01')).toMatchObject({ totalGpuEquivalents: 2, freeGpuEquivalents: 0.429, freeRatio: 0.214 });
  });

  it('counts idle minutes from the last busy snapshot and halves the timeout under high demand', () => {
    const busy = gpu(0, { utilizationPct: 80 });
    const idle = gpu(0, { utilizationPct: 1 });
    const c = container('train', 'alice', { devices: ['GPU-0'], startedAt: t(-120) });
    const r = run([snapshot(t(0), { gpus: [busy], containers: [c] }), snapshot(t(10), { gpus: [idle], containers: [c] }), snapshot(t(25), { gpus: [idle], containers: [c] })]);
    // One GPU, fully held: allocated ratio 1 ≥ 0.8, so the 30 min student timeout becomes 15 min.
    expect(facts(r.subjects, 'container', c.id)).toMatchObject({ idleMinutes: 25, idleTimeoutMinutes: 15, idleRatio: 1.667, inGracePeriod: false });
    const again = run([snapshot(t(0), { gpus: [idle], containers: [c] }), snapshot(t(5), { gpus: [busy], containers: [c] })]);
    expect(facts(again.subjects, 'container', c.id)).toMatchObject({ idleMinutes: 0 });
  });

  it('gives no idle ratio in the grace period, to devcontainers, exempt users and protected containers', () => {
    const idle = gpu(0, { utilizationPct: 0 });
    const fresh = container('fresh', 'alice', { devices: ['GPU-0'], startedAt: t(-10) });
    const devc = container('devc', 'alice', { devices: ['GPU-0'], labels: { 'ds01.interface': 'devcontainer' }, startedAt: t(-120) });
    const exempt = container('ex', 'erin', { devices: ['GPU-0'], startedAt: t(-120) });
    const prot = container('prot', 'alice', { devices: ['GPU-0'], startedAt: t(-120), protected: true });
    const r = run([snapshot(t(0), { gpus: [idle], containers: [fresh, devc, exempt, prot] }), snapshot(t(60), { gpus: [idle], containers: [fresh, devc, exempt, prot] })], limits({}, { erin: { exemptIdle: true } }));
    expect(facts(r.subjects, 'container', fresh.id).idleRatio).not.toBeNull(); // 70 min after start: out of grace by now
    const first = computeFacts(snapshot(t(0), { gpus: [idle], containers: [fresh] }), emptyTrackedState(), limits());
    expect(facts(first.subjects, 'container', fresh.id)).toMatchObject({ inGracePeriod: true, idleRatio: null });
    expect(facts(r.subjects, 'container', devc.id)).toMatchObject({ idleTimeoutMinutes: null, idleRatio: null });
    expect(facts(r.subjects, 'container', exempt.id)).toMatchObject({ idleTimeoutMinutes: null, exemptIdle: true });
    expect(facts(r.subjects, 'container', prot.id)).toMatchObject({ protected: true, idleTimeoutMinutes: null, maxRuntimeHours: null });
  });

  it('treats unknown (MIG) utilisation with a running process as busy', () => {
    const c = container('mig', 'bob', { devices: ['MIG-1-0'], startedAt: t(-120) });
    const p = proc(5, { kind: 'container', containerId: c.id, gpuUuid: 'GPU-1', migUuid: 'MIG-1-0', user: 'bob' });
    const s = (m: number, procs: typeof p[]) => snapshot(t(m), { gpus: [migGpu(1, ['3g.40gb'])], containers: [c], gpuProcesses: procs });
    expect(facts(run([s(0, [p]), s(40, [p])]).subjects, 'container', c.id).idleMinutes).toBe(0);
    expect(facts(run([s(0, []), s(40, [])]).subjects, 'container', c.id).idleMinutes).toBe(40);
  });

  it('derives runtime, stopped and created-never-started ratios from the container times', () => {
    const long = container('long', 'alice', { devices: ['GPU-0'], startedAt: t(-20 * 60) });
    const stopped = container('stop', 'alice', { devices: ['GPU-0'], state: 'exited', finishedAt: t(-30) });
    const created = container('new', 'alice', { state: 'created', startedAt: null, createdAt: t(-45) });
    const { subjects } = computeFacts(snapshot(t(0), { containers: [long, stopped, created] }), emptyTrackedState(), limits());
    expect(facts(subjects, 'container', long.id)).toMatchObject({ runtimeHours: 20, maxRuntimeHours: 24, runtimeRatio: 0.833 });
    expect(facts(subjects, 'container', stopped.id)).toMatchObject({ stoppedHours: 0.5, gpuHoldAfterStopHours: 0.25, stoppedHoldRatio: 2, stoppedRatio: 1 });
    expect(facts(subjects, 'container', created.id)).toMatchObject({ createdMinutes: 45, createdRatio: 1.5 });
  });

  it('flags GPU access outside DS01 management, and --gpus all', () => {
    const raw = container('raw', null, { gpu: { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' } });
    const infra = container('prom', null, { class: 'infrastructure', protected: true, gpu: raw.gpu });
    const { subjects } = computeFacts(snapshot(t(0), { gpus: [gpu(0), gpu(1)], containers: [raw, infra] }), emptyTrackedState(), limits());
    expect(facts(subjects, 'container', raw.id)).toMatchObject({ unmanagedGpuAccess: true, gpuAll: true, gpuSlots: 2, gpuEquivalents: 2, ownerKnown: false });
    expect(facts(subjects, 'container', infra.id).unmanagedGpuAccess).toBe(false);
  });

  it('remembers how long a host process has been on a GPU, by pid and start time', () => {
    const p = proc(42);
    const r = run([snapshot(t(0), { gpuProcesses: [p] }), snapshot(t(1), { gpuProcesses: [p] })]);
    expect(facts(r.subjects, 'gpuProcess', '42:2026-11-25T09:00:00.000Z@GPU-0')).toMatchObject({ kind: 'host', secondsSeen: 60, user: 'alice' });
    const recycled = run([snapshot(t(0), { gpuProcesses: [p] }), snapshot(t(1), { gpuProcesses: [{ ...p, startTime: t(1) }] })]);
    expect(recycled.subjects.find((x) => x.scope === 'gpuProcess')?.facts.secondsSeen).toBe(0);
  });

  it('decays GPU-hours with the half-life and compares them with the fair share', () => {
    const c = container('a', 'alice', { devices: ['GPU-0'] });
    const snaps = Array.from({ length: 5 }, (_, i) => snapshot(t(i * 0.5), { gpus: [gpu(0), gpu(1)], containers: [c] }));
    const r = run(snaps);
    // 4 steps of 30 s holding 1 gpueq ≈ 0.033 h (decay over 2 min with a 24 h half-life is negligible).
    expect(facts(r.subjects, 'user', 'alice').decayedGpuHours).toBeCloseTo(0.033, 3);
    // The only user with GPU time: the equal share is all of it.
    expect(facts(r.subjects, 'user', 'alice')).toMatchObject({ fairShareGpuHours: 0.033, fairShareRatio: 1 });
    expect(r.tracked.users.alice?.decayedGpuHours).toBeCloseTo(0.033, 3);
  });

  it('keeps tracked state bounded: subjects that are gone are dropped', () => {
    const c = container('a', 'alice', { devices: ['GPU-0'] });
    const r = run([snapshot(t(0), { containers: [c], gpuProcesses: [proc(1)] }), snapshot(t(1), {})]);
    expect(r.tracked.containers).toEqual({});
    expect(r.tracked.processes).toEqual({});
    expect(Object.keys(r.tracked.gpus)).toEqual(['GPU-0']);
  });

  it('notices two running containers assigned the same GPU', () => {
    const { subjects } = computeFacts(snapshot(t(0), { containers: [container('a', 'alice', { devices: ['GPU-0'] }), container('b', 'bob', { devices: ['GPU-0'] })] }), emptyTrackedState(), limits());
    expect(facts(subjects, 'gpu', 'GPU-0')).toMatchObject({ slotHolders: 2, allocated: true, users: ['alice', 'bob'] });
  });
});
