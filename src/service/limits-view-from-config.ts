import { containerTypeLimits } from '../config/limits/container-types.ts';
import { effectiveLimits } from '../config/limits/effective-limits.ts';
import type { LimitsConfig } from '../config/limits/limits-config.ts';
import type { ContainerTypeName } from '../config/limits/schema.ts';
import type { LimitsView, UserLimits } from '../engine/facts/limits-view.ts';

/** Service timing settings the facts need besides the limits file. */
export interface TimingSettings {
  probeIntervalS: number;
  hostSilentAfterIntervals: number;
  fairShareHalfLifeH: number;
}

const CONTAINER_TYPES: readonly ContainerTypeName[] = ['devcontainer', 'compose', 'docker', 'api', 'unknown'];

/** The per-user limits facts use, from DS01's effective limits (DS01 §1.3 layering, exemptions at `now`). */
export function userLimitsFrom(config: LimitsConfig, user: string | null, now: Date): UserLimits {
  const e = effectiveLimits(config, user ?? '', now);
  return {
    group: e.group,
    maxGpuEquivalents: e.maxGpuEquivalents,
    maxGpuSlotsPerContainer: e.maxGpuSlotsPerContainer,
    maxContainersPerUser: e.maxContainersPerUser,
    maxRuntimeH: e.maxRuntimeH,
    idleTimeoutH: e.idleTimeoutH,
    gpuHoldAfterStopH: e.gpuHoldAfterStopH,
    containerHoldAfterStopH: e.containerHoldAfterStopH,
    gpuIdleThresholdPct: e.policies.gpuIdleThresholdPct,
    cpuIdleThresholdPct: e.policies.cpuIdleThresholdPct,
    networkIdleThresholdBytes: e.policies.networkIdleThresholdBytes,
    gracePeriodM: e.policies.gracePeriodM ?? 0,
    createdContainerTimeoutM: e.policies.createdContainerTimeoutM,
    highDemandThreshold: e.policies.highDemandThreshold,
    highDemandIdleReduction: e.policies.highDemandIdleReduction,
    exemptIdle: e.exemptFrom.includes('idle_timeout_h'),
    exemptRuntime: e.exemptFrom.includes('max_runtime_h'),
    bareMetalExempt: e.bareMetalExempt,
    isAdmin: e.isAdmin,
  };
}

const CACHE_BUCKET_MS = 60_000;
const CACHE_MAX_USERS = 10_000;

/**
 * A LimitsView over a loaded DS01 limits file. Resolving a user's limits (group lookup, sanitising, layering)
 * is cached per user and minute of `now`, so exemptions still expire on time while each snapshot's users cost
 * a map lookup.
 */
export function limitsViewFromConfig(config: LimitsConfig, timing: TimingSettings): LimitsView {
  const cache = new Map<string, { bucket: number; limits: UserLimits }>();
  return {
    forUser: (user, now) => {
      const key = user ?? '';
      const bucket = Math.floor(now.getTime() / CACHE_BUCKET_MS);
      const hit = cache.get(key);
      if (hit !== undefined && hit.bucket === bucket) return hit.limits;
      const limits = userLimitsFrom(config, user, now);
      if (cache.size >= CACHE_MAX_USERS) cache.clear();
      cache.set(key, { bucket, limits });
      return limits;
    },
    forContainerType: (type) => {
      if (!(CONTAINER_TYPES as readonly string[]).includes(type)) return null;
      const l = containerTypeLimits(config, type as ContainerTypeName);
      return { idleTimeoutH: l.idleTimeoutH, maxRuntimeH: l.maxRuntimeH };
    },
    ...timing,
  };
}

export { defaultLimitsView } from '../engine/facts/limits-view.ts';
