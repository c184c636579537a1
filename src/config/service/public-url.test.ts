import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { parseServiceConfig } from './load.ts';
import { normalisePublicUrl, publicUrlProblem } from './public-url.ts';

const OPTIONS = { file: 'gpuwarden.yaml', baseDir: '/etc/gpuwarden', readTextFile: async (): Promise<string> => '', defaults: { store: '/var/lib/gw-test/gpuwarden.sqlite', rulesDir: '/opt/gw/rules', limitsPath: '/opt/gw/limits.yaml' } };

describe('public_url', () => {
  it('is null when not set, and read without its trailing slash when set', async () => {
    expect((await parseServiceConfig('listen: {port: 0}\n', OPTIONS)).publicUrl).toBeNull();
    expect((await parseServiceConfig('public_url: https://gpu.example.org/\n', OPTIONS)).publicUrl).toBe('https://gpu.example.org');
    expect((await parseServiceConfig('public_url: http://ds01.lan:8787/gw//\n', OPTIONS)).publicUrl).toBe('http://ds01.lan:8787/gw');
  });

  it('refuses what is not an http(s) base URL, naming the line and key', async () => {
    await expect(parseServiceConfig('listen: {port: 0}\npublic_url: gpu.example.org\n', OPTIONS)).rejects.toThrow(ConfigError);
    await expect(parseServiceConfig('listen: {port: 0}\npublic_url: gpu.example.org\n', OPTIONS)).rejects.toThrow('gpuwarden.yaml:2: public_url: must be an http(s) URL such as https://gpu.example.org');
    await expect(parseServiceConfig('public_url: ftp://gpu.example.org\n', OPTIONS)).rejects.toThrow('public_url: must be an http(s) URL, not ftp:');
    await expect(parseServiceConfig('public_url: https://gpu.example.org/?a=1\n', OPTIONS)).rejects.toThrow('public_url: must not have a query, fragment or user name');
  });

  it('the helpers agree with the config', () => {
    expect(publicUrlProblem('https://a.example/x')).toBeNull();
    expect(normalisePublicUrl('https://A.example:443/x/')).toBe('https://a.example/x');
  });
});
