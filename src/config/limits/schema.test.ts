import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTAINER_TYPE_NAMES, groupSchema, overrideSchema, resourceLimitsSchema, userOverridesFileSchema } from './schema.ts';
import { parseYamlSource } from './yaml-source.ts';

const DS01 = readFileSync('test/fixtures/config/ds01/resource-limits.yaml', 'utf8');
const GiB = 2 ** 30;

describe('resourceLimitsSchema on the real DS01 file', () => {
  const parsed = resourceLimitsSchema.safeParse(parseYamlSource('r.yaml', DS01).value);

  it('accepts every key of the file', () => {
    expect(parsed.success).toBe(true);
  });

  const data = parsed.success ? parsed.data : undefined;

  it('reads defaults with sizes in bytes', () => {
    expect(data?.defaults).toMatchObject({
      max_gpu_equivalents: 1,
      max_gpu_slots_per_container: 1,
      allow_full_gpu: true,
      max_cpus: 32,
      memory: 32 * GiB,
      memory_swap: 32 * GiB,
      shm_size: 16 * GiB,
      pids_limit: 4096,
      max_containers_per_user: 3,
      max_runtime_h: 24,
      idle_timeout_h: 0.5,
      gpu_hold_after_stop_h: 0.25,
      container_hold_after_stop_h: 0.5,
      max_tasks: 32768,
    });
  });

  it('reads the four groups with their aggregate and policies, admin with nulls', () => {
    expect(Object.keys(data?.groups ?? {})).toEqual(['student', 'researcher', 'faculty', 'admin']);
    expect(data?.groups?.student?.aggregate).toEqual({ cpu_quota: 9600, memory_max: 96 * GiB, memory_high: 86 * GiB, tasks_max: 12288, gpu_limit: 2 });
    expect(data?.groups?.researcher?.policies).toEqual({ gpu_idle_threshold: 5, cpu_idle_threshold: 3, network_idle_threshold: 1048576, idle_detection_window: 4 });
    expect(data?.groups?.admin).toMatchObject({ max_gpu_equivalents: null, max_gpu_slots_per_container: null, max_tasks: null, gpu_hold_after_stop_h: 1 });
    expect(data?.groups?.admin?.aggregate).toBeUndefined();
  });

  it('reads gpu_allocation (all commented out) as null, and the other sections', () => {
    expect(data?.gpu_allocation).toBeNull();
    expect(data?.container_types?.devcontainer).toEqual({ idle_timeout_h: null, max_runtime_h: 168, sigterm_grace_s: 30 });
    expect(data?.monitoring?.infrastructure_containers).toHaveLength(5);
    expect(data?.access_control?.wrapper).toEqual({ enforcement_mode: 'full', debug_level: 0, unknown_commands: 'allow' });
    expect(data?.bare_metal_access).toEqual({ exempt_users: ['datasciencelab'], admin_group: 'ds01-admin', default_grant_duration_h: 24, state_dir: '/var/lib/ds01/bare-metal-grants' });
    expect(data?.enforcement).toEqual({ aggregate_limits: true, cgroup_driver: 'systemd' });
  });
});

describe('keys DS01 documents but comments out are known (so uncommenting is not a typo)', () => {
  it('defaults / group TODO keys', () => {
    const r = groupSchema.safeParse({ gpu_memory: null, io_read_bps: '500M', io_write_bps: '200M', ulimit_nofile: 65535, storage_workspace: '100G', storage_data: '1T', storage_tmp: '50G', priority: 10 });
    expect(r.success).toBe(true);
    expect(r.data?.storage_data).toBe(2 ** 40);
  });

  it('the whole commented gpu_allocation block, legacy alias included', () => {
    const r = resourceLimitsSchema.safeParse({
      gpu_allocation: {
        slots_per_gpu: 1,
        mig_instances_per_gpu: 4,
        strategy: 'least_allocated',
        allocation_method: 'dynamic',
        enable_mig: true,
        mig_strategy: 'auto',
        mig_profile: '2g.20gb',
        mig_gpus: { '0': { enable: false, profile: null }, '1': { enable: true, profile: '1g.10gb', instances: 4 } },
        respect_reservations: true,
      },
    });
    expect(r.success).toBe(true);
  });

  it('the commented policies', () => {
    const r = resourceLimitsSchema.safeParse({
      policies: { auto_stop_idle: true, checkpoint_warning: '1h', require_workspace_mount: true, enforce_storage_quotas: true, soft_limit_threshold: 0.8, graceful_errors: true, suggest_alternatives: true },
    });
    expect(r.success).toBe(true);
  });
});

describe('legacy aliases and special values', () => {
  it('alias keys are accepted in every limits block', () => {
    const block = { max_gpu_slots: 2, max_gpus_per_user: 2, max_mig_instances: 4, max_gpus_per_container: 1, max_mig_per_container: null };
    expect(overrideSchema.safeParse(block).success).toBe(true);
    expect(resourceLimitsSchema.safeParse({ defaults: block }).success).toBe(true);
  });

  it('memory_swap takes Docker\'s -1 as unlimited; other sizes do not', () => {
    expect(groupSchema.parse({ memory_swap: -1 }).memory_swap).toBeNull();
    expect(groupSchema.safeParse({ memory: -1 }).success).toBe(false);
  });

  it('members is only a group key, not a user override key', () => {
    expect(groupSchema.safeParse({ members: ['a'] }).success).toBe(true);
    expect(overrideSchema.safeParse({ members: ['a'] }).success).toBe(false);
  });

  it('null sections and null entries are allowed (read as empty)', () => {
    const r = resourceLimitsSchema.safeParse({ defaults: null, groups: { admin: null }, user_overrides: null, policies: null, container_types: { api: null } });
    expect(r.success).toBe(true);
    expect(userOverridesFileSchema.safeParse({ alice: null }).success).toBe(true);
  });

  it('container types are exactly DS01\'s five', () => {
    expect(CONTAINER_TYPE_NAMES).toEqual(['devcontainer', 'compose', 'docker', 'api', 'unknown']);
    expect(resourceLimitsSchema.safeParse({ container_types: { orchestration: {} } }).success).toBe(false);
  });
});
