import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserResolver } from './users.ts';

const ROOT_LINE = /^root:[^:]*:0:0:/;
const UNKNOWN_UID = 3999999;
let dir = '';

/** A getent stand-in that logs its arguments, one call per line, then runs `body`. */
async function script(name: string, body: string): Promise<{ path: string; calls: () => Promise<string[]> }> {
  const path = join(dir, name);
  const log = join(dir, `${name}.calls`);
  await writeFile(log, '');
  await writeFile(path, `#!/bin/sh\necho "$*" >> '${log}'\n${body}\n`, { mode: 0o755 });
  return {
    path,
    calls: async () => (await readFile(log, 'utf8')).split('\n').filter((l) => l !== ''),
  };
}

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'h.baker@hertie-school.lan:*:1722801234:1722800513:Hannah Baker:/home/h.baker@hertie-school.lan:/bin/bash',
  '228755@hertie-school.lan:*:1722805555:1722800513::/home/228755@hertie-school.lan:/bin/bash',
  '',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuwarden-users-'));
  await writeFile(join(dir, 'passwd'), PASSWD);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createUserResolver with the real getent', () => {
  const resolver = createUserResolver();

  it('uid 0 is root', async () => {
    const result = await resolver.lookupUids([0]);
    expect(result.errors).toEqual([]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(ROOT_LINE);
  });

  it('name root is root', async () => {
    const result = await resolver.lookupNames(['root']);
    expect(result).toEqual({ lines: [expect.stringMatching(ROOT_LINE)], errors: [] });
  });

  it('an unknown uid gives no line and no error (getent exit 2 is not a failure)', async () => {
    expect(await resolver.lookupUids([UNKNOWN_UID])).toEqual({ lines: [], errors: [] });
    const mixed = await resolver.lookupUids([UNKNOWN_UID + 1, 0, 0]);
    expect(mixed.errors).toEqual([]);
    expect(mixed.lines).toHaveLength(1);
  });

  it('names that look like options are looked up, not obeyed', async () => {
    expect(await resolver.lookupNames(['--help', '-s'])).toEqual({ lines: [], errors: [] });
  });

  it('invalid keys are ignored without an error', async () => {
    expect(await resolver.lookupUids([-1, 1.5, Number.NaN])).toEqual({ lines: [], errors: [] });
    expect(await resolver.lookupNames(['', 'a:b', 'x\ny'])).toEqual({ lines: [], errors: [] });
  });
});

describe('cache', () => {
  it('a second lookup of known and unknown uids does not run getent again', async () => {
    const getent = await script('counting-getent', 'exec getent "$@"');
    const resolver = createUserResolver({ getentPath: getent.path });
    const first = await resolver.lookupUids([0, UNKNOWN_UID]);
    const second = await resolver.lookupUids([UNKNOWN_UID, 0]);
    expect(second).toEqual(first);
    expect(first.lines).toHaveLength(1);
    expect(await getent.calls()).toEqual([`passwd -- 0 ${UNKNOWN_UID}`]);
    await resolver.lookupUids([0, 1]);
    await resolver.lookupNames(['root']);
    expect(await getent.calls()).toEqual([`passwd -- 0 ${UNKNOWN_UID}`, 'passwd -- 1', 'passwd -- root']);
  });

  it('negative answers expire after negativeCacheTtlMs, positive ones outlive them', async () => {
    const getent = await script('ttl-getent', 'exec getent "$@"');
    let now = 1_000;
    const resolver = createUserResolver({ getentPath: getent.path, negativeCacheTtlMs: 500, nowMs: () => now });
    await resolver.lookupUids([0, UNKNOWN_UID]);
    now += 499;
    await resolver.lookupUids([0, UNKNOWN_UID]);
    expect(await getent.calls()).toHaveLength(1);
    now += 1;
    await resolver.lookupUids([0, UNKNOWN_UID]);
    expect(await getent.calls()).toEqual([`passwd -- 0 ${UNKNOWN_UID}`, `passwd -- ${UNKNOWN_UID}`]);
  });
});

