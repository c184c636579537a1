/**
 * What DS01's code uses when a key is absent (get_resource_limits.py, gpu_allocator_v2.py, the cron scripts):
 * quota 1.0 gpueq, 1 slot per container, no full GPU, 3 containers; lifecycle durations absent = no limit.
 */
export const DS01_LIMIT_FALLBACKS = {
  maxGpuEquivalents: 1.0,
  maxGpuSlotsPerContainer: 1,
  allowFullGpu: false,
  maxContainersPerUser: 3,
} as const;

/** DS01's shipped global `policies` values, used for any policy key the file leaves out. */
export const DS01_POLICY_FALLBACKS = {
  high_demand_threshold: 0.8,
  high_demand_idle_reduction: 0.5,
  gpu_idle_threshold: 5,
  cpu_idle_threshold: 2.0,
  network_idle_threshold: 1048576,
  idle_detection_window: 3,
  grace_period_m: 30,
  keepalive_max_duration_h: 24,
  sigterm_grace_s: 60,
  gpu_hold_after_manual_stop_m: 15,
  created_container_timeout_m: 30,
} as const;

/** DS01's `default_group` when the file names none (`config.get('default_group', 'student')`). */
export const DS01_DEFAULT_GROUP = 'student';

/** The effective group string DS01 gives a user with a user override. */
export const OVERRIDE_GROUP = 'override';

/** DS01's member file of archived users: not a group, skipped by the membership sync. */
export const ARCHIVED_GROUP = 'archived';

/** Legacy aliases of the gpueq quota, in the order DS01's allocator reads them (canonical first). */
export const QUOTA_KEYS = ['max_gpu_equivalents', 'max_gpu_slots', 'max_gpus_per_user', 'max_mig_instances'] as const;

/** Legacy aliases of the per-container slot cap, in the order DS01's allocator reads them (canonical first). */
export const SLOT_KEYS = ['max_gpu_slots_per_container', 'max_gpus_per_container', 'max_mig_per_container'] as const;
