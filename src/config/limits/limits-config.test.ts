import { describe, expect, it } from 'vitest';
import { parseLimits } from './limits-config.ts';
import { ds01Sources, inline, parseOk, problemsOf } from './test-support.ts';

const GROUPS = `defaults:
  max_gpu_equivalents: 1.0
default_group: student
groups:
  student:
    max_gpu_equivalents: 2.0
    members: [inline.student]
  researcher:
    max_gpu_equivalents: 4.0
`;

describe('parseLimits on the DS01 folder', () => {
  const r = parseLimits(ds01Sources());

  it('loads with no errors and no warnings', () => {
    expect(r.problems).toEqual([]);
    expect(r.config).not.toBeNull();
  });

  const c = parseOk(ds01Sources());

  it('keeps groups in file order, with member files merged', () => {
    expect([...c.groups.keys()]).toEqual(['student', 'researcher', 'faculty', 'admin']);
    expect(c.members.get('researcher')?.map((m) => m.user)).toEqual([
      'h.baker@hertie-school.lan',
      'a.researcher@hertie-school.lan',
      'q.postdoc@hertie-school.lan',
    ]);
    expect(c.members.get('admin')?.[0]).toEqual({ user: 'datasciencelab', file: 'test/fixtures/config/ds01/groups/admin.members', line: 2 });
    expect(c.defaultGroup).toBe('student');
  });

  it('treats archived.members as DS01 does: not a group, not an error', () => {
    expect(c.archivedUsers).toEqual(['100001@hertie-school.lan']);
    expect(c.groups.has('archived')).toBe(false);
  });

  it('reads user overrides from the file, group overrides and exemptions', () => {
    expect([...c.userOverrides.keys()]).toEqual(['300300@hertie-school.lan', 'a.researcher@hertie-school.lan']);
    expect(c.userOverrides.get('a.researcher@hertie-school.lan')).toMatchObject({
      block: { max_runtime_h: 96, max_gpu_equivalents: 3 },
      file: 'test/fixtures/config/ds01/user-overrides.yaml',
      line: 10,
    });
    expect(c.groupOverrides).toEqual([{ user: '400400@hertie-school.lan', group: 'researcher', file: 'test/fixtures/config/ds01/group-overrides.txt', line: 2 }]);
    expect(c.exemptions).toHaveLength(3);
  });

  it('records every leaf key with its line, in both YAML files', () => {
    const at = (k: string) => c.presentKeys.find((p) => p.keyPath === k);
    expect(at('defaults.max_cpus')).toMatchObject({ line: 50, file: 'test/fixtures/config/ds01/resource-limits.yaml' });
    expect(at('groups.student.aggregate.cpu_quota')?.line).toBe(93);
    expect(at('monitoring.infrastructure_containers')?.line).toBe(283);
    expect(at('user_overrides["a.researcher@hertie-school.lan"].max_runtime_h')).toMatchObject({ line: 11, file: 'test/fixtures/config/ds01/user-overrides.yaml' });
    expect(at('gpu_allocation')).toBeUndefined(); // present but all commented out: nothing set
    expect(at('groups.student')).toBeUndefined(); // a mapping, reported through its keys
  });
});

