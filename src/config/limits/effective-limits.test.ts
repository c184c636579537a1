import { describe, expect, it } from 'vitest';
import { effectiveLimits, type EffectiveLimits } from './effective-limits.ts';
import { DS01_NOW, ds01Sources, inline, parseOk } from './test-support.ts';

const GiB = 2 ** 30;
const DS01_GLOBAL_POLICIES = {
  gpuIdleThresholdPct: 5,
  cpuIdleThresholdPct: 2,
  networkIdleThresholdBytes: 1048576,
  idleDetectionWindow: 3,
  highDemandThreshold: 0.8,
  highDemandIdleReduction: 0.5,
  gracePeriodM: 30,
  keepaliveMaxDurationH: 24,
  sigtermGraceS: 60,
  gpuHoldAfterManualStopM: 15,
  createdContainerTimeoutM: 30,
};

describe('effectiveLimits on the real DS01 file', () => {
  const c = parseOk(ds01Sources());
  const of = (user: string): EffectiveLimits => effectiveLimits(c, user, DS01_NOW);

  it('an unlisted user is a student (default_group): 2.0 gpueq, 2 slots, 3 containers, 24 h, 0.5 h idle', () => {
    expect(of('999999@hertie-school.lan')).toEqual({
      user: '999999@hertie-school.lan',
      sanitisedUser: '999999',
      group: 'student',
      memberGroup: 'student',
      memberGroupSource: 'default_group',
      maxGpuEquivalents: 2,
      maxGpuSlotsPerContainer: 2,
      allowFullGpu: true,
      maxContainersPerUser: 3,
      maxRuntimeH: 24,
      idleTimeoutH: 0.5,
      gpuHoldAfterStopH: 0.25,
      containerHoldAfterStopH: 0.5,
      aggregate: { cpuQuotaPct: 9600, memoryMaxBytes: 96 * GiB, memoryHighBytes: 86 * GiB, tasksMax: 12288, gpuLimit: 2 },
      policies: DS01_GLOBAL_POLICIES,
      exemptFrom: [],
      isAdmin: false,
      bareMetalExempt: false,
    });
  });

  it('a researcher from the member file: 4.0, 3 slots, 5 containers, 48 h, 1 h idle, window 4', () => {
    const l = of('h.baker@hertie-school.lan');
    expect(l).toMatchObject({
      sanitisedUser: 'h_baker',
      group: 'researcher',
      memberGroupSource: 'members',
      maxGpuEquivalents: 4,
      maxGpuSlotsPerContainer: 3,
      maxContainersPerUser: 5,
      maxRuntimeH: 48,
      idleTimeoutH: 1,
      gpuHoldAfterStopH: 0.25,
      aggregate: { cpuQuotaPct: 24000, memoryMaxBytes: 320 * GiB, memoryHighBytes: 288 * GiB, tasksMax: 327680, gpuLimit: 4 },
      isAdmin: false,
    });
    expect(l.policies).toEqual({ ...DS01_GLOBAL_POLICIES, cpuIdleThresholdPct: 3, idleDetectionWindow: 4 });
  });

  it('the admin: unlimited quota and slots, 10 containers, 1 h GPU hold, no aggregate, admin and bare-metal exempt', () => {
    const l = of('datasciencelab');
    expect(l).toMatchObject({
      group: 'admin',
      maxGpuEquivalents: null,
      maxGpuSlotsPerContainer: null,
      maxContainersPerUser: 10,
      maxRuntimeH: 24,
      idleTimeoutH: 1,
      gpuHoldAfterStopH: 1,
      aggregate: null,
      isAdmin: true,
      bareMetalExempt: true,
    });
    expect(l.policies).toEqual(DS01_GLOBAL_POLICIES);
  });

  it('faculty from its member file', () => {
    expect(of('p.professor@hertie-school.lan')).toMatchObject({ group: 'faculty', maxGpuEquivalents: 4, maxGpuSlotsPerContainer: 4, maxRuntimeH: 72, idleTimeoutH: 2 });
  });

  it('an overridden user gets defaults + the override only, group "override"', () => {
    const l = of('300300@hertie-school.lan');
    expect(l).toMatchObject({
      group: 'override',
      memberGroup: 'student',
      maxGpuEquivalents: 1, // defaults' 1.0, not the student group's 2.0
      maxGpuSlotsPerContainer: 1,
      maxContainersPerUser: 3,
      maxRuntimeH: null,
      idleTimeoutH: null,
      containerHoldAfterStopH: null,
      gpuHoldAfterStopH: 0.25,
      exemptFrom: ['idle_timeout_h', 'max_runtime_h'],
    });
  });

  it('an overridden researcher keeps the researcher aggregate and policies (no override ones), not its limits', () => {
    const l = of('a.researcher@hertie-school.lan');
    expect(l).toMatchObject({
      group: 'override',
      memberGroup: 'researcher',
      maxGpuEquivalents: 3,
      maxGpuSlotsPerContainer: 1,
      maxContainersPerUser: 3,
      maxRuntimeH: 96,
      idleTimeoutH: 0.5,
      aggregate: { gpuLimit: 4, cpuQuotaPct: 24000 },
    });
    expect(l.policies.idleDetectionWindow).toBe(4);
  });

  it('group-overrides.txt puts a numeric id into researcher', () => {
    expect(of('400400@hertie-school.lan')).toMatchObject({ group: 'researcher', memberGroupSource: 'group-overrides', maxGpuEquivalents: 4 });
  });

  it('exemptions: active, time-bounded until expiry, expired', () => {
    expect(of('h.baker@hertie-school.lan').exemptFrom).toEqual(['max_runtime_h']);
    expect(effectiveLimits(c, 'h.baker@hertie-school.lan', new Date('2026-07-01T00:00:00Z')).exemptFrom).toEqual([]);
    expect(of('q.postdoc@hertie-school.lan').exemptFrom).toEqual([]);
  });

  it('root counts as an admin (uid 0 is one in DS01)', () => {
    expect(of('root').isAdmin).toBe(true);
  });
});

