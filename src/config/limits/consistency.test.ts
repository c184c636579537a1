import { describe, expect, it } from 'vitest';
import { formatProblem } from './config-problem.ts';
import { multiGroupMembers, shadowedAliases, type BlockAt } from './consistency.ts';
import { QUOTA_KEYS, SLOT_KEYS } from './ds01-defaults.ts';
import type { LimitsBlock } from './schema.ts';
import { parseYamlSource } from './yaml-source.ts';

const TEXT = `defaults:
  max_gpu_equivalents: 1
  max_gpus_per_container: 2
groups:
  a:
    max_gpu_slots: 2
    max_mig_instances: 3
  b:
    max_gpu_slots_per_container: 4
  c:
    max_mig_per_container: 5
`;
const src = parseYamlSource('r.yaml', TEXT);
const defaults: Partial<LimitsBlock> = { max_gpu_equivalents: 1, max_gpus_per_container: 2 };
const at = (path: string[], block: Partial<LimitsBlock>): BlockAt => ({ src, path, block });

describe('shadowedAliases', () => {
  const findings = shadowedAliases(
    defaults,
    [
      at(['groups', 'a'], { max_gpu_slots: 2, max_mig_instances: 3 }),
      at(['groups', 'b'], { max_gpu_slots_per_container: 4 }),
      at(['groups', 'c'], { max_mig_per_container: 5 }),
    ],
    at(['defaults'], defaults),
  );

  it('flags every alias DS01 never gets to read, with its line', () => {
    expect(findings.problems.map((p) => `${p.line} ${p.keyPath}`)).toEqual([
      '6 groups.a.max_gpu_slots',
      '7 groups.a.max_mig_instances',
      '11 groups.c.max_mig_per_container',
    ]);
    expect(findings.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(findings.ignoredKeys).toEqual([
      { file: 'r.yaml', keyPath: 'groups.a.max_gpu_slots' },
      { file: 'r.yaml', keyPath: 'groups.a.max_mig_instances' },
      { file: 'r.yaml', keyPath: 'groups.c.max_mig_per_container' },
    ]);
  });

  it('explains which key wins and where it is set', () => {
    const third = findings.problems[2];
    expect(third === undefined ? '' : formatProblem(third)).toBe(
      'r.yaml:11: groups.c.max_mig_per_container: legacy alias has no effect: max_gpus_per_container in defaults is read first ' +
        '(DS01 reads max_gpu_slots_per_container, max_gpus_per_container, max_mig_per_container in that order); rename it to max_gpu_slots_per_container',
    );
  });

  it('the alias read first in defaults (max_gpus_per_container) is not flagged', () => {
    expect(findings.problems.some((p) => p.keyPath === 'defaults.max_gpus_per_container')).toBe(false);
  });

  it('in defaults, an alias is only shadowed by defaults itself', () => {
    const only = shadowedAliases({ max_mig_instances: 2 }, [], at(['defaults'], { max_mig_instances: 2 }));
    expect(only.problems).toEqual([]);
    const both = shadowedAliases({}, [], at(['defaults'], { max_gpus_per_user: 1, max_mig_instances: 2 }));
    expect(both.problems.map((p) => p.keyPath)).toEqual(['defaults.max_mig_instances']);
  });

  it('uses the display prefix for blocks of user-overrides.yaml', () => {
    const uo = parseYamlSource('uo.yaml', 'alice:\n  max_mig_instances: 4\n');
    const f = shadowedAliases(defaults, [{ src: uo, path: ['alice'], prefix: ['user_overrides'], block: { max_mig_instances: 4 } }], at(['defaults'], defaults));
    expect(f.problems.map(formatProblem)).toEqual([expect.stringMatching(/^uo\.yaml:2: user_overrides\.alice\.max_mig_instances: legacy alias has no effect/)]);
  });

  it('the alias families are DS01\'s read order, canonical first', () => {
    expect(QUOTA_KEYS[0]).toBe('max_gpu_equivalents');
    expect(SLOT_KEYS).toEqual(['max_gpu_slots_per_container', 'max_gpus_per_container', 'max_mig_per_container']);
  });
});

describe('multiGroupMembers', () => {
  it('warns at each later listing; the first group wins', () => {
    const members = new Map([
      ['student', [{ user: 'x', file: 's.members', line: 1 }]],
      ['researcher', [{ user: 'x', file: 'r.members', line: 4 }, { user: 'y', file: 'r.members', line: 5 }]],
      ['faculty', [{ user: 'x', file: 'f.members', line: 2 }]],
    ]);
    expect(multiGroupMembers(members).map(formatProblem)).toEqual([
      'r.members:4: x is listed in both student and researcher; DS01 uses the first in resource-limits.yaml order (student)',
      'f.members:2: x is listed in both student and faculty; DS01 uses the first in resource-limits.yaml order (student)',
    ]);
  });

  it('no warning when every user is in one group', () => {
    expect(multiGroupMembers(new Map([['a', [{ user: 'x', file: 'f', line: 1 }]], ['b', []]]))).toEqual([]);
  });
});
