import { describe, expect, it } from 'vitest';
import { sanitiseUsername } from '../../users/sanitise-username.ts';
import type { UserEntry } from './types.ts';
import { emailPatternProblem, expandEmailPattern, findUser, makeUserDirectory, userAddress, USER_DEFAULTS } from './user-directory.ts';

const entry = (name: string, over: Partial<UserEntry> = {}): UserEntry => ({ name, email: null, slackMemberId: null, slackReceiver: null, notify: null, ...over });

describe('expandEmailPattern', () => {
  const cases: [string, string, string][] = [
    ['{user}', 'h.baker@hertie-school.lan', 'h.baker@hertie-school.lan'],
    ['{local}@hertie-school.org', 'h.baker@hertie-school.lan', 'h.baker@hertie-school.org'],
    ['{sanitised}@hertie-school.org', 'h.baker@hertie-school.lan', 'h_baker@hertie-school.org'],
    ['{sanitized}@hertie-school.org', 'h.baker@hertie-school.lan', 'h_baker@hertie-school.org'],
    ['{local}@students.hertie-school.org', '228755@hertie-school.lan', '228755@students.hertie-school.org'],
    ['{local}@example.org', 'alice', 'alice@example.org'],
    ['{user}@example.org', 'alice', 'alice@example.org'],
    ['{local}+gpu@example.org', 'alice', 'alice+gpu@example.org'],
  ];
  it.each(cases)('%s for %s → %s', (pattern, name, address) => {
    expect(expandEmailPattern(pattern, name, sanitiseUsername)).toBe(address);
  });

  it('uses DS01\'s sanitiser for long names (hash suffix)', () => {
    const long = 'a.very.long.user.name.beyond.thirty.two@hertie-school.lan';
    expect(expandEmailPattern('{sanitised}@x.org', long, sanitiseUsername)).toBe(`${sanitiseUsername(long)}@x.org`);
    expect(sanitiseUsername(long)).toMatch(/_[0-9a-f]{4}$/);
  });
});

describe('emailPatternProblem', () => {
  it.each(['{user}', '{local}@example.org', '{sanitised}@mail.example.org', '{local}.gpu@example.org', ' {user} '])('accepts %s', (p) => {
    expect(emailPatternProblem(p)).toBeNull();
  });

  it.each([
    ['{name}@example.org', 'unknown placeholder {name}; use {user}, {local} or {sanitised}'],
    ['{usr}@example.org', 'unknown placeholder {usr} (did you mean {user}?); use {user}, {local} or {sanitised}'],
    ['admins@example.org', 'has no placeholder, so every user would get the same address: use {user}, {local} or {sanitised}'],
    ['{local}@example.org}', 'has an unbalanced { or }'],
    ['{local}', 'does not give an address: write e.g. "{local}@example.org", or "{user}" when user names are addresses'],
    ['{user}@{local}@x.org', 'does not give an address: write e.g. "{local}@example.org", or "{user}" when user names are addresses'],
  ])('rejects %s', (p, message) => {
    expect(emailPatternProblem(p)).toBe(message);
  });
});

describe('findUser', () => {
  const dir = makeUserDirectory({
    users: [entry('h.baker@hertie-school.lan'), entry('h_baker'), entry('228755'), entry('datasciencelab')],
    sanitise: sanitiseUsername,
  });

  it('the exact name first', () => {
    expect(findUser(dir, 'h_baker')?.name).toBe('h_baker');
    expect(findUser(dir, 'h.baker@hertie-school.lan')?.name).toBe('h.baker@hertie-school.lan');
  });

  it('else the entry with the same sanitised name (the first one listed)', () => {
    expect(findUser(dir, 'h.baker')?.name).toBe('h.baker@hertie-school.lan');
    expect(findUser(dir, '228755@hertie-school.lan')?.name).toBe('228755');
    expect(findUser(dir, 'DataScienceLab')).toBeNull();
    expect(findUser(dir, 'nobody@hertie-school.lan')).toBeNull();
  });

  it('an empty name finds nobody', () => {
    expect(findUser(makeUserDirectory({ users: [entry('@x')], sanitise: sanitiseUsername }), '')).toBeNull();
  });
});

