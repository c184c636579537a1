import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from './config-error.ts';

describe('formatProblem', () => {
  it('file:line: path: message', () => {
    expect(formatProblem({ file: 'gpuwarden.yaml', line: 7, path: 'hosts.ds01.tokn_sha256', message: 'unknown key' })).toBe(
      'gpuwarden.yaml:7: hosts.ds01.tokn_sha256: unknown key',
    );
  });

  it('leaves out an unknown line and an empty path', () => {
    expect(formatProblem({ file: 'g.yaml', line: null, path: 'store', message: 'm' })).toBe('g.yaml: store: m');
    expect(formatProblem({ file: 'g.yaml', line: 3, path: '', message: 'm' })).toBe('g.yaml:3: m');
  });
});

describe('ConfigError', () => {
  it('lists every problem, one per line, and keeps them as data', () => {
    const problems = [
      { file: 'g.yaml', line: 2, path: 'a', message: 'x' },
      { file: 'g.yaml', line: 5, path: 'b', message: 'y' },
    ];
    const err = new ConfigError(problems);
    expect(err.message).toBe('g.yaml:2: a: x\ng.yaml:5: b: y');
    expect(err.problems).toEqual(problems);
    expect(err.name).toBe('ConfigError');
    expect(err).toBeInstanceOf(Error);
  });
});
