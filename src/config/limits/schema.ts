import { z } from 'zod';
import {
  boolValue,
  cpuQuotaValue,
  durationValue,
  enumValue,
  limitValue,
  nameListValue,
  numberValue,
  optionalTextValue,
  parseSizeBytes,
  scalarValue,
  sizeValue,
  textValue,
} from './values.ts';

// The whole of DS01's config/runtime/resource-limits.yaml (commit 2cf1a0e), every object strict: an unknown key
// anywhere is an error. Keys DS01 documents but comments out (TODO-NOT-IMPLEMENTED) are known too, so that
// uncommenting one is reported as "not enforced" rather than as a typo.

const gpueq = limitValue({ what: 'a number of GPU-equivalents' });
const slots = limitValue({ what: 'a number of GPU slots', integer: true });
const count = (what: string) => limitValue({ what, integer: true });

/** `memory_swap` also takes Docker's `-1` (unlimited swap). */
const swapValue: z.ZodType<number | null> = z.unknown().transform((v, ctx) => {
  if (v === -1) return null;
  const r = parseSizeBytes(v);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.message });
  return z.NEVER;
});

/** Keys a `defaults`, group or user-override block may set (DS01 §1.1). */
export const limitsShape = {
  max_gpu_equivalents: gpueq.optional(),
  max_gpu_slots_per_container: slots.optional(),
  allow_full_gpu: boolValue.optional(),
  gpu_memory: limitValue({ what: 'a number of GB' }).optional(),
  // legacy aliases, still read by DS01 (canonical key first, then these in this order)
  max_gpu_slots: gpueq.optional(),
  max_gpus_per_user: gpueq.optional(),
  max_mig_instances: gpueq.optional(),
  max_gpus_per_container: slots.optional(),
  max_mig_per_container: slots.optional(),
  // per container, applied as docker arguments by DS01
  max_cpus: limitValue({ what: 'a number of CPUs' }).optional(),
  memory: sizeValue.optional(),
  memory_swap: swapValue.optional(),
  shm_size: sizeValue.optional(),
  pids_limit: count('a number of processes').optional(),
  io_read_bps: sizeValue.optional(),
  io_write_bps: sizeValue.optional(),
  ulimit_nofile: count('a number of open files').optional(),
  storage_workspace: sizeValue.optional(),
  storage_data: sizeValue.optional(),
  storage_tmp: sizeValue.optional(),
  // lifecycle
  max_containers_per_user: count('a number of containers').optional(),
  max_runtime_h: durationValue('h').optional(),
  idle_timeout_h: durationValue('h').optional(),
  gpu_hold_after_stop_h: durationValue('h').optional(),
  container_hold_after_stop_h: durationValue('h').optional(),
  max_tasks: count('a number of tasks').optional(),
  priority: numberValue({ what: 'a priority', integer: true }).optional(),
};

/** Per-user aggregate caps (systemd slice) and the gpueq cap the allocator checks first. */
export const aggregateSchema = z.strictObject({
  cpu_quota: cpuQuotaValue.optional(),
  memory_max: sizeValue.optional(),
  memory_high: sizeValue.optional(),
  tasks_max: count('a number of tasks').optional(),
  gpu_limit: gpueq.optional(),
});

/** Lifecycle policies: global, per group, or per user override. */
export const policiesSchema = z.strictObject({
  high_demand_threshold: numberValue({ what: 'a fraction of GPUs allocated (0 to 1)', max: 1 }).optional(),
  high_demand_idle_reduction: numberValue({ what: 'a factor (0 to 1)', max: 1 }).optional(),
  gpu_idle_threshold: numberValue({ what: 'a GPU utilisation percentage', max: 100 }).optional(),
  cpu_idle_threshold: numberValue({ what: 'a CPU percentage' }).optional(),
  network_idle_threshold: numberValue({ what: 'a number of bytes', integer: true }).optional(),
  idle_detection_window: numberValue({ what: 'a number of consecutive checks', integer: true, min: 1 }).optional(),
  grace_period_m: durationValue('m').optional(),
  keepalive_max_duration_h: durationValue('h').optional(),
  sigterm_grace_s: durationValue('s').optional(),
  gpu_hold_after_manual_stop_m: durationValue('m').optional(),
  created_container_timeout_m: durationValue('m').optional(),
  // documented by DS01 as TODO-NOT-IMPLEMENTED
  auto_stop_idle: boolValue.optional(),
  checkpoint_warning: scalarValue.optional(),
  require_workspace_mount: boolValue.optional(),
  enforce_storage_quotas: boolValue.optional(),
  soft_limit_threshold: numberValue({ what: 'a fraction (0 to 1)', max: 1 }).optional(),
  graceful_errors: boolValue.optional(),
  suggest_alternatives: boolValue.optional(),
});

/** The `defaults` block. */
export const limitsBlockSchema = z.strictObject(limitsShape);

/** A `groups.<name>` block: any defaults key, plus inline members, aggregate caps and policies. */
export const groupSchema = z.strictObject({
  ...limitsShape,
  members: nameListValue.optional(),
  aggregate: aggregateSchema.nullable().optional(),
  policies: policiesSchema.nullable().optional(),
});

