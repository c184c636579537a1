import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/limits/config-problem.ts';
import { adminConnection, cliConfigPath, loadCliConfig } from './cli-config.ts';
import { UsageError } from './usage-error.ts';

let dir: string;
let xdg: string;
const file = (): string => join(xdg, 'gpuwarden', 'cli.yaml');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-cli-config-'));
  xdg = join(dir, 'xdg');
  await mkdir(join(xdg, 'gpuwarden'), { recursive: true });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('cliConfigPath', () => {
  it('honours XDG_CONFIG_HOME, else ~/.config, else none', () => {
    expect(cliConfigPath({ XDG_CONFIG_HOME: '/x', HOME: '/home/a' })).toBe('/x/gpuwarden/cli.yaml');
    expect(cliConfigPath({ HOME: '/home/a' })).toBe('/home/a/.config/gpuwarden/cli.yaml');
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    expect(cliConfigPath({ XDG_CONFIG_HOME: 'rel', HOME: '/home/a' })).toBe('/home/a/.config/gpuwarden/cli.yaml');
    expect(cliConfigPath({})).toBeNull();
  });
});

describe('loadCliConfig', () => {
  it('reads url and token_file, the token file relative to the config folder', async () => {
    await writeFile(file(), 'url: http://127.0.0.1:8787\ntoken_file: admin.token\n');
    expect(await loadCliConfig(file())).toEqual({ url: 'http://127.0.0.1:8787', tokenFile: join(xdg, 'gpuwarden', 'admin.token') });
    await writeFile(file(), 'token_file: /etc/gpuwarden/admin.token\n');
    expect(await loadCliConfig(file())).toEqual({ tokenFile: '/etc/gpuwarden/admin.token' });
  });

  it('a missing file is no config; an empty one too', async () => {
    expect(await loadCliConfig(join(dir, 'nope.yaml'))).toEqual({});
    await writeFile(file(), '# nothing yet\n');
    expect(await loadCliConfig(file())).toEqual({});
  });

  it('names the file, line and key of an unknown or wrong key', async () => {
    await writeFile(file(), 'url: http://x:8787\ntoken-file: a\n');
    const err = await loadCliConfig(file()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`${file()}:2: token-file: unknown key (did you mean token_file?)`);
    await writeFile(file(), 'url: http://x:8787\ntoken_file: [a]\n');
    expect(((await loadCliConfig(file()).catch((e: unknown) => e)) as Error).message).toBe(`${file()}:2: token_file: expected a string, got a list`);
    await writeFile(file(), 'url: [unclosed\n');
    expect(((await loadCliConfig(file()).catch((e: unknown) => e)) as Error).message).toMatch(new RegExp(`^${file()}:\\d+: not valid YAML`));
  });
});

describe('adminConnection', () => {
  it('takes the flag, then the environment, then the file', async () => {
    await writeFile(file(), 'url: http://from-file:1\ntoken_file: /file.token\n');
    const base = { XDG_CONFIG_HOME: xdg };
    const envs = { ...base, GPUWARDEN_URL: 'http://from-env:2', GPUWARDEN_TOKEN_FILE: '/env.token' };
    expect(await adminConnection({ url: 'http://from-flag:3', tokenFile: '/flag.token' }, envs)).toEqual({ url: 'http://from-flag:3', urlFrom: '--url', tokenFile: '/flag.token' });
    expect(await adminConnection({}, envs)).toEqual({ url: 'http://from-env:2', urlFrom: 'GPUWARDEN_URL', tokenFile: '/env.token' });
    expect(await adminConnection({}, base)).toEqual({ url: 'http://from-file:1', urlFrom: `url: in ${file()}`, tokenFile: '/file.token' });
    expect(await adminConnection({ tokenFile: '/flag.token' }, { ...base, GPUWARDEN_TOKEN_FILE: '' })).toEqual({ url: 'http://from-file:1', urlFrom: `url: in ${file()}`, tokenFile: '/flag.token' });
  });

  it('reads the file only when a value is still missing', async () => {
    await writeFile(file(), 'bogus: 1\n');
    const base = { XDG_CONFIG_HOME: xdg };
    expect(await adminConnection({ url: 'http://a:1', tokenFile: '/t' }, base)).toMatchObject({ url: 'http://a:1' });
    await expect(adminConnection({ url: 'http://a:1' }, base)).rejects.toThrow(`${file()}:1: bogus: unknown key`);
  });

  it('says every place a missing URL or token file can be set', async () => {
    await writeFile(file(), 'token_file: /t\n');
    const missingUrl = adminConnection({}, { XDG_CONFIG_HOME: xdg });
    await expect(missingUrl).rejects.toBeInstanceOf(UsageError);
    await expect(adminConnection({}, { XDG_CONFIG_HOME: xdg })).rejects.toThrow(
      `no service URL: give --url URL (such as http://127.0.0.1:8787), set GPUWARDEN_URL, or put url: in ${file()}`,
    );
    await expect(adminConnection({ url: 'http://a:1' }, {})).rejects.toThrow(
      'no admin token file: give --token-file F, set GPUWARDEN_TOKEN_FILE, or put token_file: in the CLI config (set HOME or XDG_CONFIG_HOME)',
    );
  });
});
