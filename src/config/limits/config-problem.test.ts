import { describe, expect, it } from 'vitest';
import { ConfigError, formatKeyPath, formatProblem, problem, sortProblems, type ConfigProblem } from './config-problem.ts';

describe('formatKeyPath', () => {
  it('joins plain keys with dots', () => {
    expect(formatKeyPath(['groups', 'student', 'max_gpu_equivalents'])).toBe('groups.student.max_gpu_equivalents');
  });

  it('writes list indexes in brackets', () => {
    expect(formatKeyPath(['exemptions', 0, 'expires_on'])).toBe('exemptions[0].expires_on');
    expect(formatKeyPath(['monitoring', 'infrastructure_containers', 2])).toBe('monitoring.infrastructure_containers[2]');
  });

  it('quotes keys with dots, @ or spaces so the path stays unambiguous', () => {
    expect(formatKeyPath(['user_overrides', 'h.baker@hertie-school.lan', 'max_runtime_h'])).toBe(
      'user_overrides["h.baker@hertie-school.lan"].max_runtime_h',
    );
    expect(formatKeyPath(['a b'])).toBe('["a b"]');
  });

  it('keeps dashes and digits plain, and an empty path is empty', () => {
    expect(formatKeyPath(['gpu_allocation', 'mig_gpus', '0', 'enable'])).toBe('gpu_allocation.mig_gpus.0.enable');
    expect(formatKeyPath(['ds01-admin'])).toBe('ds01-admin');
    expect(formatKeyPath([])).toBe('');
  });
});

describe('formatProblem', () => {
  it('file:line: key: message', () => {
    const p = problem('error', 'resource-limits.yaml', 98, ['groups', 'student', 'max_gpu_equivelants'], 'unknown key (did you mean max_gpu_equivalents?)');
    expect(formatProblem(p)).toBe('resource-limits.yaml:98: groups.student.max_gpu_equivelants: unknown key (did you mean max_gpu_equivalents?)');
  });

  it('leaves out the key path for whole-file problems and the line when unknown', () => {
    expect(formatProblem(problem('error', 'x.yaml', 3, '', 'not valid YAML: oops'))).toBe('x.yaml:3: not valid YAML: oops');
    expect(formatProblem(problem('error', 'x.yaml', null, '', 'cannot be read (EACCES)'))).toBe('x.yaml: cannot be read (EACCES)');
  });

  it('accepts a ready key path string', () => {
    expect(problem('warning', 'g.txt', 2, 'alice', 'm').keyPath).toBe('alice');
    expect(problem('warning', 'g.txt', 2, 'alice', 'm').severity).toBe('warning');
  });
});

describe('ConfigError', () => {
  const err1: ConfigProblem = problem('error', 'a.yaml', 1, ['defaults', 'memory'], 'bad size');
  const err2: ConfigProblem = problem('error', 'a.yaml', 7, ['default_group'], 'undefined group');
  const warn: ConfigProblem = problem('warning', 'b.yaml', 2, '', 'fail open');

  it('has one plain line per error as its message, and keeps every problem', () => {
    const e = new ConfigError([err1, warn, err2]);
    expect(e.message).toBe('a.yaml:1: defaults.memory: bad size\na.yaml:7: default_group: undefined group');
    expect(e.problems).toEqual([err1, warn, err2]);
    expect(e.name).toBe('ConfigError');
    expect(e).toBeInstanceOf(Error);
  });

  it('falls back to the warnings when there is no error', () => {
    expect(new ConfigError([warn]).message).toBe('b.yaml:2: fail open');
  });
});

describe('sortProblems', () => {
  it('groups by file in order of first appearance, then by line, stable otherwise', () => {
    const ps: ConfigProblem[] = [
      problem('error', 'b.yaml', 9, '', 'b9'),
      problem('error', 'a.yaml', 5, '', 'a5'),
      problem('warning', 'b.yaml', 2, '', 'b2'),
      problem('error', 'a.yaml', null, '', 'a-file'),
      problem('error', 'a.yaml', 5, '', 'a5-second'),
    ];
    expect(sortProblems(ps).map((p) => p.message)).toEqual(['b2', 'b9', 'a-file', 'a5', 'a5-second']);
  });

  it('does not change its input', () => {
    const ps = [problem('error', 'x', 2, '', 'two'), problem('error', 'x', 1, '', 'one')];
    sortProblems(ps);
    expect(ps.map((p) => p.message)).toEqual(['two', 'one']);
  });
});
