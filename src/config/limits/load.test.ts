import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from './config-problem.ts';
import { effectiveLimits } from './effective-limits.ts';
import { ConfigError, loadLimits } from './load.ts';

const DS01 = 'test/fixtures/config/ds01/resource-limits.yaml';
const ERRORS = 'test/fixtures/config/errors';

async function loadError(path: string): Promise<ConfigError> {
  const err: unknown = await loadLimits(path).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError for ${path}, got ${String(err)}`);
  return err;
}

const temps: string[] = [];
async function tempCopyOfDs01(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-limits-'));
  temps.push(dir);
  await cp('test/fixtures/config/ds01', dir, { recursive: true });
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('loadLimits on the DS01 folder', () => {
  it('reads the real file and every side file, with no error or warning', async () => {
    const loaded = await loadLimits(DS01);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.files).toEqual([
      DS01,
      'test/fixtures/config/ds01/groups/admin.members',
      'test/fixtures/config/ds01/groups/archived.members',
      'test/fixtures/config/ds01/groups/faculty.members',
      'test/fixtures/config/ds01/groups/researcher.members',
      'test/fixtures/config/ds01/groups/student.members',
      'test/fixtures/config/ds01/user-overrides.yaml',
      'test/fixtures/config/ds01/lifecycle-exemptions.yaml',
      'test/fixtures/config/ds01/group-overrides.txt',
    ]);
    const now = new Date('2026-05-01T00:00:00Z');
    expect(effectiveLimits(loaded.config, 'h.baker@hertie-school.lan', now)).toMatchObject({ group: 'researcher', maxGpuEquivalents: 4, exemptFrom: ['max_runtime_h'] });
    expect(effectiveLimits(loaded.config, '300300@hertie-school.lan', now).group).toBe('override');
  });

  it('works without any side file (only the YAML)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-limits-'));
    temps.push(dir);
    await cp(DS01, join(dir, 'resource-limits.yaml'));
    const loaded = await loadLimits(join(dir, 'resource-limits.yaml'));
    expect(loaded.files).toEqual([join(dir, 'resource-limits.yaml')]);
    expect(effectiveLimits(loaded.config, 'h.baker@hertie-school.lan', new Date()).group).toBe('student');
  });
});

describe('loadLimits: one fixture per config error, exact message and line', () => {
  const cases: [string, string][] = [
    ['unknown-key.yaml', `${ERRORS}/unknown-key.yaml:7: groups.student.max_gpu_equivelants: unknown key (did you mean max_gpu_equivalents?)`],
    ['wrong-type.yaml', `${ERRORS}/wrong-type.yaml:4: defaults.max_containers_per_user: expected a number of containers or null (unlimited), got "three"`],
    [
      'bad-duration.yaml',
      `${ERRORS}/bad-duration.yaml:6: groups.student.max_runtime_h: expected a number of hours (the unit is the key's _h suffix) or null/"never" for no limit, got "a day"`,
    ],
    [
      'bad-memory-size.yaml',
      `${ERRORS}/bad-memory-size.yaml:4: defaults.memory: expected a size such as 32g, 96G or 512M (units k, m, g, t; 1024-based) or null, got "32 gigs"`,
    ],
    [
      'unknown-default-group.yaml',
      `${ERRORS}/unknown-default-group.yaml:4: default_group: group "students" is not defined under groups in unknown-default-group.yaml (did you mean student?)`,
    ],
    [
      'member-of-undefined-group/resource-limits.yaml',
      `${ERRORS}/member-of-undefined-group/groups/reseacher.members:2: group "reseacher" is not defined under groups in resource-limits.yaml (did you mean researcher?); its members would be ignored`,
    ],
    ['duplicate-key.yaml', `${ERRORS}/duplicate-key.yaml:5: defaults.max_runtime_h: duplicate key (first defined on line 3)`],
    ['not-yaml.yaml', `${ERRORS}/not-yaml.yaml:3: not valid YAML: Unexpected scalar at node end`],
  ];

  it.each(cases)('%s', async (name, message) => {
    const err = await loadError(`${ERRORS}/${name}`);
    expect(err.message).toBe(message);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.severity).toBe('error');
  });

  it('a missing file', async () => {
    const err = await loadError(`${ERRORS}/no-such-file.yaml`);
    expect(err.message).toBe(`${ERRORS}/no-such-file.yaml: cannot be read (no such file)`);
  });
});

