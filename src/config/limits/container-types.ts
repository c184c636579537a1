import { DS01_POLICY_FALLBACKS } from './ds01-defaults.ts';
import type { LimitsConfig } from './limits-config.ts';
import type { ContainerTypeName } from './schema.ts';

/** Lifecycle limits of containers created outside the DS01 CLI, by type. Durations: null = no limit. */
export interface ContainerTypeLimits {
  type: ContainerTypeName;
  /** null = exempt from idle stops. */
  idleTimeoutH: number | null;
  maxRuntimeH: number | null;
  sigtermGraceS: number | null;
  /** Hold-after-stop values; DS01 uses them only for containers without a known owner. null = not set. */
  gpuHoldAfterStopH: number | null;
  containerHoldAfterStopH: number | null;
  /** Whether `container_types.<type>` is in the file (false: every value is DS01's fallback). */
  configured: boolean;
}

/** Types that are exempt from idle stops when their idle_timeout_h is null or absent. */
const IDLE_EXEMPT_WHEN_NULL: readonly ContainerTypeName[] = ['devcontainer', 'api'];
const IDLE_FALLBACK_H = 0.5;
const RUNTIME_NULL_FALLBACK_H = 48;
const RUNTIME_ABSENT_FALLBACK_H = 24;

/**
 * Limits for one container type, with DS01 §6 null semantics: idle null = exempt for `devcontainer` (DS01's hard
 * exemption) and `api` ("jobs manage their own lifecycle"; DS01's idle script gives api 0.25 h, a known
 * inconsistency not copied), idle null/absent = 0.5 h for compose, docker and unknown; max runtime null = 48 h,
 * absent = 24 h; sigterm grace absent = `policies.sigterm_grace_s` (60 s). Pure.
 */
export function containerTypeLimits(config: LimitsConfig, type: ContainerTypeName): ContainerTypeLimits {
  const block = config.data.container_types?.[type] ?? undefined;
  const idle = block?.idle_timeout_h ?? null;
  const runtime = block?.max_runtime_h;
  const globalGrace = config.data.policies?.sigterm_grace_s;
  return {
    type,
    idleTimeoutH: idle !== null ? idle : IDLE_EXEMPT_WHEN_NULL.includes(type) ? null : IDLE_FALLBACK_H,
    maxRuntimeH: runtime === undefined ? RUNTIME_ABSENT_FALLBACK_H : (runtime ?? RUNTIME_NULL_FALLBACK_H),
    sigtermGraceS:
      block?.sigterm_grace_s !== undefined ? block.sigterm_grace_s : globalGrace !== undefined ? globalGrace : DS01_POLICY_FALLBACKS.sigterm_grace_s,
    gpuHoldAfterStopH: block?.gpu_hold_after_stop_h ?? null,
    containerHoldAfterStopH: block?.container_hold_after_stop_h ?? null,
    configured: block !== undefined,
  };
}
