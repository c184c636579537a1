import { describe, expect, it } from 'vitest';
import { cgroupCounterDirs } from './cgroup-counter-dirs.ts';
import { fixture } from './test-fixtures.ts';

const ID = '54204b256ba12633accb7cd0d46689ca89e374bd8184ba0f1b759dd9de3341f8';

describe('cgroupCounterDirs', () => {
  it('a hybrid host (real capture): v1 cpuacct first, the unified hierarchy as v2', () => {
    const dirs = cgroupCounterDirs(fixture('gwp-burn', 1, 'proc-cgroup'), '/sys/fs/cgroup');
    expect(dirs.v1[0]).toBe(`/sys/fs/cgroup/cpuacct/docker/${ID}`);
    expect(dirs.v1).toContain(`/sys/fs/cgroup/cpu,cpuacct/docker/${ID}`);
    expect(dirs.v2).toEqual([`/sys/fs/cgroup/docker/${ID}`, `/sys/fs/cgroup/unified/docker/${ID}`]);
  });

  it('pure v2 with the systemd driver', () => {
    const scope = `/system.slice/docker-${ID}.scope`;
    expect(cgroupCounterDirs(`0::${scope}\n`, '/host/sys/fs/cgroup')).toEqual({
      v1: [],
      v2: [`/host/sys/fs/cgroup${scope}`, `/host/sys/fs/cgroup/unified${scope}`],
    });
  });

  it('v1 with combined cpu,cpuacct controllers (either order)', () => {
    expect(cgroupCounterDirs('4:cpuacct,cpu:/docker/abc\n', '/c').v1).toEqual(['/c/cpuacct,cpu/docker/abc', '/c/cpuacct/docker/abc', '/c/cpu,cpuacct/docker/abc']);
  });

  it('cannot locate a cgroup seen from inside its own namespace (`0::/`) or through `..`', () => {
    expect(cgroupCounterDirs('0::/\n', '/c')).toEqual({ v1: [], v2: [] });
    expect(cgroupCounterDirs('0::/../../docker-x.scope\n', '/c')).toEqual({ v1: [], v2: [] });
    expect(cgroupCounterDirs('garbage', '/c')).toEqual({ v1: [], v2: [] });
  });
});