describe('loadLimits: all problems at once, unreadable side files', () => {
  it('ConfigError.problems lists every problem, not just the first', async () => {
    const dir = await tempCopyOfDs01();
    await writeFile(join(dir, 'user-overrides.yaml'), 'alice:\n  max_runtime: 3\n  memory: huge\n');
    await writeFile(join(dir, 'group-overrides.txt'), 'bob:phd\n');
    const err = await loadError(join(dir, 'resource-limits.yaml'));
    expect(err.problems.map(formatProblem)).toEqual([
      `${join(dir, 'user-overrides.yaml')}:2: user_overrides.alice.max_runtime: unknown key (did you mean max_runtime_h?)`,
      `${join(dir, 'user-overrides.yaml')}:3: user_overrides.alice.memory: expected a size such as 32g, 96G or 512M (units k, m, g, t; 1024-based) or null, got "huge"`,
      `${join(dir, 'group-overrides.txt')}:1: bob: group "phd" is not defined under groups in resource-limits.yaml (groups: student, researcher, faculty, admin)`,
    ]);
    expect(err.message.split('\n')).toHaveLength(3);
  });

  it('an unreadable user-overrides.yaml is an error (limits would silently change)', async () => {
    const dir = await tempCopyOfDs01();
    await rm(join(dir, 'user-overrides.yaml'));
    await mkdir(join(dir, 'user-overrides.yaml'));
    const err = await loadError(join(dir, 'resource-limits.yaml'));
    expect(err.message).toBe(`${join(dir, 'user-overrides.yaml')}: cannot be read (EISDIR)`);
  });

  it('an unreadable or malformed exemptions file only warns (fail open: not exempt)', async () => {
    const dir = await tempCopyOfDs01();
    await rm(join(dir, 'lifecycle-exemptions.yaml'));
    await mkdir(join(dir, 'lifecycle-exemptions.yaml'));
    const loaded = await loadLimits(join(dir, 'resource-limits.yaml'));
    expect(loaded.warnings.map(formatProblem)).toEqual([
      `${join(dir, 'lifecycle-exemptions.yaml')}: cannot be read (EISDIR); no exemptions apply (fail open)`,
    ]);
    expect(effectiveLimits(loaded.config, '300300@hertie-school.lan', new Date()).exemptFrom).toEqual([]);

    await rm(join(dir, 'lifecycle-exemptions.yaml'), { recursive: true });
    await writeFile(join(dir, 'lifecycle-exemptions.yaml'), 'exemptions:\n  - username: "300300@hertie-school.lan"\n    exempt_from: [idle_timeout_h]\n    expires_on: someday\n');
    const again = await loadLimits(join(dir, 'resource-limits.yaml'));
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]?.line).toBe(4);
    expect(effectiveLimits(again.config, '300300@hertie-school.lan', new Date()).exemptFrom).toEqual([]);
  });

  it('a "groups" file instead of a folder is ignored; only *.members files are read', async () => {
    const dir = await tempCopyOfDs01();
    await writeFile(join(dir, 'groups', 'README.md'), '# not a member list\nphd: x\n');
    expect((await loadLimits(join(dir, 'resource-limits.yaml'))).files.some((f) => f.endsWith('README.md'))).toBe(false);
    await rm(join(dir, 'groups'), { recursive: true });
    await writeFile(join(dir, 'groups'), 'not a folder\n');
    const loaded = await loadLimits(join(dir, 'resource-limits.yaml'));
    expect(loaded.config.members.get('researcher')).toEqual([]);
  });

  it('an unreadable member file is an error', async () => {
    const dir = await tempCopyOfDs01();
    await rm(join(dir, 'groups', 'admin.members'));
    await mkdir(join(dir, 'groups', 'admin.members'));
    const err = await loadError(join(dir, 'resource-limits.yaml'));
    expect(err.message).toBe(`${join(dir, 'groups', 'admin.members')}: cannot be read (EISDIR)`);
  });
});
