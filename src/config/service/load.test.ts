import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MEMORY_STORE_SPEC as STORE_MEMORY_SPEC } from '../../store/open-store.ts';
import { TOKEN_SHA256, TOKENS } from '../../server/test-support.ts';
import { stateDir } from '../../state-dir.ts';
import { ConfigError } from './config-error.ts';
import { loadServiceConfig, parseServiceConfig } from './load.ts';
import { defaultServiceConfig, MEMORY_STORE_SPEC, SERVICE_DEFAULTS } from './service-config.ts';

const DIR = 'test/fixtures/service-config';
const ABS = resolve(DIR);
/** What keys left out default to in these tests (the real ones point into the package and the state folder). */
const DEFAULTS = { store: '/var/lib/gw-test/gpuwarden.sqlite', rulesDir: '/opt/gw/rules', limitsPath: '/opt/gw/config/resource-limits.example.yaml' };

async function problemsOf(name: string): Promise<string> {
  try {
    await loadServiceConfig(`${DIR}/${name}`);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.replace(new RegExp(`^${DIR}/`, 'gm'), '');
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

describe('loadServiceConfig: valid files', () => {
  it('reads every key, resolves paths against the file and hashes token files', async () => {
    expect(await loadServiceConfig(`${DIR}/valid-full.yaml`)).toEqual({
      source: `${DIR}/valid-full.yaml`,
      listen: { host: '0.0.0.0', port: 9999 },
      store: join(ABS, 'state/gw.sqlite'),
      auth: {
        hosts: [
          { name: 'ds01', tokenSha256: TOKEN_SHA256.ds01 },
          { name: 'ds02', tokenSha256: TOKEN_SHA256.ds02 },
        ],
        admins: [{ name: 'alice', tokenSha256: TOKEN_SHA256.alice }],
      },
      limitsPath: join(ABS, 'limits.yaml'),
      rulesDir: resolve(ABS, '../rules-dir'),
      notificationsPath: join(ABS, 'notifications.yaml'),
      usersPath: join(ABS, 'users.yaml'),
      probeIntervalS: 60,
      hostSilentAfterIntervals: 5,
      fairShareHalfLifeH: 12,
      tickIntervalS: 10,
      maxClockSkewS: 300,
      sourceUnavailableResolveAfterM: 45,
      maxSnapshotAgeH: 12,
      bodyLimitBytes: 1_048_576,
      publicUrl: 'https://gpu.example.org',
      enforcementGraceS: 120,
      enforcementLifetimeS: 1800,
      log: { level: 'debug', format: 'text' },
    });
  });

  it('an empty file gives the embedded defaults, never relative to the folder serve runs in', async () => {
    expect(await loadServiceConfig(`${DIR}/empty.yaml`, process.cwd(), DEFAULTS)).toEqual({ ...defaultServiceConfig(DEFAULTS), source: `${DIR}/empty.yaml` });
    const elsewhere = await loadServiceConfig(join(ABS, 'empty.yaml'), '/srv/gw');
    expect(elsewhere.store).toBe(join(stateDir(), 'gpuwarden.sqlite'));
    expect(elsewhere.rulesDir).toBe(resolve('rules'));
    expect(elsewhere.limitsPath).toBe(resolve('config/resource-limits.example.yaml'));
  });

  it('keeps memory: as it is and treats empty hosts:/admins: as none', async () => {
    const config = await loadServiceConfig(`${DIR}/memory-store.yaml`);
    expect(config.store).toBe('memory:');
    expect(config.auth).toEqual({ hosts: [], admins: [] });
  });

  it('agrees with the store on the memory spec', () => {
    expect(MEMORY_STORE_SPEC).toBe(STORE_MEMORY_SPEC);
  });

  it('loads the annotated example in config/, whose paths are the defaults wherever it is copied', async () => {
    const config = await loadServiceConfig('config/gpuwarden.example.yaml', '/', DEFAULTS);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.store).toBe(DEFAULTS.store);
    expect(config.rulesDir).toBe(DEFAULTS.rulesDir);
    expect(config.limitsPath).toBe(DEFAULTS.limitsPath);
    expect(config.auth.hosts.map((h) => h.name)).toEqual(['ds01']);
    expect(config.auth.admins.map((a) => a.name)).toEqual(['admin']);
    expect([config.probeIntervalS, config.hostSilentAfterIntervals, config.tickIntervalS, config.bodyLimitBytes]).toEqual([
      SERVICE_DEFAULTS.probeIntervalS,
      SERVICE_DEFAULTS.hostSilentAfterIntervals,
      SERVICE_DEFAULTS.tickIntervalS,
      SERVICE_DEFAULTS.bodyLimitBytes,
    ]);
    expect(config.localProbe).toEqual({
      enabled: false, intervalMs: 30_000, host: null, nvidiaSmiPath: null, nvidiaSmiTimeoutMs: 10_000, docker: true, dockerSocketPath: null,
      procRoot: '/proc', sysfsRoot: '/sys', homeRoot: '/home', redact: [], enforcementConfigPath: null,
    });
  });
});

describe('loadServiceConfig: one fixture per error, with its line', () => {
  const cases: Array<[string, string]> = [
    ['unknown-key.yaml', 'unknown-key.yaml:7: hosts.ds01.tokn_sha256: unknown key'],
    ['unknown-top-key.yaml', 'unknown-top-key.yaml:4: probe_interval: unknown key'],
    ['wrong-type.yaml', 'wrong-type.yaml:4: listen.port: must be a number, not a string'],
    [
      'out-of-range.yaml',
      [
        'out-of-range.yaml:2: tick_interval_s: must be at least 1',
        'out-of-range.yaml:4: listen.port: must be at most 65535',
        'out-of-range.yaml:5: probe_interval_s: must be a whole number',
      ].join('\n'),
    ],
    [
      'bad-hash.yaml',
      'bad-hash.yaml:4: hosts.ds01.token_sha256: must be 64 hex characters: the SHA-256 of the token (gpuwarden token new prints both)',
    ],
    ['both-token-sources.yaml', 'both-token-sources.yaml:3: hosts.ds01: needs exactly one of token_sha256 or token_file'],
    ['no-token-source.yaml', 'no-token-source.yaml:3: hosts.ds01: needs exactly one of token_sha256 or token_file'],
    ['missing-token-file.yaml', `missing-token-file.yaml:4: hosts.ds01.token_file: cannot read ${ABS}/tokens/nope.token (ENOENT)`],
    [
      'short-token-file.yaml',
      `short-token-file.yaml:4: hosts.ds01.token_file: the token in ${ABS}/tokens/short.token is shorter than 32 characters`,
    ],
    [
      'duplicate-token.yaml',
      [
        'duplicate-token.yaml:5: hosts.ds02: uses the same token as hosts.ds01: every host and admin needs its own',
        'duplicate-token.yaml:8: admins.0: uses the same token as hosts.ds01: every host and admin needs its own',
      ].join('\n'),
    ],
    ['bad-log.yaml', 'bad-log.yaml:2: log.level: must be one of debug, info, warn, error\nbad-log.yaml:3: log.format: must be json or text'],
    ['duplicate-admin.yaml', 'duplicate-admin.yaml:5: admins.1.name: admin "alice" is listed twice'],
    ['admin-missing-name.yaml', 'admin-missing-name.yaml:3: admins.0.name: is required\nadmin-missing-name.yaml:6: admins.1.role: unknown key'],
    ['bad-host-name.yaml', 'bad-host-name.yaml:3: hosts.ds 01: is not a host name (letters, digits, ".", "_", "-")'],
    ['proto-key.yaml', 'proto-key.yaml:3: hosts.__proto__: reserved key'],
    ['duplicate-key.yaml', 'duplicate-key.yaml:4: duplicate key "listen"'],
    ['syntax-error.yaml', 'syntax-error.yaml:5: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['not-a-mapping.yaml', 'not-a-mapping.yaml:2: must be a mapping, not a list'],
    [
      'wrong-section-types.yaml',
      [
        'wrong-section-types.yaml:2: hosts: must be a mapping, not a list',
        'wrong-section-types.yaml:4: admins: must be a list, not a mapping',
        'wrong-section-types.yaml:6: listen: must be a mapping, not a number',
      ].join('\n'),
    ],
    [
      'multiple-problems.yaml',
      [
        'multiple-problems.yaml:2: store: must be a string, not a number',
        'multiple-problems.yaml:6: hosts.ds01.colour: unknown key',
        'multiple-problems.yaml:7: tick_interval_s: must be a number, not a string',
      ].join('\n'),
    ],
  ];

  it.each(cases)('%s', async (name, expected) => {
    expect(await problemsOf(name)).toBe(expected);
  });

  it('has a fixture for every case and a case for every error fixture', async () => {
    const { readdir } = await import('node:fs/promises');
    const errorFixtures = (await readdir(DIR)).filter((f) => f.endsWith('.yaml') && !['valid-full.yaml', 'empty.yaml', 'memory-store.yaml'].includes(f));
    expect(errorFixtures.sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it('carries the problems as data', async () => {
    const err = await loadServiceConfig(`${DIR}/unknown-key.yaml`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      { file: `${DIR}/unknown-key.yaml`, line: 7, path: 'hosts.ds01.tokn_sha256', message: 'unknown key' },
    ]);
  });

  it('never prints a token file\'s content', async () => {
    const message = await problemsOf('short-token-file.yaml');
    expect(message).not.toContain('short\n');
    expect(message).not.toMatch(/: short\b/);
  });

  it('names an unreadable config file', async () => {
    await expect(loadServiceConfig(`${DIR}/nope.yaml`)).rejects.toThrow(`${DIR}/nope.yaml: cannot read the config file (ENOENT)`);
  });
});

describe('parseServiceConfig', () => {
  const tmp = mkdtemp(join(tmpdir(), 'gw-config-'));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it('reads scrapers: like admins:, a token shared with an admin refused with the place named', async () => {
    const options = { file: 'gw.yaml', baseDir: '/etc/gw', defaults: DEFAULTS, readTextFile: async (): Promise<string> => '' };
    const config = await parseServiceConfig(`scrapers:\n  - name: prometheus\n    token_sha256: ${TOKEN_SHA256.ds02}\n`, options);
    expect(config.auth.scrapers).toEqual([{ name: 'prometheus', tokenSha256: TOKEN_SHA256.ds02 }]);
    const shared = `admins:\n  - name: alice\n    token_sha256: ${TOKEN_SHA256.alice}\nscrapers:\n  - name: prometheus\n    token_sha256: ${TOKEN_SHA256.alice}\n`;
    await expect(parseServiceConfig(shared, options)).rejects.toThrow('gw.yaml:5: scrapers.0: uses the same token as admins.0');
  });

  it('reads token files through the injected reader, trimming the newline', async () => {
    const read: string[] = [];
    const config = await parseServiceConfig('hosts:\n  ds01:\n    token_file: ds01.token\n', {
      file: 'gw.yaml',
      baseDir: '/etc/gw',
      defaults: DEFAULTS,
      readTextFile: async (p) => (read.push(p), `${TOKENS.ds01}\n`),
    });
    expect(read).toEqual(['/etc/gw/ds01.token']);
    expect(config.auth.hosts).toEqual([{ name: 'ds01', tokenSha256: TOKEN_SHA256.ds01 }]);
  });

  it('loads a token file from a real folder with an absolute path', async () => {
    const dir = await tmp;
    await writeFile(join(dir, 'alice.token'), TOKENS.alice);
    await writeFile(join(dir, 'gw.yaml'), `admins:\n  - name: alice\n    token_file: ${join(dir, 'alice.token')}\n`);
    const config = await loadServiceConfig(join(dir, 'gw.yaml'));
    expect(config.auth.admins).toEqual([{ name: 'alice', tokenSha256: TOKEN_SHA256.alice }]);
  });

  it('refuses anchors that expand without bound', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `${'bcdefg'[i]}: &${'bcdefg'[i]} [*${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}, *${'abcdef'[i]}]`)].join('\n');
    const opts = { file: 'bomb.yaml', baseDir: '/', defaults: DEFAULTS, readTextFile: async () => '' };
    const err = await parseServiceConfig(bomb, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe('bomb.yaml: the file expands its aliases too many times (a YAML bomb?)');
  });
});
