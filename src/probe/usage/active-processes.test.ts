import { describe, expect, it } from 'vitest';
import { countActiveProcesses, IDLE_COMMS, parseCgroupProcs, parseComms } from './active-processes.ts';
import { fixture } from './test-fixtures.ts';

describe('countActiveProcesses', () => {
  it('a sleeping container (real capture) has no active process', () => {
    expect(countActiveProcesses(fixture('gwp-sleep', 1, 'v1-cgroup.procs'), fixture('gwp-sleep', 1, 'comms.txt'))).toBe(0);
  });

  it('the busy loop is a shell (sh), so it counts as 0 processes too: CPU is what shows it', () => {
    expect(countActiveProcesses(fixture('gwp-burn', 2, 'v2-cgroup.procs'), fixture('gwp-burn', 2, 'comms.txt'))).toBe(0);
  });

  it('counts python, jupyter, torchrun workers and leaves out shells, sleep and init shims', () => {
    const procs = '1\n7\n8\n9\n10\n11\n12\n';
    const comms = '1 tini\n7 bash\n8 python3\n9 pt_data_worker\n10 sleep\n11 jupyter-lab\n12 docker-init\n';
    expect(countActiveProcesses(procs, comms)).toBe(3);
  });

  it('a pid without a comm (exited between the reads) is not counted; no cgroup.procs is unknown', () => {
    expect(countActiveProcesses('5\n6\n', '5 python\n')).toBe(1);
    expect(countActiveProcesses(undefined, '5 python\n')).toBeNull();
    expect(countActiveProcesses('', undefined)).toBe(0);
  });

  it('keeps the idle list small and documented', () => {
    expect([...IDLE_COMMS].sort()).toEqual(['ash', 'bash', 'dash', 'docker-init', 'dumb-init', 'fish', 'sh', 'sleep', 'tini', 'zsh']);
  });

  it('parses its inputs defensively', () => {
    expect(parseCgroupProcs('12\n\n x\n13 \n')).toEqual([12, 13]);
    expect([...parseComms('1 a b\nbad\n2 \n')]).toEqual([[1, 'a b'], [2, '']]);
  });
});
