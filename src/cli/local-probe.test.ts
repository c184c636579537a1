import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { LocalProbeConfig } from '../config/service/local-probe-config.ts';
import { serveConfig } from './serve.ts';
import { localCollectOptions, localProbeFromFlags } from './local-probe.ts';
import { UsageError } from './usage-error.ts';

const FROM_FILE: LocalProbeConfig = {
  enabled: true,
  intervalMs: 60_000,
  host: 'ds01',
  nvidiaSmiPath: '/opt/nvidia/nvidia-smi',
  nvidiaSmiTimeoutMs: 5000,
  docker: true,
  dockerSocketPath: '/run/docker.sock',
  procRoot: null,
  sysfsRoot: null,
  homeRoot: '/home',
  redact: ['LAB-\\d+'],
  enforcementConfigPath: null,
};

describe('serve --local-probe flags', () => {
  it('are off without the flag or the config key, and a source flag alone is a usage error naming it', async () => {
    expect((await serveConfig([], '/srv')).localProbe).toBeUndefined();
    await expect(serveConfig(['--nvidia-smi', '/x'], '/srv')).rejects.toThrow(new UsageError('--nvidia-smi only applies with --local-probe (or local_probe: in the config file)'));
    await expect(serveConfig(['--no-docker'], '/srv')).rejects.toThrow('--no-docker only applies with --local-probe');
  });

  it('--local-probe alone: the probe defaults, paths from the flags relative to the current folder', async () => {
    const config = await serveConfig(['--local-probe', '--probe-interval', '200ms', '--no-docker', '--proc-root', 'p', '--probe-host', 'box1'], '/srv');
    expect(config.localProbe).toMatchObject({ enabled: true, intervalMs: 200, host: 'box1', docker: false, procRoot: '/srv/p', nvidiaSmiPath: null, redact: [] });
  });

  it('flags win over local_probe: in the file; --redact adds to its patterns', () => {
    const merged = localProbeFromFlags({ 'probe-interval': '5s', 'nvidia-smi': 'nvidia-smi', redact: ['x+'] }, FROM_FILE, '/srv');
    expect(merged).toEqual({ ...FROM_FILE, intervalMs: 5000, nvidiaSmiPath: 'nvidia-smi', redact: ['LAB-\\d+', 'x+'] });
    expect(localProbeFromFlags({}, { ...FROM_FILE, enabled: false }, '/srv')).toEqual({ ...FROM_FILE, enabled: false });
  });

  it('refuses a bad interval, host name or timeout with the flag named', () => {
    expect(() => localProbeFromFlags({ 'local-probe': true, 'probe-interval': '30' }, undefined, '/')).toThrow(/^--probe-interval: invalid duration "30": a unit is required/);
    expect(() => localProbeFromFlags({ 'local-probe': true, 'probe-host': 'a b' }, undefined, '/')).toThrow('--probe-host "a b": a host name may only hold');
    expect(() => localProbeFromFlags({ 'local-probe': true, 'nvidia-smi-timeout-ms': '0' }, undefined, '/')).toThrow('--nvidia-smi-timeout-ms must be a positive whole number');
  });

  it('collects from the settings, then GPUWARDEN_NVIDIA_SMI and DOCKER_HOST, then the defaults; host = this machine', () => {
    const bare = localProbeFromFlags({ 'local-probe': true }, undefined, '/') as LocalProbeConfig;
    const env = { GPUWARDEN_NVIDIA_SMI: '/env/nvidia-smi', DOCKER_HOST: 'unix:///env/docker.sock' };
    expect(localCollectOptions(bare, env)).toMatchObject({ nvidiaSmiPath: '/env/nvidia-smi', dockerSocketPath: '/env/docker.sock', procRoot: '/proc', host: hostname() });
    expect(localCollectOptions(bare, {})).toMatchObject({ nvidiaSmiPath: 'nvidia-smi', dockerSocketPath: '/var/run/docker.sock' });
    expect(localCollectOptions(FROM_FILE, env)).toMatchObject({ nvidiaSmiPath: '/opt/nvidia/nvidia-smi', nvidiaSmiTimeoutMs: 5000, dockerSocketPath: '/run/docker.sock', host: 'ds01' });
    expect(localCollectOptions({ ...bare, docker: false }, env).dockerSocketPath).toBeNull();
    expect(() => localCollectOptions(bare, { DOCKER_HOST: 'tcp://h:2375' })).toThrow('DOCKER_HOST=tcp://h:2375: only unix:// sockets are supported');
  });
});