describe('effectiveLimits: sanitised lookup', () => {
  it('a member file listing h_baker matches the login h.baker@hertie-school.lan', () => {
    const sources = ds01Sources({
      memberFiles: [
        { group: 'faculty', file: 'groups/faculty.members', text: '# sanitised form\nh_baker\n' },
        { group: 'admin', file: 'groups/admin.members', text: 'datasciencelab\n' },
      ],
    });
    const l = effectiveLimits(parseOk(sources), 'h.baker@hertie-school.lan', DS01_NOW);
    expect(l).toMatchObject({ user: 'h.baker@hertie-school.lan', sanitisedUser: 'h_baker', group: 'faculty', maxGpuSlotsPerContainer: 4, maxRuntimeH: 72 });
  });

  it('admin, bare-metal and exemption lists also match the sanitised name', () => {
    const c = parseOk(
      inline('access_control:\n  admin_users: [j_doe]\nbare_metal_access:\n  exempt_users: [j_doe]\n', {
        lifecycleExemptions: { file: 'ex.yaml', text: 'exemptions:\n  - username: j_doe\n    exempt_from: [idle_timeout_h]\n' },
      }),
    );
    expect(effectiveLimits(c, 'j.doe@x.lan', DS01_NOW)).toMatchObject({ isAdmin: true, bareMetalExempt: true, exemptFrom: ['idle_timeout_h'] });
    expect(effectiveLimits(c, 'j.dow@x.lan', DS01_NOW)).toMatchObject({ isAdmin: false, bareMetalExempt: false, exemptFrom: [] });
  });

  it('a malformed exemptions file fails open: nobody is exempt', () => {
    const c = parseOk(ds01Sources({ lifecycleExemptions: { file: 'ex.yaml', text: 'exemptions:\n  - username: "300300@hertie-school.lan"\n   bad indent: x\n' } }));
    expect(effectiveLimits(c, '300300@hertie-school.lan', DS01_NOW).exemptFrom).toEqual([]);
    expect(c.warnings).toHaveLength(1);
  });
});

describe('effectiveLimits: legacy aliases, null and never', () => {
  const at = (text: string, user = 'u'): EffectiveLimits => effectiveLimits(parseOk(inline(text)), user, DS01_NOW);

  it('legacy quota and slot keys are read when the canonical key is absent', () => {
    expect(at('defaults:\n  max_gpu_slots: 3\n  max_gpus_per_container: 2\n')).toMatchObject({ maxGpuEquivalents: 3, maxGpuSlotsPerContainer: 2 });
    expect(at('defaults:\n  max_gpus_per_user: 5\n  max_mig_per_container: 4\n')).toMatchObject({ maxGpuEquivalents: 5, maxGpuSlotsPerContainer: 4 });
    expect(at('defaults:\n  max_mig_instances: 6\n')).toMatchObject({ maxGpuEquivalents: 6 });
  });

  it('the canonical key wins over an alias, and aliases go in DS01\'s order', () => {
    expect(at('defaults:\n  max_gpu_equivalents: 1.5\n  max_mig_instances: 6\n').maxGpuEquivalents).toBe(1.5);
    expect(at('defaults:\n  max_gpus_per_user: 2\n  max_mig_instances: 6\n').maxGpuEquivalents).toBe(2);
    expect(at('defaults:\n  max_gpu_slots_per_container: 1\n  max_gpus_per_container: 3\n').maxGpuSlotsPerContainer).toBe(1);
  });

  it('as in DS01, a group alias is shadowed by the canonical key of defaults (and the loader warns)', () => {
    const text = 'defaults:\n  max_gpu_equivalents: 1.0\ngroups:\n  student:\n    max_mig_instances: 4\n';
    expect(at(text).maxGpuEquivalents).toBe(1);
  });

  it('an alias set to null still means unlimited', () => {
    expect(at('defaults:\n  max_mig_instances: null\n  max_mig_per_container: null\n')).toMatchObject({ maxGpuEquivalents: null, maxGpuSlotsPerContainer: null });
  });

  it('absent GPU keys fall back to DS01\'s 1.0 quota, 1 slot, no full GPU, 3 containers; absent durations are no limit', () => {
    expect(at('groups:\n  student: {}\n')).toMatchObject({
      group: 'student',
      maxGpuEquivalents: 1,
      maxGpuSlotsPerContainer: 1,
      allowFullGpu: false,
      maxContainersPerUser: 3,
      maxRuntimeH: null,
      idleTimeoutH: null,
      gpuHoldAfterStopH: null,
      containerHoldAfterStopH: null,
      aggregate: null,
      policies: DS01_GLOBAL_POLICIES,
    });
  });

  it('null / "never" / "indefinite" / "None" durations are no limit; null counts are unlimited', () => {
    const l = at('defaults:\n  max_runtime_h: never\n  idle_timeout_h: None\n  gpu_hold_after_stop_h: indefinite\n  container_hold_after_stop_h: null\n  max_containers_per_user: null\n');
    expect(l).toMatchObject({ maxRuntimeH: null, idleTimeoutH: null, gpuHoldAfterStopH: null, containerHoldAfterStopH: null, maxContainersPerUser: null });
  });

  it('a group value of null overrides a number in defaults', () => {
    expect(at('defaults:\n  max_runtime_h: 24\ngroups:\n  student:\n    max_runtime_h: null\n').maxRuntimeH).toBeNull();
  });
});

