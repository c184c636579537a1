import { describe, expect, it } from 'vitest';
import { proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { changeNotice, failingSourcesKey, startNotice } from './local-notice.ts';

const NOT_FOUND = [
  { source: 'gpu' as const, message: 'nvidia-smi -q -x: /usr/bin/nvidia-smi not found' },
  { source: 'gpu' as const, message: 'no GPU data: nvidia-smi -L output is missing too' },
  { source: 'docker' as const, message: 'docker: docker engine at /var/run/docker.sock: socket not found (ENOENT)' },
];

describe('local probe notices', () => {
  it('says plainly that without nvidia-smi and Docker the host cannot be seen, and that the service keeps running', () => {
    const s = snapshot(t(0), { gpus: [], errors: NOT_FOUND });
    expect(startNotice(s, { nvidiaSmiPath: '/usr/bin/nvidia-smi', dockerSocketPath: '/var/run/docker.sock' })).toEqual([
      'local probe: host ds01: 0 GPU(s), 0 GPU process(es), 0 container(s)',
      'local probe: nvidia-smi not found (/usr/bin/nvidia-smi) — GPU processes cannot be seen on this host; ' +
        'Docker socket /var/run/docker.sock not reachable (socket not found (ENOENT)) — containers cannot be attributed; ' +
        'each snapshot lists its source errors (rule probe-source-failing), and the service keeps running',
    ]);
  });

  it('names a failing nvidia-smi by its message, --no-docker as a choice, and other sources as they report', () => {
    const s = snapshot(t(0), { errors: [{ source: 'gpu', message: 'nvidia-smi -q -x: exited with code 9: NVIDIA-SMI has failed' }, { source: 'proc', message: 'no btime' }] });
    const text = startNotice(s, { nvidiaSmiPath: 'nvidia-smi', dockerSocketPath: null }).join('\n');
    expect(text).toContain('nvidia-smi failed (nvidia-smi -q -x: exited with code 9: NVIDIA-SMI has failed) — GPU processes cannot be seen');
    expect(text).toContain('Docker is not read (--no-docker or local_probe.docker: false) — containers are not attributed');
    expect(text).toContain('proc: no btime');
  });

  it('is one line when every source was read', () => {
    const s = snapshot(t(0), { gpuProcesses: [proc(1)] });
    expect(startNotice(s, { nvidiaSmiPath: 'nvidia-smi', dockerSocketPath: '/var/run/docker.sock' })).toEqual(['local probe: host ds01: 1 GPU(s), 1 GPU process(es), 0 container(s)']);
  });

  it('tells a change of the failing sources once, and their recovery', () => {
    const failing = snapshot(t(0), { gpus: [], errors: NOT_FOUND });
    expect(changeNotice('', failing)).toBe("local probe: 3 source error(s) (docker, gpu); they are listed in the snapshot's errors");
    expect(changeNotice(failingSourcesKey(failing), failing)).toBeNull();
    expect(changeNotice('docker, gpu', snapshot(t(1)))).toBe('local probe: every source is readable again');
  });
});
