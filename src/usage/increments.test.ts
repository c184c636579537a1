import { describe, expect, it } from 'vitest';
import { computeFacts } from '../engine/facts/compute-facts.ts';
import { emptyTrackedState, type TrackedState } from '../engine/facts/tracked.ts';
import { testLimits } from '../../test/support/pack.ts';
import { container, gpu, snapshot, t } from '../../test/support/snapshot-factory.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import { usageIncrements } from './increments.ts';

/** Facts of a snapshot after an earlier one (so idle clocks have a previous state). */
function factsAfter(prev: HostSnapshot | null, s: HostSnapshot): ReturnType<typeof computeFacts>['subjects'] {
  let tracked: TrackedState = emptyTrackedState();
  if (prev !== null) tracked = computeFacts(prev, tracked, testLimits()).tracked;
  return computeFacts(s, tracked, testLimits()).subjects;
}

const gpus = [gpu(0, { utilizationPct: 90 }), gpu(1, { utilizationPct: 0 }), gpu(2, { utilizationPct: 0 })];

describe('usageIncrements', () => {
  it('credits each user what they hold at this snapshot over the interval, idle part from idle containers', () => {
    const parts = {
      gpus,
      containers: [container('busy', 'alice', { devices: ['GPU-0'] }), container('idle', 'alice', { devices: ['GPU-1'] }), container('bob-idle', 'bob', { devices: ['GPU-2'] }), container('cpu', 'carol')],
    };
    const subjects = factsAfter(snapshot(t(0), parts), snapshot(t(0.5), parts));
    expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(0.5)), maxSpanS: 90 })).toEqual([
      { host: 'ds01', user: 'alice', from: t(0), to: t(0.5), gpuEquivalents: 2, idleGpuEquivalents: 1 },
      { host: 'ds01', user: 'bob', from: t(0), to: t(0.5), gpuEquivalents: 1, idleGpuEquivalents: 1 },
    ]);
  });

  it('counts a container first seen inactive as not idle yet (its idle clock starts now)', () => {
    const subjects = factsAfter(null, snapshot(t(0.5), { gpus, containers: [container('idle', 'alice', { devices: ['GPU-1'] })] }));
    expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(0.5)), maxSpanS: 90 })).toEqual([
      { host: 'ds01', user: 'alice', from: t(0), to: t(0.5), gpuEquivalents: 1, idleGpuEquivalents: 0 },
    ]);
  });

  it('caps the credited span at maxSpanS, at the end of the interval (a gap is not usage)', () => {
    const parts = { gpus, containers: [container('busy', 'alice', { devices: ['GPU-0'] })] };
    const subjects = factsAfter(snapshot(t(0), parts), snapshot(t(60), parts));
    expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(60)), maxSpanS: 90 })).toEqual([
      { host: 'ds01', user: 'alice', from: t(58.5), to: t(60), gpuEquivalents: 1, idleGpuEquivalents: 0 },
    ]);
  });

  it('records nothing when holdings are unknown (the Docker or GPU collector failed)', () => {
    const parts = { gpus, containers: [container('busy', 'alice', { devices: ['GPU-0'] })] };
    for (const source of ['docker', 'gpu'] as const) {
      const failed = snapshot(t(0.5), { ...parts, errors: [{ source, message: 'collector failed' }] });
      const subjects = factsAfter(snapshot(t(0), parts), failed);
      expect(subjects.some((s) => s.scope === 'user')).toBe(true);
      expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(0.5)), maxSpanS: 90 })).toEqual([]);
    }
  });

  it("records nothing for a host's first evaluation or an empty interval", () => {
    const parts = { gpus, containers: [container('busy', 'alice', { devices: ['GPU-0'] })] };
    const subjects = factsAfter(null, snapshot(t(0), parts));
    expect(usageIncrements(subjects, { host: 'ds01', from: null, to: new Date(t(0)), maxSpanS: 90 })).toEqual([]);
    expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(0)), maxSpanS: 90 })).toEqual([]);
  });

  it('counts a stopped container still holding its GPUs as idle', () => {
    const stopped = container('done', 'alice', { devices: ['GPU-1'], state: 'exited', finishedAt: t(-10) });
    const subjects = factsAfter(null, snapshot(t(0.5), { gpus, containers: [stopped] }));
    // Stopped 10.5 min ago, within the default 15 min gpu_hold_after_stop: the GPU is still held, unused.
    expect(usageIncrements(subjects, { host: 'ds01', from: new Date(t(0)), to: new Date(t(0.5)), maxSpanS: 90 })).toEqual([
      { host: 'ds01', user: 'alice', from: t(0), to: t(0.5), gpuEquivalents: 1, idleGpuEquivalents: 1 },
    ]);
  });
});
