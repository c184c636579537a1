import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from './config-problem.ts';
import { parseGroupOverridesText, parseMembersText } from './side-files.ts';

describe('parseMembersText (groups/<group>.members)', () => {
  it('one user per line; comments, trailing comments and blank lines dropped; lines kept', () => {
    const text = '# header\n\nalice@x.lan   # Alice\n  bob  \n#carol\ndave#inline\n';
    expect(parseMembersText('g/r.members', text)).toEqual([
      { user: 'alice@x.lan', file: 'g/r.members', line: 3 },
      { user: 'bob', file: 'g/r.members', line: 4 },
      { user: 'dave', file: 'g/r.members', line: 6 },
    ]);
  });

  it('handles CRLF files and an empty file', () => {
    expect(parseMembersText('f', 'a\r\nb\r\n').map((u) => u.user)).toEqual(['a', 'b']);
    expect(parseMembersText('f', '')).toEqual([]);
    expect(parseMembersText('f', '# nothing\n')).toEqual([]);
  });

  it('reads the DS01 fixture member files', () => {
    const users = parseMembersText('r', readFileSync('test/fixtures/config/ds01/groups/researcher.members', 'utf8')).map((u) => u.user);
    expect(users).toEqual(['h.baker@hertie-school.lan', 'a.researcher@hertie-school.lan', 'q.postdoc@hertie-school.lan']);
  });
});

describe('parseGroupOverridesText (group-overrides.txt)', () => {
  it('reads user:group lines with comments', () => {
    const r = parseGroupOverridesText('go.txt', '# forced groups\n204214@x.lan:researcher  # PhD\n\nw.lowe@x.lan : faculty\n');
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      { user: '204214@x.lan', group: 'researcher', file: 'go.txt', line: 2 },
      { user: 'w.lowe@x.lan', group: 'faculty', file: 'go.txt', line: 4 },
    ]);
  });

  it('a malformed line is an error with its line; the good lines still count', () => {
    const r = parseGroupOverridesText('go.txt', 'alice researcher\nbob:\n:faculty\ncarol:student\nd ave:x\n');
    expect(r.problems.map(formatProblem)).toEqual([
      'go.txt:1: expected a "user:group" line, got "alice researcher"',
      'go.txt:2: expected a "user:group" line, got "bob:"',
      'go.txt:3: expected a "user:group" line, got ":faculty"',
      'go.txt:5: expected a "user:group" line, got "d ave:x"',
    ]);
    expect(r.problems.every((p) => p.severity === 'error')).toBe(true);
    expect(r.entries.map((e) => e.user)).toEqual(['carol']);
  });

  it('a user named twice keeps the last line, with a warning', () => {
    const r = parseGroupOverridesText('go.txt', 'alice:student\nalice:researcher\n');
    expect(r.entries).toEqual([{ user: 'alice', group: 'researcher', file: 'go.txt', line: 2 }]);
    expect(r.problems.map(formatProblem)).toEqual(['go.txt:2: alice is already assigned to student on line 1; this later line (researcher) wins']);
    expect(r.problems[0]?.severity).toBe('warning');
  });

  it('splits on the last colon', () => {
    expect(parseGroupOverridesText('f', 'ops:1:admin\n').entries[0]).toMatchObject({ user: 'ops:1', group: 'admin' });
  });
});
