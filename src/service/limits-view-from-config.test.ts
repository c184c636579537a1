import { describe, expect, it } from 'vitest';
import { loadLimits } from '../config/limits/load.ts';
import { limitsViewFromConfig, userLimitsFrom } from './limits-view-from-config.ts';

const timing = { probeIntervalS: 30, hostSilentAfterIntervals: 3, fairShareHalfLifeH: 24 };
const { config } = await loadLimits('test/fixtures/config/ds01/resource-limits.yaml');
const now = new Date('2026-11-25T10:00:00Z');

describe('limits from the real DS01 file, as facts see them', () => {
  it('a student (unlisted user), a researcher (member file) and the admin', () => {
    expect(userLimitsFrom(config, 'unknown.student@hertie-school.lan', now)).toMatchObject({
      group: 'student', maxGpuEquivalents: 2, maxGpuSlotsPerContainer: 2, maxContainersPerUser: 3, maxRuntimeH: 24, idleTimeoutH: 0.5, gpuIdleThresholdPct: 5, cpuIdleThresholdPct: 2, networkIdleThresholdBytes: 1048576,
    });
    expect(userLimitsFrom(config, 'h.baker@hertie-school.lan', now)).toMatchObject({ group: 'researcher', maxGpuEquivalents: 4, maxContainersPerUser: 5, maxRuntimeH: 48, idleTimeoutH: 1 });
    expect(userLimitsFrom(config, 'datasciencelab', now)).toMatchObject({ maxGpuEquivalents: null, maxGpuSlotsPerContainer: null, maxContainersPerUser: 10, isAdmin: true });
  });

  it('DS01 container types: devcontainer idle exempt, compose 72 h, unknown types none', () => {
    const view = limitsViewFromConfig(config, timing);
    expect(view.forContainerType('devcontainer')).toEqual({ idleTimeoutH: null, maxRuntimeH: 168 });
    expect(view.forContainerType('compose')).toEqual({ idleTimeoutH: 0.5, maxRuntimeH: 72 });
    expect(view.forContainerType('orchestration')).toBeNull();
    expect(view.probeIntervalS).toBe(30);
  });

  it('caches per user and minute: same object within the minute, recomputed after it', () => {
    const view = limitsViewFromConfig(config, timing);
    const a = view.forUser('h.baker@hertie-school.lan', now);
    expect(view.forUser('h.baker@hertie-school.lan', new Date(now.getTime() + 30_000))).toBe(a);
    const later = view.forUser('h.baker@hertie-school.lan', new Date(now.getTime() + 61_000));
    expect(later).not.toBe(a);
    expect(later).toEqual(a);
  });
});
