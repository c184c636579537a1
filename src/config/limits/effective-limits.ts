import { sanitiseUsername } from '../../users/sanitise-username.ts';
import { DS01_LIMIT_FALLBACKS, DS01_POLICY_FALLBACKS, OVERRIDE_GROUP, QUOTA_KEYS, SLOT_KEYS } from './ds01-defaults.ts';
import { activeExemptionKinds, type ExemptionKind } from './exemptions.ts';
import { assignGroup, findOverride, lookupNames, type GroupSource } from './group-assignment.ts';
import type { LimitsConfig } from './limits-config.ts';
import { limitsShape, type AggregateBlock, type LimitsBlock, type PoliciesBlock } from './schema.ts';

/** A user's aggregate (per-user, all containers) caps; null fields = no cap. */
export interface EffectiveAggregate {
  cpuQuotaPct: number | null;
  memoryMaxBytes: number | null;
  memoryHighBytes: number | null;
  tasksMax: number | null;
  gpuLimit: number | null;
}

/** A user's lifecycle policies after global → group → override layering. Durations: null = no limit. */
export interface EffectivePolicies {
  gpuIdleThresholdPct: number;
  cpuIdleThresholdPct: number;
  networkIdleThresholdBytes: number;
  /** Consecutive idle checks before action. */
  idleDetectionWindow: number;
  /** Fraction of GPUs allocated at which the server counts as "high demand". */
  highDemandThreshold: number;
  /** Factor applied to idle timeouts under high demand. */
  highDemandIdleReduction: number;
  gracePeriodM: number | null;
  keepaliveMaxDurationH: number | null;
  sigtermGraceS: number | null;
  gpuHoldAfterManualStopM: number | null;
  createdContainerTimeoutM: number | null;
}

/** Everything gpuwarden needs to judge one user, resolved as DS01 §1.3 does. Numeric null = unlimited. */
export interface EffectiveLimits {
  user: string;
  sanitisedUser: string;
  /** The group DS01 reports: `"override"` for a user with a user override, else the membership group. */
  group: string;
  /** The membership group (what aggregate and policies fall back to for an overridden user too). */
  memberGroup: string;
  memberGroupSource: GroupSource;
  /** min(max_gpu_equivalents, aggregate.gpu_limit); null = unlimited. */
  maxGpuEquivalents: number | null;
  maxGpuSlotsPerContainer: number | null;
  allowFullGpu: boolean;
  maxContainersPerUser: number | null;
  maxRuntimeH: number | null;
  idleTimeoutH: number | null;
  gpuHoldAfterStopH: number | null;
  containerHoldAfterStopH: number | null;
  aggregate: EffectiveAggregate | null;
  policies: EffectivePolicies;
  /** Lifecycle limits the user is exempt from at `now` (unexpired exemptions only). */
  exemptFrom: ExemptionKind[];
  /** root, a user in `access_control.admin_users`, or a member of the `admin` group (DS01's admins). */
  isAdmin: boolean;
  /** Listed in `bare_metal_access.exempt_users` (may use GPUs outside containers). */
  bareMetalExempt: boolean;
}

const LIMIT_KEYS = new Set(Object.keys(limitsShape));

function limitsOnly(block: object): Partial<LimitsBlock> {
  return Object.fromEntries(Object.entries(block).filter(([k, v]) => LIMIT_KEYS.has(k) && v !== undefined)) as Partial<LimitsBlock>;
}

function firstPresent(merged: Partial<LimitsBlock>, keys: readonly (keyof LimitsBlock)[]): { found: boolean; value: number | null } {
  for (const k of keys) {
    const v = merged[k];
    if (v !== undefined) return { found: true, value: typeof v === 'number' ? v : null };
  }
  return { found: false, value: null };
}