describe('side files and cross-checks', () => {
  it('merges member files and inline members, file first, without duplicates', () => {
    const c = parseOk(inline(GROUPS, { memberFiles: [{ group: 'student', file: 'groups/student.members', text: 'a\ninline.student\nb\n' }] }));
    expect(c.members.get('student')?.map((m) => [m.user, m.file, m.line])).toEqual([
      ['a', 'groups/student.members', 1],
      ['inline.student', 'groups/student.members', 2],
      ['b', 'groups/student.members', 3],
    ]);
    expect(c.members.get('researcher')).toEqual([]);
  });

  it('a member file of an undefined group is an error (with a suggestion), an empty one is not', () => {
    expect(problemsOf(inline(GROUPS, { memberFiles: [{ group: 'researchers', file: 'groups/researchers.members', text: '# x\nalice\n' }] }))).toEqual([
      'error: groups/researchers.members:2: group "researchers" is not defined under groups in resource-limits.yaml (did you mean researcher?); its members would be ignored',
    ]);
    expect(problemsOf(inline(GROUPS, { memberFiles: [{ group: 'phd', file: 'groups/phd.members', text: 'alice\n' }] }))).toEqual([
      'error: groups/phd.members:1: group "phd" is not defined under groups in resource-limits.yaml (groups: student, researcher); its members would be ignored',
    ]);
    expect(problemsOf(inline(GROUPS, { memberFiles: [{ group: 'phd', file: 'groups/phd.members', text: '# empty\n' }] }))).toEqual([]);
  });

  it('a group-overrides line naming an undefined group is an error', () => {
    expect(problemsOf(inline(GROUPS, { groupOverrides: { file: 'group-overrides.txt', text: 'alice:researcher\nbob:facutly\n' } }))).toEqual([
      'error: group-overrides.txt:2: bob: group "facutly" is not defined under groups in resource-limits.yaml (groups: student, researcher)',
    ]);
  });

  it('default_group must name a group; absent, it is DS01\'s student', () => {
    expect(problemsOf(inline('default_group: admin\ngroups:\n  student: {}\n'))).toEqual([
      'error: resource-limits.yaml:1: default_group: group "admin" is not defined under groups in resource-limits.yaml (groups: student)',
    ]);
    expect(parseOk(inline('groups:\n  researcher: {}\n')).defaultGroup).toBe('student');
  });

  it('"override" is reserved as a group name', () => {
    expect(problemsOf(inline('groups:\n  student: {}\n  override: {}\n'))).toEqual([
      'error: resource-limits.yaml:3: groups.override: "override" cannot be a group name: DS01 uses it as the group of users with a user override',
    ]);
  });

  it('warns about a user listed in two groups (the first in file order wins)', () => {
    const c = parseLimits(inline(GROUPS.replace('max_gpu_equivalents: 4.0', 'max_gpu_equivalents: 4.0\n    members: [inline.student]')));
    expect(c.problems.map((p) => p.message)).toEqual(['inline.student is listed in both student and researcher; DS01 uses the first in resource-limits.yaml order (student)']);
    expect(c.config?.warnings).toHaveLength(1);
  });

  it('user-overrides.yaml replaces an inline entry of the same user, with a warning; others merge', () => {
    const text = `${GROUPS}user_overrides:\n  alice:\n    max_runtime_h: 10\n  bob:\n    max_runtime_h: 20\n`;
    const r = parseLimits(inline(text, { userOverrides: { file: 'user-overrides.yaml', text: 'alice:\n  max_runtime_h: 30\n' } }));
    expect(r.problems.map((p) => `${p.severity}: ${p.file}:${p.line}: ${p.keyPath}: ${p.message}`)).toEqual([
      'warning: resource-limits.yaml:11: user_overrides.alice: replaced by the entry in user-overrides.yaml (the file wins); these inline settings have no effect',
    ]);
    expect(r.config?.userOverrides.get('alice')).toMatchObject({ block: { max_runtime_h: 30 }, file: 'user-overrides.yaml', line: 1 });
    expect(r.config?.userOverrides.get('bob')?.block).toEqual({ max_runtime_h: 20 });
    expect(r.config?.ignoredKeys).toEqual([{ file: 'resource-limits.yaml', keyPath: 'user_overrides.alice' }]);
  });

  it('user-overrides.yaml errors name the file, the line and user_overrides.<user>', () => {
    expect(problemsOf(inline(GROUPS, { userOverrides: { file: 'user-overrides.yaml', text: '# DS01 README example\n204214@hertie-school.lan:\n  idle_timeout: null\n  max_runtime: null\n' } }))).toEqual([
      'error: user-overrides.yaml:3: user_overrides["204214@hertie-school.lan"].idle_timeout: unknown key (did you mean idle_timeout_h?)',
      'error: user-overrides.yaml:4: user_overrides["204214@hertie-school.lan"].max_runtime: unknown key (did you mean max_runtime_h?)',
    ]);
    expect(problemsOf(inline(GROUPS, { userOverrides: { file: 'user-overrides.yaml', text: '- alice\n' } }))).toEqual([
      'error: user-overrides.yaml:1: expected a YAML mapping of user name → limits, got a list',
    ]);
  });

  it('an empty or all-comment user-overrides.yaml is no overrides', () => {
    expect(parseOk(inline(GROUPS, { userOverrides: { file: 'user-overrides.yaml', text: '# none yet\n' } })).userOverrides.size).toBe(0);
  });

  it('exemption problems are warnings: the config still loads', () => {
    const r = parseLimits(inline(GROUPS, { lifecycleExemptions: { file: 'lifecycle-exemptions.yaml', text: 'exemptions: [oops\n' } }));
    expect(r.config).not.toBeNull();
    expect(r.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(r.config?.exemptions).toEqual([]);
  });
});

describe('legacy aliases that DS01 never reads are flagged', () => {
  it('an alias shadowed by the canonical key in defaults', () => {
    const r = parseLimits(inline('defaults:\n  max_gpu_equivalents: 1.0\ngroups:\n  student:\n    max_mig_instances: 3\n'));
    expect(r.problems.map((p) => `${p.line}: ${p.keyPath}: ${p.message}`)).toEqual([
      '5: groups.student.max_mig_instances: legacy alias has no effect: max_gpu_equivalents in defaults is read first (DS01 reads max_gpu_equivalents, max_gpu_slots, max_gpus_per_user, max_mig_instances in that order); rename it to max_gpu_equivalents',
    ]);
    expect(r.config?.ignoredKeys).toEqual([{ file: 'resource-limits.yaml', keyPath: 'groups.student.max_mig_instances' }]);
  });

  it('an alias beside its canonical key in the same block, per-container family too', () => {
    const r = parseLimits(inline('defaults:\n  max_gpu_slots_per_container: 1\n  max_mig_per_container: 2\n'));
    expect(r.problems.map((p) => p.message)).toEqual([
      'legacy alias has no effect: max_gpu_slots_per_container in the same block is read first (DS01 reads max_gpu_slots_per_container, max_gpus_per_container, max_mig_per_container in that order); rename it to max_gpu_slots_per_container',
    ]);
  });

  it('an alias with nothing above it is fine', () => {
    expect(problemsOf(inline('defaults:\n  max_mig_instances: 2\ngroups:\n  student:\n    max_gpus_per_container: 2\n'))).toEqual([]);
  });

  it('in user-overrides.yaml the path carries the user_overrides prefix', () => {
    const r = parseLimits(inline('defaults:\n  max_gpu_equivalents: 1.0\n', { userOverrides: { file: 'uo.yaml', text: 'alice:\n  max_gpu_slots: 4\n' } }));
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.keyPath}`)).toEqual(['uo.yaml:2: user_overrides.alice.max_gpu_slots']);
    expect(r.config?.ignoredKeys).toEqual([{ file: 'uo.yaml', keyPath: 'user_overrides.alice.max_gpu_slots' }]);
  });
});

describe('the main file itself', () => {
  it('must be a mapping', () => {
    expect(problemsOf(inline(''))).toEqual(['error: resource-limits.yaml:1: expected a YAML mapping of settings (defaults, groups, policies, ...), got an empty file']);
    expect(problemsOf(inline('#!/bin/sh\necho hi\n'))).toEqual([
      'error: resource-limits.yaml:1: expected a YAML mapping of settings (defaults, groups, policies, ...), got "echo hi"',
    ]);
  });

  it('lists every problem at once, sorted by file and line', () => {
    const text = 'defaults:\n  memory: lots\n  max_runtime_h: forever\ngroups:\n  student:\n    colour: blue\n';
    expect(problemsOf(inline(text, { groupOverrides: { file: 'go.txt', text: 'nonsense\n' } }))).toEqual([
      'error: resource-limits.yaml:2: defaults.memory: expected a size such as 32g, 96G or 512M (units k, m, g, t; 1024-based) or null, got "lots"',
      'error: resource-limits.yaml:3: defaults.max_runtime_h: expected a number of hours (the unit is the key\'s _h suffix) or null/"never" for no limit, got "forever"',
      'error: resource-limits.yaml:6: groups.student.colour: unknown key',
      'error: go.txt:1: expected a "user:group" line, got "nonsense"',
    ]);
  });
});
