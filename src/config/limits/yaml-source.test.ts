import { describe, expect, it } from 'vitest';
import { formatProblem } from './config-problem.ts';
import { lineOf, parseYamlSource } from './yaml-source.ts';

const TEXT = `# comment
defaults:
  max_runtime_h: 24
  memory: 32g
groups:
  student:
    members:
      - alice
      - bob
    aggregate:
      gpu_limit: 2.0
  admin:
empty_map: {}
`;

describe('parseYamlSource', () => {
  it('parses to plain data and keeps every key with its line and kind', () => {
    const src = parseYamlSource('f.yaml', TEXT);
    expect(src.ok).toBe(true);
    expect(src.problems).toEqual([]);
    expect(src.value).toEqual({
      defaults: { max_runtime_h: 24, memory: '32g' },
      groups: { student: { members: ['alice', 'bob'], aggregate: { gpu_limit: 2 } }, admin: null },
      empty_map: {},
    });
    const entry = (path: (string | number)[]) => src.entries.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
    expect(entry(['defaults'])).toEqual({ path: ['defaults'], line: 2, kind: 'map' });
    expect(entry(['defaults', 'memory'])).toEqual({ path: ['defaults', 'memory'], line: 4, kind: 'scalar' });
    expect(entry(['groups', 'student', 'members'])?.kind).toBe('seq');
    expect(entry(['groups', 'student', 'members', 1])).toEqual({ path: ['groups', 'student', 'members', 1], line: 9, kind: 'scalar' });
    expect(entry(['groups', 'admin'])).toEqual({ path: ['groups', 'admin'], line: 12, kind: 'null' });
    expect(entry(['empty_map'])?.kind).toBe('null');
  });

  it('reads YAML 1.1 like PyYAML: yes/on are booleans, merge keys merge', () => {
    const src = parseYamlSource('f.yaml', 'a: yes\nb: off\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n');
    expect(src.value).toEqual({ a: true, b: false, base: { x: 1 }, c: { x: 1, y: 2 } });
    expect(src.entries.some((e) => e.path.some((seg) => String(seg).includes('<<')))).toBe(false);
  });

  it('but, as in PyYAML (not the YAML 1.1 spec), a bare y / n stays text', () => {
    expect(parseYamlSource('f.yaml', 'y: 1\nn: 2\nanswer: n\nok: Y\n').value).toEqual({ y: 1, n: 2, answer: 'n', ok: 'Y' });
    expect(parseYamlSource('f.yaml', 'a: YES\nb: No\nc: TRUE\n').value).toEqual({ a: true, b: false, c: true });
  });

  it('YAML 1.2 mode keeps timestamps as text', () => {
    expect(parseYamlSource('f.yaml', 'at: 2026-06-30T23:59:59Z\n', '1.2').value).toEqual({ at: '2026-06-30T23:59:59Z' });
    expect(parseYamlSource('f.yaml', 'at: 2026-06-30T23:59:59Z\n').value).toEqual({ at: new Date('2026-06-30T23:59:59Z') });
  });

  it('reports a duplicate key with both lines, at every depth', () => {
    const src = parseYamlSource('f.yaml', 'defaults:\n  a: 1\n  b: 2\n  a: 3\ngroups:\n  s: {}\n  s: {}\n');
    expect(src.problems.map(formatProblem)).toEqual([
      'f.yaml:4: defaults.a: duplicate key (first defined on line 2)',
      'f.yaml:7: groups.s: duplicate key (first defined on line 6)',
    ]);
    expect(src.problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('turns syntax errors into problems with a line and never throws', () => {
    const src = parseYamlSource('f.yaml', 'a:\n  b: 1\n c: 2\n');
    expect(src.ok).toBe(false);
    expect(src.value).toBeNull();
    expect(src.problems[0]?.line).toBe(3);
    expect(src.problems[0]?.message).toMatch(/^not valid YAML: /);
    expect(parseYamlSource('f.yaml', '\tfoo: 1\n').problems[0]?.message).toBe('not valid YAML: Tabs are not allowed as indentation');
  });

  it('reports an INI file as not YAML', () => {
    const src = parseYamlSource('f.ini', '[defaults]\nmax = 1\n');
    expect(src.problems.map(formatProblem)).toEqual(['f.ini:2: not valid YAML: Unexpected scalar at node end']);
  });

  it('a plain sentence is YAML (a string), an empty file is null', () => {
    expect(parseYamlSource('f', 'just some words\n').value).toBe('just some words');
    expect(parseYamlSource('f', '').value).toBeNull();
    expect(parseYamlSource('f', '# only a comment\n').ok).toBe(true);
  });

  it('follows anchors and merge keys, so shared settings are listed under every user of them', () => {
    const text = 'base: &b\n  memory: 8g\n  max_cpus: 4\nstudent:\n  <<: *b\n  max_cpus: 8\nresearcher: *b\n';
    const src = parseYamlSource('f.yaml', text);
    expect(src.problems).toEqual([]);
    const lines = Object.fromEntries(src.entries.map((e) => [e.path.join('.'), e.line]));
    expect(lines).toMatchObject({ 'student.max_cpus': 6, 'student.memory': 2, 'researcher.memory': 2, 'researcher.max_cpus': 3 });
    expect(src.entries.filter((e) => e.path.join('.') === 'student.max_cpus')).toHaveLength(1);
    expect(lineOf(src, ['student', 'memory'])).toBe(2);
    expect(lineOf(src, ['student', 'max_cpus'])).toBe(6);
  });

  it('a merge of several maps: the first source wins, like PyYAML', () => {
    const src = parseYamlSource('f.yaml', 'a: &a {x: 1}\nb: &b {x: 2, y: 3}\nc:\n  <<: [*a, *b]\n');
    expect(src.value).toMatchObject({ c: { x: 1, y: 3 } });
    expect(src.entries.filter((e) => e.path[0] === 'c').map((e) => [e.path.join('.'), e.line])).toEqual([
      ['c', 3],
      ['c.x', 1],
      ['c.y', 2],
    ]);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const src = parseYamlSource('bomb.yaml', `${bomb}\n`);
    expect(src.ok).toBe(false);
    expect(src.problems[0]?.message).toMatch(/^cannot be read as data: /);
  });
});

describe('lineOf', () => {
  const src = parseYamlSource('f.yaml', TEXT);

  it('gives the line of a key, a list item, or a nested key', () => {
    expect(lineOf(src, ['defaults'])).toBe(2);
    expect(lineOf(src, ['defaults', 'memory'])).toBe(4);
    expect(lineOf(src, ['groups', 'student', 'members', 1])).toBe(9);
    expect(lineOf(src, ['groups', 'student', 'aggregate', 'gpu_limit'])).toBe(11);
  });

  it('falls back to the deepest existing key when the path goes further', () => {
    expect(lineOf(src, ['groups', 'student', 'nope'])).toBe(6);
    expect(lineOf(src, ['defaults', 'memory', 'deeper'])).toBe(4);
    expect(lineOf(src, ['groups', 'student', 'members', 9])).toBe(7);
  });

  it('uses the last of duplicate keys (the one the data holds)', () => {
    const dup = parseYamlSource('d.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(lineOf(dup, ['a'])).toBe(3);
  });

  it('the root is line 1 (the first node)', () => {
    expect(lineOf(parseYamlSource('r.yaml', 'a: 1\n'), [])).toBe(1);
  });
});