function minLimit(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function toAggregate(a: AggregateBlock): EffectiveAggregate {
  return {
    cpuQuotaPct: a.cpu_quota ?? null,
    memoryMaxBytes: a.memory_max ?? null,
    memoryHighBytes: a.memory_high ?? null,
    tasksMax: a.tasks_max ?? null,
    gpuLimit: a.gpu_limit ?? null,
  };
}

function toPolicies(p: PoliciesBlock): EffectivePolicies {
  const f = DS01_POLICY_FALLBACKS;
  const dur = (v: number | null | undefined, fallback: number): number | null => (v === undefined ? fallback : v);
  return {
    gpuIdleThresholdPct: p.gpu_idle_threshold ?? f.gpu_idle_threshold,
    cpuIdleThresholdPct: p.cpu_idle_threshold ?? f.cpu_idle_threshold,
    networkIdleThresholdBytes: p.network_idle_threshold ?? f.network_idle_threshold,
    idleDetectionWindow: p.idle_detection_window ?? f.idle_detection_window,
    highDemandThreshold: p.high_demand_threshold ?? f.high_demand_threshold,
    highDemandIdleReduction: p.high_demand_idle_reduction ?? f.high_demand_idle_reduction,
    gracePeriodM: dur(p.grace_period_m, f.grace_period_m),
    keepaliveMaxDurationH: dur(p.keepalive_max_duration_h, f.keepalive_max_duration_h),
    sigtermGraceS: dur(p.sigterm_grace_s, f.sigterm_grace_s),
    gpuHoldAfterManualStopM: dur(p.gpu_hold_after_manual_stop_m, f.gpu_hold_after_manual_stop_m),
    createdContainerTimeoutM: dur(p.created_container_timeout_m, f.created_container_timeout_m),
  };
}

function definedOnly<T extends object>(block: T | null | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(block ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A user's effective limits at `now`, exactly as DS01 §1.3 resolves them: a user override ⇒ defaults + override
 * only (group "override"); else defaults + group. Aggregate: the override's, else the membership group's, else none.
 * Policies: global → group → override (an override's policies replace the group's). Legacy quota aliases are read
 * after the canonical key on the merged block. `aggregate.gpu_limit` also caps the gpueq quota. Pure.
 */
export function effectiveLimits(config: LimitsConfig, username: string, now: Date): EffectiveLimits {
  const names = lookupNames(username);
  const membership = assignGroup(config, username);
  const groupBlock = config.groups.get(membership.group) ?? {};
  const override = findOverride(config, username);
  const defaults = limitsOnly(config.defaults);
  const merged: Partial<LimitsBlock> = { ...defaults, ...limitsOnly(override?.block ?? groupBlock) };

  const aggregateBlock = override?.block.aggregate !== undefined ? override.block.aggregate : (groupBlock.aggregate ?? null);
  const aggregate = aggregateBlock === null ? null : toAggregate(aggregateBlock);
  const quota = firstPresent(merged, QUOTA_KEYS);
  const slots = firstPresent(merged, SLOT_KEYS);
  const policyLayer = override?.block.policies !== undefined ? override.block.policies : groupBlock.policies;
  const policies = toPolicies({ ...definedOnly(config.data.policies), ...definedOnly(policyLayer) });
  const adminUsers = config.data.access_control?.admin_users ?? [];
  const bareMetalUsers = config.data.bare_metal_access?.exempt_users ?? [];

  return {
    user: username,
    sanitisedUser: sanitiseUsername(username),
    group: override === null ? membership.group : OVERRIDE_GROUP,
    memberGroup: membership.group,
    memberGroupSource: membership.source,
    maxGpuEquivalents: minLimit(quota.found ? quota.value : DS01_LIMIT_FALLBACKS.maxGpuEquivalents, aggregate?.gpuLimit ?? null),
    maxGpuSlotsPerContainer: slots.found ? slots.value : DS01_LIMIT_FALLBACKS.maxGpuSlotsPerContainer,
    allowFullGpu: merged.allow_full_gpu ?? DS01_LIMIT_FALLBACKS.allowFullGpu,
    maxContainersPerUser: merged.max_containers_per_user === undefined ? DS01_LIMIT_FALLBACKS.maxContainersPerUser : merged.max_containers_per_user,
    maxRuntimeH: merged.max_runtime_h ?? null,
    idleTimeoutH: merged.idle_timeout_h ?? null,
    gpuHoldAfterStopH: merged.gpu_hold_after_stop_h ?? null,
    containerHoldAfterStopH: merged.container_hold_after_stop_h ?? null,
    aggregate,
    policies,
    exemptFrom: activeExemptionKinds(config.exemptions, names, now),
    isAdmin: username === 'root' || names.some((n) => adminUsers.includes(n)) || membership.group === 'admin',
    bareMetalExempt: names.some((n) => bareMetalUsers.includes(n)),
  };
}
