import { describe, expect, it } from 'vitest';
import { ENFORCED_LIMIT_KEYS, enforcedSettings, enforcementPattern, isEnforced, notEnforced } from './enforced-keys.ts';
import { ds01Sources, inline, parseOk } from './test-support.ts';

const DS01_FILE = 'test/fixtures/config/ds01/resource-limits.yaml';

describe('ENFORCED_LIMIT_KEYS', () => {
  it('is the documented list, without duplicates', () => {
    expect(ENFORCED_LIMIT_KEYS).toHaveLength(23);
    expect(new Set(ENFORCED_LIMIT_KEYS).size).toBe(ENFORCED_LIMIT_KEYS.length);
    expect(ENFORCED_LIMIT_KEYS).toEqual(expect.arrayContaining(['max_gpu_equivalents', 'aggregate.gpu_limit', 'monitoring.*', 'groups.*.members', 'user_overrides']));
  });
});

describe('enforcementPattern', () => {
  it('maps a limits key in any block to the bare key', () => {
    expect(enforcementPattern(['defaults', 'max_runtime_h'])).toBe('max_runtime_h');
    expect(enforcementPattern(['groups', 'student', 'max_cpus'])).toBe('max_cpus');
    expect(enforcementPattern(['user_overrides', 'alice', 'idle_timeout_h'])).toBe('idle_timeout_h');
  });

  it('maps legacy aliases to their canonical key', () => {
    expect(enforcementPattern(['groups', 'x', 'max_mig_instances'])).toBe('max_gpu_equivalents');
    expect(enforcementPattern(['defaults', 'max_gpus_per_container'])).toBe('max_gpu_slots_per_container');
  });

  it('aggregate / policies / container types / monitoring / members', () => {
    expect(enforcementPattern(['groups', 's', 'aggregate', 'gpu_limit'])).toBe('aggregate.gpu_limit');
    expect(enforcementPattern(['user_overrides', 'u', 'policies', 'grace_period_m'])).toBe('policies.grace_period_m');
    expect(enforcementPattern(['policies', 'gpu_idle_threshold'])).toBe('policies.gpu_idle_threshold');
    expect(enforcementPattern(['container_types', 'api', 'max_runtime_h'])).toBe('container_types.*.max_runtime_h');
    expect(enforcementPattern(['monitoring', 'infrastructure_label'])).toBe('monitoring.*');
    expect(enforcementPattern(['groups', 'student', 'members'])).toBe('groups.*.members');
    expect(enforcementPattern(['user_overrides', 'alice'])).toBe('user_overrides');
    expect(enforcementPattern(['access_control', 'wrapper', 'debug_level'])).toBe('access_control.wrapper.debug_level');
  });

  it('isEnforced follows the list', () => {
    expect(isEnforced(['groups', 'researcher', 'max_gpu_equivalents'])).toBe(true);
    expect(isEnforced(['groups', 'researcher', 'max_gpu_slots'])).toBe(true);
    expect(isEnforced(['default_group'])).toBe(true);
    expect(isEnforced(['bare_metal_access', 'exempt_users'])).toBe(true);
    expect(isEnforced(['bare_metal_access', 'state_dir'])).toBe(false);
    expect(isEnforced(['groups', 'student', 'aggregate', 'cpu_quota'])).toBe(false);
    expect(isEnforced(['container_types', 'docker', 'sigterm_grace_s'])).toBe(false);
  });
});

