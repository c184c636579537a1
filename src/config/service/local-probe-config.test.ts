import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { parseServiceConfig } from './load.ts';

const OPTIONS = { file: 'gpuwarden.yaml', baseDir: '/etc/gpuwarden', cwd: '/srv', readTextFile: async (): Promise<string> => '', defaults: { store: '/var/lib/gw-test/gpuwarden.sqlite', rulesDir: '/opt/gw/rules', limitsPath: '/opt/gw/limits.yaml' } };

async function problems(text: string): Promise<string> {
  const err = await parseServiceConfig(text, OPTIONS).catch((e: unknown) => e);
  if (!(err instanceof ConfigError)) throw new Error('expected a ConfigError');
  return err.message;
}

describe('gpuwarden.yaml local_probe:', () => {
  it('is absent unless written', async () => {
    expect((await parseServiceConfig('listen: {port: 0}\n', OPTIONS)).localProbe).toBeUndefined();
  });

  it('reads every key: durations in the shared grammar, paths relative to the file, a bare nvidia-smi name kept', async () => {
    const text = [
      'local_probe:',
      '  interval: 1m30s',
      '  host: ds01',
      '  nvidia_smi: bin/nvidia-smi',
      '  nvidia_smi_timeout: 15s',
      '  docker_socket: /run/docker.sock',
      '  proc_root: /proc',
      '  sysfs_root: /sys',
      '  home_root: /home',
      '  redact: ["LAB-\\\\d+"]',
      '  enforcement_config: enforcement.yaml',
    ].join('\n');
    expect((await parseServiceConfig(text, OPTIONS)).localProbe).toEqual({
      enabled: true,
      intervalMs: 90_000,
      host: 'ds01',
      nvidiaSmiPath: '/etc/gpuwarden/bin/nvidia-smi',
      nvidiaSmiTimeoutMs: 15_000,
      docker: true,
      dockerSocketPath: '/run/docker.sock',
      procRoot: '/proc',
      sysfsRoot: '/sys',
      homeRoot: '/home',
      redact: ['LAB-\\d+'],
      enforcementConfigPath: '/etc/gpuwarden/enforcement.yaml',
    });
    const bare = await parseServiceConfig('local_probe: {enabled: false, nvidia_smi: nvidia-smi, docker: false}\n', OPTIONS);
    expect(bare.localProbe).toMatchObject({ enabled: false, nvidiaSmiPath: 'nvidia-smi', docker: false, intervalMs: null, host: null });
  });

  it('names the line and key of each bad value', async () => {
    const text = ['local_probe:', '  interval: 30', '  nvidia_smi_timeout: 1.5s', '  enabled: yes', '  dockr: false', '  redact: ["(", ".*"]', '  host: "ds 01"'].join('\n');
    expect((await problems(text)).split('\n')).toEqual([
      'gpuwarden.yaml:2: local_probe.interval: must be a string, not a number',
      'gpuwarden.yaml:3: local_probe.nvidia_smi_timeout: invalid duration "1.5s": fractions are not allowed (1s500ms?); use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w',
      'gpuwarden.yaml:4: local_probe.enabled: must be true or false, not a string',
      'gpuwarden.yaml:5: local_probe.dockr: unknown key',
      expect.stringMatching(/^gpuwarden\.yaml:6: local_probe\.redact\.0: not a valid regular expression/),
      'gpuwarden.yaml:6: local_probe.redact.1: matches the empty string, so it would mask nothing useful',
      'gpuwarden.yaml:7: local_probe.host: is not a host name (letters, digits, ".", "_", "-")',
    ]);
  });

  it('refuses a zero interval', async () => {
    expect(await problems('local_probe:\n  interval: 0\n')).toContain('local_probe.interval: must be a string');
    expect(await problems('local_probe:\n  interval: "0"\n')).toBe('gpuwarden.yaml:2: local_probe.interval: "0" is not a positive duration: use at least 1ms, e.g. 500ms, 30s or 5m');
  });
});
