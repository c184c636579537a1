import { describe, expect, it } from 'vitest';
import { assignGroup, findOverride, lookupNames } from './group-assignment.ts';
import { ds01Sources, inline, parseOk } from './test-support.ts';

const TWO_GROUPS = `groups:
  student: {}
  researcher: {}
  faculty: {}
default_group: student
`;

describe('lookupNames', () => {
  it('raw name, then DS01\'s sanitised form when it differs', () => {
    expect(lookupNames('h.baker@hertie-school.lan')).toEqual(['h.baker@hertie-school.lan', 'h_baker']);
    expect(lookupNames('alice')).toEqual(['alice']);
    expect(lookupNames('228755@hertie-school.lan')).toEqual(['228755@hertie-school.lan', '228755']);
  });

  it('never looks up an empty sanitised name', () => {
    expect(lookupNames('@domain')).toEqual(['@domain']);
  });
});

describe('assignGroup on the DS01 folder', () => {
  const c = parseOk(ds01Sources());

  it('member lists, the default group, and group-overrides.txt', () => {
    expect(assignGroup(c, 'h.baker@hertie-school.lan')).toEqual({ group: 'researcher', source: 'members' });
    expect(assignGroup(c, 'datasciencelab')).toEqual({ group: 'admin', source: 'members' });
    expect(assignGroup(c, 'p.professor@hertie-school.lan')).toEqual({ group: 'faculty', source: 'members' });
    expect(assignGroup(c, '228755@hertie-school.lan')).toEqual({ group: 'student', source: 'members' });
    expect(assignGroup(c, 'someone.new@hertie-school.lan')).toEqual({ group: 'student', source: 'default_group' });
    expect(assignGroup(c, '400400@hertie-school.lan')).toEqual({ group: 'researcher', source: 'group-overrides' });
  });

  it('an archived user falls back to the default group, as in DS01', () => {
    expect(assignGroup(c, '100001@hertie-school.lan')).toEqual({ group: 'student', source: 'default_group' });
  });
});

describe('assignGroup rules', () => {
  it('a sanitised entry in a member file matches the LDAP login (h_baker ← h.baker@hertie-school.lan)', () => {
    const c = parseOk(inline(TWO_GROUPS, { memberFiles: [{ group: 'faculty', file: 'groups/faculty.members', text: 'h_baker\n' }] }));
    expect(assignGroup(c, 'h.baker@hertie-school.lan')).toEqual({ group: 'faculty', source: 'members' });
    expect(assignGroup(c, 'h_baker')).toEqual({ group: 'faculty', source: 'members' });
    expect(assignGroup(c, 'h.baker@other.lan')).toEqual({ group: 'faculty', source: 'members' });
    expect(assignGroup(c, 'x.baker@hertie-school.lan')).toEqual({ group: 'student', source: 'default_group' });
  });

  it('the raw listed name does not match a differently written login', () => {
    const c = parseOk(inline(TWO_GROUPS, { memberFiles: [{ group: 'faculty', file: 'f', text: 'h.baker@hertie-school.lan\n' }] }));
    expect(assignGroup(c, 'h_baker')).toEqual({ group: 'student', source: 'default_group' });
  });

  it('groups are tried in file order, raw or sanitised within each (DS01\'s loop)', () => {
    const c = parseOk(
      inline(TWO_GROUPS, {
        memberFiles: [
          { group: 'researcher', file: 'r', text: 'h_baker\n' },
          { group: 'faculty', file: 'f', text: 'h.baker@hertie-school.lan\n' },
        ],
      }),
    );
    expect(assignGroup(c, 'h.baker@hertie-school.lan').group).toBe('researcher');
  });

  it('group-overrides.txt beats member lists, by raw then sanitised name', () => {
    const sources = inline(TWO_GROUPS, {
      memberFiles: [{ group: 'researcher', file: 'r', text: 'alice@x.lan\nh.baker@hertie-school.lan\n' }],
      groupOverrides: { file: 'go.txt', text: 'alice@x.lan:faculty\nh_baker:faculty\n' },
    });
    const c = parseOk(sources);
    expect(assignGroup(c, 'alice@x.lan')).toEqual({ group: 'faculty', source: 'group-overrides' });
    expect(assignGroup(c, 'h.baker@hertie-school.lan')).toEqual({ group: 'faculty', source: 'group-overrides' });
  });

  it('inline members count like file members', () => {
    const c = parseOk(inline(`${TWO_GROUPS.replace('researcher: {}', 'researcher:\n    members: [bob]')}`));
    expect(assignGroup(c, 'bob')).toEqual({ group: 'researcher', source: 'members' });
  });
});

describe('findOverride', () => {
  it('finds an override by raw name, then by sanitised name', () => {
    const c = parseOk(inline('user_overrides:\n  h_baker:\n    max_runtime_h: 1\n  alice@x.lan:\n    max_runtime_h: 2\n'));
    expect(findOverride(c, 'h.baker@hertie-school.lan')?.user).toBe('h_baker');
    expect(findOverride(c, 'alice@x.lan')?.block).toEqual({ max_runtime_h: 2 });
    expect(findOverride(c, 'alice')).toBeNull();
  });

  it('prefers the raw entry when both forms have one', () => {
    const c = parseOk(inline('user_overrides:\n  h_baker:\n    max_runtime_h: 1\n  h.baker@hertie-school.lan:\n    max_runtime_h: 2\n'));
    expect(findOverride(c, 'h.baker@hertie-school.lan')?.block).toEqual({ max_runtime_h: 2 });
  });
});