describe('cache lifetime and bound', () => {
  it('found users expire after cacheTtlMs (default 10 min), so a renamed account is seen again', async () => {
    const getent = await script('positive-ttl-getent', 'exec getent "$@"');
    let now = 1_000;
    const resolver = createUserResolver({ getentPath: getent.path, nowMs: () => now });
    await resolver.lookupUids([0]);
    now += 600_000 - 1;
    await resolver.lookupUids([0]);
    expect(await getent.calls()).toEqual(['passwd -- 0']);
    now += 1;
    expect((await resolver.lookupUids([0])).lines).toEqual([expect.stringMatching(ROOT_LINE)]);
    expect(await getent.calls()).toEqual(['passwd -- 0', 'passwd -- 0']);
  });

  it('answers found in the passwd file after a getent failure expire too', async () => {
    let now = 0;
    const resolver = createUserResolver({ getentPath: join(dir, 'no-getent'), passwdFile: join(dir, 'passwd'), cacheTtlMs: 100, nowMs: () => now });
    expect((await resolver.lookupUids([0])).errors).toHaveLength(1);
    expect((await resolver.lookupUids([0])).errors).toEqual([]);
    now += 100;
    expect((await resolver.lookupUids([0])).errors).toHaveLength(1);
  });

  it('keeps at most maxCacheEntries answers, dropping the oldest, and still answers a lookup larger than the bound', async () => {
    const getent = await script('bounded-getent', 'exec getent "$@"');
    const resolver = createUserResolver({ getentPath: getent.path, passwdFile: join(dir, 'passwd'), maxCacheEntries: 2 });
    expect((await resolver.lookupNames(['root', 'nobody-a', 'nobody-b'])).lines).toEqual([expect.stringMatching(ROOT_LINE)]);
    await resolver.lookupNames(['nobody-a', 'nobody-b']);
    expect(await getent.calls()).toEqual(['passwd -- root nobody-a nobody-b']);
    await resolver.lookupNames(['root']);
    expect(await getent.calls()).toEqual(['passwd -- root nobody-a nobody-b', 'passwd -- root']);
  });
});

describe('fallback to the passwd file', () => {
  it('getent missing: reads the file, says so, resolves LDAP-style names', async () => {
    const passwdFile = join(dir, 'passwd');
    const resolver = createUserResolver({ getentPath: '/nonexistent/getent', passwdFile });
    const byUid = await resolver.lookupUids([1722801234, UNKNOWN_UID]);
    expect(byUid.lines).toEqual([PASSWD.split('\n')[1]]);
    expect(byUid.errors).toEqual([
      `getent not found at /nonexistent/getent; fell back to ${passwdFile} (NSS/LDAP users will not resolve)`,
    ]);
    const byName = await resolver.lookupNames(['228755@hertie-school.lan']);
    expect(byName.lines).toEqual([PASSWD.split('\n')[2]]);
  });

  it('getent timing out: falls back, caches only what the file knew', async () => {
    const getent = await script('slow-getent', 'exec sleep 5');
    const passwdFile = join(dir, 'passwd');
    const resolver = createUserResolver({ getentPath: getent.path, passwdFile, timeoutMs: 200 });
    const first = await resolver.lookupUids([0, UNKNOWN_UID]);
    expect(first.lines).toEqual(['root:x:0:0:root:/root:/bin/bash']);
    expect(first.errors).toEqual([`getent timed out after 200 ms; fell back to ${passwdFile} (NSS/LDAP users will not resolve)`]);
    await resolver.lookupUids([0, UNKNOWN_UID]);
    // uid 0 came from the file and is cached; the unknown uid is asked again (LDAP may know it later).
    expect(await getent.calls()).toEqual([`passwd -- 0 ${UNKNOWN_UID}`, `passwd -- ${UNKNOWN_UID}`]);
  });

  it('getent failing another way, and an unreadable passwd file, are both reported', async () => {
    const getent = await script('broken-getent', 'echo "Unknown database: passwd" >&2; exit 1');
    const missing = join(dir, 'no-such-passwd');
    const resolver = createUserResolver({ getentPath: getent.path, passwdFile: missing });
    const result = await resolver.lookupUids([0]);
    expect(result.lines).toEqual([]);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toBe(
      `getent failed: exit code 1: Unknown database: passwd; fell back to ${missing} (NSS/LDAP users will not resolve)`,
    );
    expect(result.errors[1]).toBe(`cannot read ${missing}: ENOENT`);
  });
});
