import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sanitiseUsername } from './sanitise-username.ts';

const md5_4 = (s: string) => createHash('md5').update(s).digest('hex').slice(0, 4);

describe('sanitiseUsername (DS01 username_utils.py)', () => {
  it('DS01 examples', () => {
    expect(sanitiseUsername('h.baker@hertie-school.lan')).toBe('h_baker');
    expect(sanitiseUsername('228755@hertie-school.lan')).toBe('228755');
    expect(sanitiseUsername('alice')).toBe('alice');
    expect(sanitiseUsername('john.doe')).toBe('john_doe');
    expect(sanitiseUsername('user@domain.org')).toBe('user');
    expect(sanitiseUsername('test.user@sub.domain.edu')).toBe('test_user');
  });

  it('invalid chars become _, runs collapse, ends trim; ":" and digits survive', () => {
    expect(sanitiseUsername('a-b c')).toBe('a_b_c');
    expect(sanitiseUsername('..a..b..')).toBe('a_b');
    expect(sanitiseUsername('__x__')).toBe('x');
    expect(sanitiseUsername('ops:1')).toBe('ops:1');
    expect(sanitiseUsername('Zoë.Müller')).toBe('Zo_M_ller');
    expect(sanitiseUsername('a@b@c')).toBe('a');
    expect(sanitiseUsername('@domain')).toBe('');
    expect(sanitiseUsername('')).toBe('');
  });

  it('exactly 32 chars is kept as is', () => {
    const name = 'a'.repeat(32);
    expect(sanitiseUsername(name)).toBe(name);
  });

  it('> 32 chars → first 27 + "_" + 4 hex of md5(ORIGINAL name)', () => {
    const name = 'abcdefghij.klmnopqrst.uvwxyz0123456789'; // 38 chars before sanitising
    expect(name.length).toBe(38);
    const out = sanitiseUsername(name);
    expect(out).toHaveLength(32);
    expect(out).toBe(`abcdefghij_klmnopqrst_uvwxy_${md5_4(name)}`);
    expect(out).toMatch(/^[A-Za-z0-9_:]{27}_[0-9a-f]{4}$/);
  });

  it('a 40-char LDAP name hashes the full name incl. the domain', () => {
    const name = `${'x'.repeat(40)}@hertie-school.lan`;
    const out = sanitiseUsername(name);
    expect(out).toBe(`${'x'.repeat(27)}_${md5_4(name)}`);
    expect(out).not.toBe(`${'x'.repeat(27)}_${md5_4('x'.repeat(40))}`);
  });

  it('a trailing _ at the cut is trimmed before the hash (result may be < 32)', () => {
    const name = `${'a'.repeat(26)}.${'b'.repeat(10)}`; // char 27 is "_" after sanitising
    expect(sanitiseUsername(name)).toBe(`${'a'.repeat(26)}_${md5_4(name)}`);
  });

  it('matches outputs of the Python reference implementation (values computed with username_utils.py logic)', () => {
    expect(sanitiseUsername('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN')).toBe('abcdefghijklmnopqrstuvwxyzA_0baa');
    expect(sanitiseUsername('Zoë.Müller-Lüdenscheidt.von.und.zu.Guttenberg@x')).toBe('Zo_M_ller_L_denscheidt_von_eee8');
    expect(sanitiseUsername('aaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbb')).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaa_a482');
    expect(sanitiseUsername('a😀b')).toBe('a_b');
    expect(sanitiseUsername('a b\tc\nd')).toBe('a_b_c_d');
    expect(sanitiseUsername('........')).toBe('');
  });

  it('never throws on a non-string', () => {
    expect(sanitiseUsername(undefined as unknown as string)).toBe('');
    expect(sanitiseUsername(42 as unknown as string)).toBe('');
  });
});