describe('notEnforced on the DS01 folder', () => {
  const list = notEnforced(parseOk(ds01Sources()));
  const find = (k: string) => list.find((n) => n.keyPath === k);

  it('lists defaults.max_cpus and groups.student.aggregate.cpu_quota with file and line', () => {
    expect(find('defaults.max_cpus')).toEqual({ keyPath: 'defaults.max_cpus', setting: 'max_cpus', line: 50, file: DS01_FILE, reason: 'not-enforced' });
    expect(find('groups.student.aggregate.cpu_quota')).toEqual({ keyPath: 'groups.student.aggregate.cpu_quota', setting: 'aggregate.cpu_quota', line: 93, file: DS01_FILE, reason: 'not-enforced' });
    expect(find('defaults.memory')?.line).toBe(51);
    expect(find('groups.researcher.max_cpus')?.line).toBe(111);
    expect(find('policies.keepalive_max_duration_h')?.line).toBe(228);
    expect(find('access_control.wrapper.enforcement_mode')?.line).toBe(312);
  });

  it('excludes every enforced key', () => {
    const keys = list.map((n) => n.keyPath);
    expect(keys.some((k) => k.endsWith('max_gpu_equivalents'))).toBe(false);
    expect(keys.some((k) => k.endsWith('gpu_limit'))).toBe(false);
    expect(keys.some((k) => k.startsWith('monitoring'))).toBe(false);
    expect(keys).not.toContain('default_group');
    expect(keys).not.toContain('defaults.idle_timeout_h');
    expect(keys).not.toContain('policies.gpu_idle_threshold');
    expect(keys).not.toContain('container_types.devcontainer.max_runtime_h');
    expect(keys).not.toContain('bare_metal_access.exempt_users');
    expect(keys).not.toContain('access_control.admin_users');
  });

  it('covers user-overrides.yaml too, in order of the files', () => {
    const c = parseOk(ds01Sources({ userOverrides: { file: 'uo.yaml', text: 'alice:\n  memory: 64g\n  max_runtime_h: 5\n' } }));
    const fromOverrides = notEnforced(c).filter((n) => n.file === 'uo.yaml');
    expect(fromOverrides).toEqual([{ keyPath: 'user_overrides.alice.memory', setting: 'memory', line: 2, file: 'uo.yaml', reason: 'not-enforced' }]);
  });

  it('is 59 keys long (every one a real DS01 setting gpuwarden leaves to DS01)', () => {
    expect(list).toHaveLength(59);
    expect(list.every((n) => n.reason === 'not-enforced')).toBe(true);
  });
});

describe('notEnforced: keys with no effect', () => {
  it('a shadowed legacy alias is listed as having no effect', () => {
    const c = parseOk(inline('defaults:\n  max_gpu_equivalents: 1\ngroups:\n  student:\n    max_mig_instances: 4\n'));
    expect(notEnforced(c)).toEqual([{ keyPath: 'groups.student.max_mig_instances', setting: 'max_gpu_equivalents', line: 5, file: 'resource-limits.yaml', reason: 'no-effect' }]);
  });

  it('an inline override replaced by user-overrides.yaml: each of its keys has no effect', () => {
    const c = parseOk(inline('user_overrides:\n  alice:\n    max_runtime_h: 1\n    memory: 8g\n', { userOverrides: { file: 'uo.yaml', text: 'alice:\n  max_runtime_h: 2\n' } }));
    expect(notEnforced(c).map((n) => [n.keyPath, n.reason])).toEqual([
      ['user_overrides.alice.max_runtime_h', 'no-effect'],
      ['user_overrides.alice.memory', 'no-effect'],
    ]);
  });

  it('settings shared through an anchor are listed for each group that uses them', () => {
    const c = parseOk(inline('groups:\n  student: &common\n    memory: 8g\n    max_runtime_h: 24\n  researcher:\n    <<: *common\n    max_runtime_h: 48\n'));
    expect(notEnforced(c).map((n) => `${n.line} ${n.keyPath}`)).toEqual(['3 groups.student.memory', '3 groups.researcher.memory']);
  });

  it('a config with only enforced keys has nothing to list', () => {
    expect(notEnforced(parseOk(inline('defaults:\n  max_gpu_equivalents: 1\n  max_runtime_h: 24\ndefault_group: s\ngroups:\n  s:\n    members: [a]\n')))).toEqual([]);
  });
});

describe('enforcedSettings', () => {
  it('lists each enforced setting the DS01 files set, once, in file order', () => {
    const settings = enforcedSettings(parseOk(ds01Sources()));
    expect(settings.slice(0, 3)).toEqual(['max_gpu_equivalents', 'max_gpu_slots_per_container', 'max_containers_per_user']);
    expect(new Set(settings).size).toBe(settings.length);
    expect(settings).not.toContain('max_cpus');
  });
});