describe('effectiveLimits: aggregate and policies layering', () => {
  const base = 'defaults:\n  max_gpu_equivalents: 4\ndefault_group: student\n';

  it('aggregate.gpu_limit caps the quota (min of both; null = unlimited)', () => {
    const at = (text: string) => effectiveLimits(parseOk(inline(base + text)), 'u', DS01_NOW).maxGpuEquivalents;
    expect(at('groups:\n  student:\n    aggregate:\n      gpu_limit: 2\n')).toBe(2);
    expect(at('groups:\n  student:\n    max_gpu_equivalents: 1\n    aggregate:\n      gpu_limit: 2\n')).toBe(1);
    expect(at('groups:\n  student:\n    max_gpu_equivalents: null\n    aggregate:\n      gpu_limit: 3\n')).toBe(3);
    expect(at('groups:\n  student:\n    aggregate:\n      gpu_limit: null\n')).toBe(4);
    expect(at('groups:\n  student:\n    aggregate:\n      memory_max: 8g\n')).toBe(4);
  });

  it('an override\'s aggregate replaces the group\'s; an explicit null override aggregate means none', () => {
    const groups = 'groups:\n  student:\n    aggregate:\n      gpu_limit: 2\n      tasks_max: 100\n';
    const withOverride = (o: string) => effectiveLimits(parseOk(inline(`${base}${groups}user_overrides:\n  u:\n${o}`)), 'u', DS01_NOW);
    expect(withOverride('    aggregate:\n      gpu_limit: 3\n').aggregate).toEqual({ cpuQuotaPct: null, memoryMaxBytes: null, memoryHighBytes: null, tasksMax: null, gpuLimit: 3 });
    expect(withOverride('    aggregate: null\n')).toMatchObject({ aggregate: null, maxGpuEquivalents: 4 });
    expect(withOverride('    max_runtime_h: 1\n').aggregate?.tasksMax).toBe(100);
  });

  it('policies: global → group → override, where override policies replace the group\'s', () => {
    const text = `${base}policies:\n  gpu_idle_threshold: 7\n  grace_period_m: 10\ngroups:\n  student:\n    policies:\n      gpu_idle_threshold: 9\n      idle_detection_window: 5\nuser_overrides:\n  o:\n    policies:\n      grace_period_m: 99\n`;
    const c = parseOk(inline(text));
    expect(effectiveLimits(c, 'u', DS01_NOW).policies).toMatchObject({ gpuIdleThresholdPct: 9, idleDetectionWindow: 5, gracePeriodM: 10 });
    expect(effectiveLimits(c, 'o', DS01_NOW).policies).toMatchObject({ gpuIdleThresholdPct: 7, idleDetectionWindow: 3, gracePeriodM: 99 });
  });

  it('a null policy duration is kept as no limit', () => {
    const c = parseOk(inline(`${base}groups:\n  student: {}\npolicies:\n  created_container_timeout_m: null\n  sigterm_grace_s: never\n`));
    expect(effectiveLimits(c, 'u', DS01_NOW).policies).toMatchObject({ createdContainerTimeoutM: null, sigtermGraceS: null });
  });

  it('is pure: the same inputs give the same answer and the config is not changed', () => {
    const c = parseOk(ds01Sources());
    const before = JSON.stringify([...c.userOverrides.values()]);
    expect(effectiveLimits(c, 'a.researcher@hertie-school.lan', DS01_NOW)).toEqual(effectiveLimits(c, 'a.researcher@hertie-school.lan', DS01_NOW));
    expect(JSON.stringify([...c.userOverrides.values()])).toBe(before);
  });
});
