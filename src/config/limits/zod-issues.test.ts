import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { formatProblem } from './config-problem.ts';
import { resourceLimitsSchema, userOverridesFileSchema } from './schema.ts';
import { parseYamlSource } from './yaml-source.ts';
import { expectsMapping, issuesToProblems, knownKeysAt, schemaAt } from './zod-issues.ts';

function check(text: string, schema: z.ZodType = resourceLimitsSchema, prefix: string[] = []): string[] {
  const src = parseYamlSource('r.yaml', text);
  const r = schema.safeParse(src.value);
  return r.success ? [] : issuesToProblems(r.error.issues, { src, schema, prefix }).map(formatProblem);
}

describe('schema introspection', () => {
  it('knows the keys of every strict section', () => {
    expect(knownKeysAt(resourceLimitsSchema, [])).toContain('container_types');
    expect(knownKeysAt(resourceLimitsSchema, ['groups', 'anything'])).toEqual(expect.arrayContaining(['members', 'aggregate', 'policies', 'max_gpu_equivalents']));
    expect(knownKeysAt(resourceLimitsSchema, ['groups', 'x', 'aggregate'])).toEqual(['cpu_quota', 'memory_max', 'memory_high', 'tasks_max', 'gpu_limit']);
    expect(knownKeysAt(resourceLimitsSchema, ['access_control', 'wrapper'])).toEqual(['enforcement_mode', 'debug_level', 'unknown_commands']);
    expect(knownKeysAt(resourceLimitsSchema, ['defaults', 'memory'])).toEqual([]);
  });

  it('tells mappings from values, and leaves the schema for unknown paths', () => {
    expect(expectsMapping(resourceLimitsSchema, ['groups'])).toBe(true);
    expect(expectsMapping(resourceLimitsSchema, ['groups', 'admin'])).toBe(true);
    expect(expectsMapping(resourceLimitsSchema, ['user_overrides', 'u'])).toBe(true);
    expect(expectsMapping(resourceLimitsSchema, ['defaults', 'max_tasks'])).toBe(false);
    expect(expectsMapping(resourceLimitsSchema, ['gpu_allocation'])).toBe(true);
    expect(schemaAt(resourceLimitsSchema, ['nope'])).toBeNull();
    expect(schemaAt(resourceLimitsSchema, ['defaults', 'memory', 'deeper'])).toBeNull();
  });
});

describe('issuesToProblems', () => {
  it('names an unknown key with its line and the key meant, at any depth', () => {
    const text = 'groups:\n  student:\n    aggregate:\n      gpu_limt: 2\n    policies:\n      gpu_idle_treshold: 5\n';
    expect(check(text)).toEqual([
      'r.yaml:4: groups.student.aggregate.gpu_limt: unknown key (did you mean gpu_limit?)',
      'r.yaml:6: groups.student.policies.gpu_idle_treshold: unknown key (did you mean gpu_idle_threshold?)',
    ]);
  });

  it('reports each unknown key of one mapping on its own line, with or without a suggestion', () => {
    expect(check('defaults:\n  colour: red\n  memroy: 32g\n')).toEqual([
      'r.yaml:2: defaults.colour: unknown key',
      'r.yaml:3: defaults.memroy: unknown key (did you mean memory?)',
    ]);
  });

  it('catches unknown top-level sections and container types', () => {
    expect(check('advanced:\n  x: 1\ncontainer_types:\n  devcontainers:\n    idle_timeout_h: null\n')).toEqual([
      'r.yaml:1: advanced: unknown key',
      'r.yaml:4: container_types.devcontainers: unknown key (did you mean devcontainer?)',
    ]);
  });

  it('says what a section should be when it is the wrong shape', () => {
    expect(check('groups: [student, researcher]\nmonitoring: ds01\n')).toEqual([
      'r.yaml:1: groups: expected a mapping, got a list',
      'r.yaml:2: monitoring: expected a mapping, got "ds01"',
    ]);
    expect(check('groups:\n  student: 3\n')).toEqual(['r.yaml:2: groups.student: expected a mapping, got 3']);
  });

  it('passes our own value messages through with the key path and line', () => {
    expect(check('defaults:\n  max_runtime_h: "a day"\n')).toEqual([
      'r.yaml:2: defaults.max_runtime_h: expected a number of hours (the unit is the key\'s _h suffix) or null/"never" for no limit, got "a day"',
    ]);
    expect(check('access_control:\n  wrapper:\n    enforcement_mode: ful\n')).toEqual([
      'r.yaml:3: access_control.wrapper.enforcement_mode: expected one of disabled, monitoring, full, got "ful" (did you mean full?)',
    ]);
  });

  it('explains a bad record key (mig_gpus index)', () => {
    expect(check('gpu_allocation:\n  mig_gpus:\n    first: {enable: true}\n')).toEqual([
      'r.yaml:3: gpu_allocation.mig_gpus.first: a mig_gpus key must be a GPU index (0, 1, ...)',
    ]);
  });

  it('prefixes paths of user-overrides.yaml with user_overrides and quotes odd names', () => {
    const text = 'h.baker@hertie-school.lan:\n  idle_timeout: null\n';
    expect(check(text, userOverridesFileSchema, ['user_overrides'])).toEqual([
      'r.yaml:2: user_overrides["h.baker@hertie-school.lan"].idle_timeout: unknown key (did you mean idle_timeout_h?)',
    ]);
  });

  it('can report as warnings', () => {
    const src = parseYamlSource('w.yaml', 'defaults:\n  x: 1\n');
    const r = resourceLimitsSchema.safeParse(src.value);
    expect(r.success).toBe(false);
    const problems = r.success ? [] : issuesToProblems(r.error.issues, { src, schema: resourceLimitsSchema, severity: 'warning' });
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
  });
});
