import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePasswd, parsePasswdLine } from './parse-passwd.ts';

const TEXT = [
  '# /etc/passwd on a DS01-style host',
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  '',
  'h.baker@hertie-school.lan:*:1722801234:1722800513:Hannah Baker:/home/h.baker@hertie-school.lan:/bin/bash',
  '228755@hertie-school.lan:*:1722805555:1722800513::/home/228755@hertie-school.lan:/bin/bash\r',
  'toor:x:0:0:duplicate uid:/root:/bin/sh',
  'root:x:99:99:duplicate name:/x:/bin/sh',
  'broken line without colons',
  'short:x:1',
  'baduid:x:abc:1::/:/bin/sh',
  '+@netgroup::::::',
  '-excluded::::::',
  'nohome:x:1500:1500:::',
].join('\n');

describe('parsePasswd', () => {
  const index = parsePasswd(TEXT);

  it('reads normal and LDAP-style accounts', () => {
    expect(index.byUid.get(0)).toEqual({ name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' });
    expect(index.byName.get('h.baker@hertie-school.lan')).toEqual({
      name: 'h.baker@hertie-school.lan',
      uid: 1722801234,
      gid: 1722800513,
      home: '/home/h.baker@hertie-school.lan',
      shell: '/bin/bash',
    });
  });

  it('numeric LDAP names are names, not uids; CRLF is stripped', () => {
    const entry = index.byName.get('228755@hertie-school.lan');
    expect(entry?.uid).toBe(1722805555);
    expect(entry?.shell).toBe('/bin/bash');
    expect(index.byUid.has(228755)).toBe(false);
  });

  it('first entry wins on a duplicate uid or name', () => {
    expect(index.byUid.get(0)?.name).toBe('root');
    expect(index.byName.get('toor')?.uid).toBe(0);
    expect(index.byName.get('root')?.uid).toBe(0);
    expect(index.byUid.get(99)?.name).toBe('root');
  });

  it('skips comments, blanks, junk, bad ids and NIS +/- lines; keeps empty home/shell', () => {
    expect([...index.byName.keys()].sort()).toEqual(
      ['228755@hertie-school.lan', 'daemon', 'h.baker@hertie-school.lan', 'nohome', 'root', 'toor'].sort(),
    );
    expect(index.byName.get('nohome')).toMatchObject({ home: '', shell: '' });
  });

  it('reads this machine\'s /etc/passwd', () => {
    const real = parsePasswd(readFileSync('/etc/passwd', 'utf8'));
    expect(real.byUid.get(0)?.name).toBe('root');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const parsed = parsePasswd(text);
        for (const entry of parsed.byUid.values()) expect(entry.name).not.toBe('');
      }),
      { numRuns: 300 },
    );
    expect(parsePasswd(null as unknown as string).byUid.size).toBe(0);
  });
});

describe('parsePasswdLine', () => {
  it('takes home and shell from the end when gecos holds a colon', () => {
    expect(parsePasswdLine('odd:x:5:5:a:b:/home/odd:/bin/zsh')).toEqual({
      name: 'odd',
      uid: 5,
      gid: 5,
      home: '/home/odd',
      shell: '/bin/zsh',
    });
  });

  it('rejects names with whitespace, and out-of-range ids', () => {
    expect(parsePasswdLine('a b:x:5:5::/:/bin/sh')).toBeNull();
    expect(parsePasswdLine('big:x:4294967296:5::/:/bin/sh')).toBeNull();
    expect(parsePasswdLine('neg:x:-1:5::/:/bin/sh')).toBeNull();
    expect(parsePasswdLine(':x:5:5::/:/bin/sh')).toBeNull();
  });
});