/** A user override (inline `user_overrides.<user>` or an entry of `user-overrides.yaml`). */
export const overrideSchema = z.strictObject({
  ...limitsShape,
  aggregate: aggregateSchema.nullable().optional(),
  policies: policiesSchema.nullable().optional(),
});

const migGpuSchema = z.strictObject({
  enable: boolValue.optional(),
  profile: optionalTextValue.optional(),
  instances: numberValue({ what: 'a number of MIG instances', integer: true }).optional(),
});

const gpuAllocationSchema = z.strictObject({
  slots_per_gpu: numberValue({ what: 'a number of slots', integer: true, min: 1 }).optional(),
  mig_instances_per_gpu: numberValue({ what: 'a number of slots', integer: true, min: 1 }).optional(),
  strategy: enumValue(['least_allocated', 'round_robin']).optional(),
  allocation_method: textValue.optional(),
  enable_mig: boolValue.optional(),
  mig_strategy: enumValue(['auto', 'manual', 'disabled']).optional(),
  mig_profile: optionalTextValue.optional(),
  mig_gpus: z
    .record(z.string().regex(/^\d+$/, 'a mig_gpus key must be a GPU index (0, 1, ...)'), migGpuSchema.nullable())
    .nullable()
    .optional(),
  respect_reservations: boolValue.optional(),
});

/** Lifecycle limits of one container type (containers created outside the DS01 CLI). */
export const containerTypeSchema = z.strictObject({
  idle_timeout_h: durationValue('h').optional(),
  max_runtime_h: durationValue('h').optional(),
  sigterm_grace_s: durationValue('s').optional(),
  gpu_hold_after_stop_h: durationValue('h').optional(),
  container_hold_after_stop_h: durationValue('h').optional(),
});

/** The container types DS01's lifecycle scripts look up in `container_types`. */
export const CONTAINER_TYPE_NAMES = ['devcontainer', 'compose', 'docker', 'api', 'unknown'] as const;

/** A container type name known to `container_types`. */
export type ContainerTypeName = (typeof CONTAINER_TYPE_NAMES)[number];

const containerTypesSchema = z.strictObject({
  devcontainer: containerTypeSchema.nullable().optional(),
  compose: containerTypeSchema.nullable().optional(),
  docker: containerTypeSchema.nullable().optional(),
  api: containerTypeSchema.nullable().optional(),
  unknown: containerTypeSchema.nullable().optional(),
});

/** Schema of the whole resource-limits.yaml. Every section is optional; null sections read as empty. */
export const resourceLimitsSchema = z.strictObject({
  defaults: limitsBlockSchema.nullable().optional(),
  default_group: textValue.optional(),
  enforcement: z
    .strictObject({ aggregate_limits: boolValue.optional(), cgroup_driver: enumValue(['systemd', 'cgroupfs']).optional() })
    .nullable()
    .optional(),
  groups: z.record(z.string(), groupSchema.nullable()).nullable().optional(),
  user_overrides: z.record(z.string(), overrideSchema.nullable()).nullable().optional(),
  gpu_allocation: gpuAllocationSchema.nullable().optional(),
  policies: policiesSchema.nullable().optional(),
  container_types: containerTypesSchema.nullable().optional(),
  monitoring: z
    .strictObject({ infrastructure_containers: nameListValue.optional(), infrastructure_label: textValue.optional() })
    .nullable()
    .optional(),
  bare_metal_access: z
    .strictObject({
      exempt_users: nameListValue.optional(),
      admin_group: optionalTextValue.optional(),
      default_grant_duration_h: durationValue('h').optional(),
      state_dir: textValue.optional(),
    })
    .nullable()
    .optional(),
  access_control: z
    .strictObject({
      admin_users: nameListValue.optional(),
      admin_group: optionalTextValue.optional(),
      wrapper: z
        .strictObject({
          enforcement_mode: enumValue(['disabled', 'monitoring', 'full']).optional(),
          debug_level: numberValue({ what: 'a debug level (0, 1 or 2)', integer: true, max: 2 }).optional(),
          unknown_commands: enumValue(['allow', 'deny']).optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

/** `user-overrides.yaml`: user name → override block. */
export const userOverridesFileSchema = z.record(z.string(), overrideSchema.nullable());

/** The parsed resource-limits.yaml (snake_case, as in the file; sizes in bytes, null = no limit). */
export type ResourceLimitsFile = z.infer<typeof resourceLimitsSchema>;
/** A parsed `defaults` block. */
export type LimitsBlock = z.infer<typeof limitsBlockSchema>;
/** A parsed group block. */
export type GroupBlock = z.infer<typeof groupSchema>;
/** A parsed user override. */
export type OverrideBlock = z.infer<typeof overrideSchema>;
/** A parsed `aggregate` block. */
export type AggregateBlock = z.infer<typeof aggregateSchema>;
/** A parsed `policies` block. */
export type PoliciesBlock = z.infer<typeof policiesSchema>;
/** A parsed `container_types.<type>` block. */
export type ContainerTypeBlock = z.infer<typeof containerTypeSchema>;
