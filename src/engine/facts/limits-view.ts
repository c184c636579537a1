/**
 * The limits one subject is held to, as facts need them (hours/minutes in the names; null = unlimited).
 * Built from a DS01 resource-limits.yaml by src/service/limits-adapter.ts; tests build it directly.
 */
export interface UserLimits {
  group: string;
  maxGpuEquivalents: number | null;
  maxGpuSlotsPerContainer: number | null;
  maxContainersPerUser: number | null;
  maxRuntimeH: number | null;
  idleTimeoutH: number | null;
  gpuHoldAfterStopH: number | null;
  containerHoldAfterStopH: number | null;
  gpuIdleThresholdPct: number;
  /** CPU use (% of one core) above which a container counts as active when its GPU signal is missing (MIG). */
  cpuIdleThresholdPct: number;
  /** Bytes received per probe interval above which a container counts as active when its GPU signal is missing. */
  networkIdleThresholdBytes: number;
  gracePeriodM: number;
  createdContainerTimeoutM: number | null;
  highDemandThreshold: number;
  highDemandIdleReduction: number;
  exemptIdle: boolean;
  exemptRuntime: boolean;
  bareMetalExempt: boolean;
  isAdmin: boolean;
}

/** Per container type (DS01 container_types): idle and runtime limits; idle null = exempt. */
export interface ContainerTypeLimits {
  idleTimeoutH: number | null;
  maxRuntimeH: number | null;
}

/** Everything facts need from configuration. Pure functions of their arguments. */
export interface LimitsView {
  forUser(user: string | null, now: Date): UserLimits;
  /** Limits of a DS01 container type (devcontainer, compose, docker, api, unknown); null when the type is not configured. */
  forContainerType(type: string): ContainerTypeLimits | null;
  /** Half-life of the decayed GPU-hours used for fair share. */
  fairShareHalfLifeH: number;
  /** Expected seconds between two snapshots of a host (the probe interval). */
  probeIntervalS: number;
  /** Missed intervals after which a host counts as silent. */
  hostSilentAfterIntervals: number;
}

/** DS01's shipped defaults (student group), for tests and a service with no limits file. */
export const DEFAULT_USER_LIMITS: UserLimits = {
  group: 'student',
  maxGpuEquivalents: 2,
  maxGpuSlotsPerContainer: 2,
  maxContainersPerUser: 3,
  maxRuntimeH: 24,
  idleTimeoutH: 0.5,
  gpuHoldAfterStopH: 0.25,
  containerHoldAfterStopH: 0.5,
  gpuIdleThresholdPct: 5,
  cpuIdleThresholdPct: 2,
  networkIdleThresholdBytes: 1_048_576,
  gracePeriodM: 30,
  createdContainerTimeoutM: 30,
  highDemandThreshold: 0.8,
  highDemandIdleReduction: 0.5,
  exemptIdle: false,
  exemptRuntime: false,
  bareMetalExempt: false,
  isAdmin: false,
};

/** DS01's shipped student limits for everyone (what `rules test` uses without `--limits`, and a service given no limits). */
export function defaultLimitsView(timing: Pick<LimitsView, 'fairShareHalfLifeH' | 'probeIntervalS' | 'hostSilentAfterIntervals'>): LimitsView {
  return {
    forUser: () => DEFAULT_USER_LIMITS,
    forContainerType: (type) => ({ compose: { idleTimeoutH: 0.5, maxRuntimeH: 72 }, docker: { idleTimeoutH: 0.5, maxRuntimeH: 48 }, devcontainer: { idleTimeoutH: null, maxRuntimeH: 168 }, api: { idleTimeoutH: null, maxRuntimeH: 24 }, unknown: { idleTimeoutH: 0.25, maxRuntimeH: 24 } })[type] ?? null,
    fairShareHalfLifeH: timing.fairShareHalfLifeH,
    probeIntervalS: timing.probeIntervalS,
    hostSilentAfterIntervals: timing.hostSilentAfterIntervals,
  };
}
