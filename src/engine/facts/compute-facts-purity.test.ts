import { describe, expect, it } from 'vitest';
import { container, gpu, proc, snapshot, t } from '../../../test/support/snapshot-factory.ts';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { computeFacts } from './compute-facts.ts';
import { DEFAULT_USER_LIMITS, type LimitsView } from './limits-view.ts';
import { emptyTrackedState, parseTrackedState, type TrackedState } from './tracked.ts';

const view: LimitsView = {
  forUser: () => DEFAULT_USER_LIMITS,
  forContainerType: () => ({ idleTimeoutH: 0.5, maxRuntimeH: 48 }),
  fairShareHalfLifeH: 24,
  probeIntervalS: 30,
  hostSilentAfterIntervals: 3,
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const busy = { gpus: [gpu(0), gpu(1, { utilizationPct: 0 })], containers: [container('train', 'alice', { devices: ['GPU-0'] }), container('idle', 'bob', { devices: ['GPU-1'] })], gpuProcesses: [proc(4242), proc(4343, { user: 'carol' })] };
/** Snapshots in order: everything seen, then each source failing (what is tracked is carried over), then back. */
const SEQUENCE: HostSnapshot[] = [
  snapshot(t(0), busy),
  snapshot(t(1), busy),
  snapshot(t(2), { ...busy, errors: [{ source: 'gpu', message: 'nvidia-smi failed' }] }),
  snapshot(t(3), { ...busy, errors: [{ source: 'docker', message: 'engine down' }] }),
  snapshot(t(4), { gpus: [gpu(0)], containers: [], gpuProcesses: [] }),
  snapshot(t(5), busy),
];

describe('computeFacts and the tracked state it is given', () => {
  // The service keeps each host's tracked state parsed between snapshots (src/service/tracked-cache.ts): that is
  // only sound while computeFacts never writes to the state it is given and what it returns is plain JSON.
  it('never mutates the previous tracked state (a deep-frozen one gives the same facts)', () => {
    let tracked: TrackedState = emptyTrackedState();
    for (const s of SEQUENCE) {
      const copy = JSON.parse(JSON.stringify(tracked)) as TrackedState;
      const frozen = computeFacts(s, deepFreeze(tracked), view);
      expect(frozen).toStrictEqual(computeFacts(s, copy, view));
      tracked = frozen.tracked;
    }
  });

  it('returns tracked state equal to what its JSON parses back to', () => {
    let tracked: TrackedState = emptyTrackedState();
    for (const s of SEQUENCE) {
      tracked = computeFacts(s, tracked, view).tracked;
      expect(parseTrackedState(JSON.stringify(tracked))).toStrictEqual(tracked);
    }
    expect(Object.keys(tracked.users).length).toBeGreaterThan(0);
  });
});