describe('userAddress', () => {
  const withPattern = makeUserDirectory({
    users: [entry('h.baker@hertie-school.lan', { email: 'helen@x.org' }), entry('1001')],
    defaults: { emailPattern: '{local}@x.org' },
    sanitise: sanitiseUsername,
  });

  it('the entry\'s email wins over the pattern', () => {
    expect(userAddress(withPattern, 'h.baker@hertie-school.lan')).toEqual({ ok: true, address: 'helen@x.org' });
  });

  it('the pattern for everyone else, numeric student ids included', () => {
    expect(userAddress(withPattern, 'p.professor@hertie-school.lan')).toEqual({ ok: true, address: 'p.professor@x.org' });
    expect(userAddress(withPattern, '228755@hertie-school.lan')).toEqual({ ok: true, address: '228755@x.org' });
  });

  it('never the pattern for a bare number nobody listed (an unresolved uid); a listed one is a user name', () => {
    expect(userAddress(withPattern, '4242')).toEqual({
      ok: false,
      reason: 'no address: "4242" is a uid no name was found for, not a user name (add it to users: to reach them)',
    });
    expect(userAddress(withPattern, '1001')).toEqual({ ok: true, address: '1001@x.org' });
  });

  it('never the pattern for a system account (daemon, www-data, systemd-*, _apt): nobody reads that mailbox', () => {
    for (const name of ['root', 'daemon', 'www-data', 'nobody', 'systemd-network', '_apt', 'nvidia-persistenced']) {
      expect(userAddress(withPattern, name)).toEqual({
        ok: false,
        reason: `no address: "${name}" is a system account (its alerts reach the admins; add it to users: with an email to reach it)`,
      });
    }
    expect(userAddress(withPattern, 'daemonic')).toEqual({ ok: true, address: 'daemonic@x.org' });
    const listed = makeUserDirectory({ users: [entry('daemon', { email: 'ops@x.org' })], defaults: { ...USER_DEFAULTS, emailPattern: '{local}@x.org' }, sanitise: sanitiseUsername });
    expect(userAddress(listed, 'daemon')).toEqual({ ok: true, address: 'ops@x.org' });
  });

  it('no address without email or pattern, said differently for listed and unknown users', () => {
    const none = makeUserDirectory({ users: [entry('a')], sanitise: sanitiseUsername });
    expect(userAddress(none, 'a')).toEqual({ ok: false, reason: 'no address: no email and no default.email_pattern' });
    expect(userAddress(none, 'b')).toEqual({ ok: false, reason: 'no address: not in the user directory and no default.email_pattern' });
  });

  it('a pattern result that is not an address is a reason, not a send', () => {
    const asIs = makeUserDirectory({ defaults: { emailPattern: '{user}' }, sanitise: sanitiseUsername });
    expect(userAddress(asIs, 'h.baker@hertie-school.lan')).toEqual({ ok: true, address: 'h.baker@hertie-school.lan' });
    expect(userAddress(asIs, 'datasciencelab')).toEqual({ ok: false, reason: 'no address: default.email_pattern gives "datasciencelab", which is not an address' });
  });
});

describe('makeUserDirectory', () => {
  it('fills the defaults and indexes sanitised names', () => {
    const d = makeUserDirectory({ users: [entry('h.baker@hertie-school.lan')], sanitise: sanitiseUsername });
    expect(d.defaults).toEqual(USER_DEFAULTS);
    expect([...d.bySanitised]).toEqual([['h_baker', 'h.baker@hertie-school.lan']]);
    expect(d.source).toBeNull();
  });
});
