import { describe, expect, it } from 'vitest';
import { collectOptionsFrom, redactionFrom, UsageError } from './source-options.ts';

describe('collectOptionsFrom', () => {
  it('uses the standard host paths by default', () => {
    expect(collectOptionsFrom({}, {})).toMatchObject({ nvidiaSmiPath: 'nvidia-smi', dockerSocketPath: '/var/run/docker.sock', procRoot: '/proc', sysfsRoot: '/sys', homeRoot: '/home' });
    expect(collectOptionsFrom({ 'sysfs-root': '/host/sys', 'proc-root': '/host/proc' }, {})).toMatchObject({ sysfsRoot: '/host/sys', procRoot: '/host/proc' });
  });

  it('takes DOCKER_HOST and GPUWARDEN_NVIDIA_SMI from the environment, flags winning', () => {
    const env = { DOCKER_HOST: 'unix:///run/user/1000/docker.sock', GPUWARDEN_NVIDIA_SMI: '/opt/nv/nvidia-smi' };
    expect(collectOptionsFrom({}, env)).toMatchObject({ dockerSocketPath: '/run/user/1000/docker.sock', nvidiaSmiPath: '/opt/nv/nvidia-smi' });
    expect(collectOptionsFrom({ 'docker-socket': '/x.sock', 'nvidia-smi': '/y' }, env)).toMatchObject({ dockerSocketPath: '/x.sock', nvidiaSmiPath: '/y' });
  });

  it('--host takes a host name and refuses one the snapshot contract would refuse', () => {
    expect(collectOptionsFrom({ host: 'gpu-07.lab_a' }, {})).toMatchObject({ host: 'gpu-07.lab_a' });
    for (const bad of ['gpu 07', 'gpu\nforged', '-gpu', 'x'.repeat(254)]) expect(() => collectOptionsFrom({ host: bad }, {})).toThrow(UsageError);
  });

  it('--no-docker skips Docker', () => {
    expect(collectOptionsFrom({ 'no-docker': true }, { DOCKER_HOST: 'unix:///a' }).dockerSocketPath).toBeNull();
  });

  it('refuses a TCP DOCKER_HOST and a bad timeout with a plain sentence', () => {
    expect(() => collectOptionsFrom({}, { DOCKER_HOST: 'tcp://10.0.0.1:2375' })).toThrow(UsageError);
    expect(() => collectOptionsFrom({ 'nvidia-smi-timeout-ms': '10s' }, {})).toThrow('--nvidia-smi-timeout-ms must be a positive whole number, got "10s"');
    expect(collectOptionsFrom({ 'nvidia-smi-timeout-ms': '2500' }, {}).nvidiaSmiTimeoutMs).toBe(2500);
  });

  it('--redact REGEX (repeatable) adds validated patterns to the collector', () => {
    const o = collectOptionsFrom({ redact: ['LAB-\\d+', '--sig=(\\S+)'] }, {});
    expect(o.redaction.extraPatterns.map((r) => r.source)).toEqual(['LAB-\\d+', '--sig=(\\S+)']);
    expect(collectOptionsFrom({}, {}).redaction.extraPatterns).toEqual([]);
  });

  it('refuses a bad --redact pattern at startup with a plain sentence', () => {
    expect(() => redactionFrom({ redact: ['(oops'] })).toThrow(UsageError);
    expect(() => redactionFrom({ redact: ['(oops'] })).toThrow(/--redact "\(oops": not a valid regular expression/);
    expect(() => redactionFrom({ redact: ['.*'] })).toThrow(/--redact "\.\*": matches the empty string/);
  });
});
