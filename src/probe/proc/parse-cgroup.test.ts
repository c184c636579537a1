import { describe, expect, it } from 'vitest';
import { parseCgroup, type CgroupInfo } from './parse-cgroup.ts';
import { containerIdFromMountinfo } from './parse-mountinfo.ts';
import { listCgroupFixtures, listFixtures, readFixture } from './test-fixtures.ts';

const ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

function summary(info: CgroupInfo): Pick<CgroupInfo, 'containerId' | 'runtime' | 'inContainer' | 'invalidLines'> {
  const { containerId, runtime, inContainer, invalidLines } = info;
  return { containerId, runtime, inContainer, invalidLines };
}

describe('every published fixture', () => {
  it('there are 42 of them (41 files + none missing)', () => {
    expect(listFixtures()).toHaveLength(42);
  });

  it.each(listFixtures())('%s parses without throwing', (name) => {
    const text = readFixture(name);
    expect(() => parseCgroup(text)).not.toThrow();
    expect(() => containerIdFromMountinfo(text)).not.toThrow();
  });

  it.each(listCgroupFixtures())('%s: one entry per well-formed line', (name) => {
    const text = readFixture(name);
    const info = parseCgroup(text);
    const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
    expect(info.entries.length + info.invalidLines).toBe(nonBlank);
    expect(info.invalidLines).toBe(name === 'libdatadog__cgroup.edge_cases.txt' ? 1 : 0);
    for (const entry of info.entries) expect(entry.path.startsWith('/')).toBe(true);
    if (info.containerId !== null) expect(info.containerId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('mountinfo files are not cgroup files: every line is invalid', () => {
    const text = readFixture('newrelic-cat__v2-mountinfo__docker-24.0.2.txt');
    const info = parseCgroup(text);
    expect(info.entries).toEqual([]);
    expect(info.invalidLines).toBe(text.trimEnd().split('\n').length);
    expect(info.invalidLines).toBe(21);
  });
});

describe('synthetic cases (hand-written by gpuwarden, not captures)', () => {
  it.each([
    ['DS01 --cgroup-parent slice, v2', `0::/ds01.slice/ds01-student.slice/ds01-student-h_baker.slice/docker-${ID}.scope`, 'docker'],
    ['DS01 slice, hybrid v1 memory line', `4:memory:/ds01.slice/ds01-researcher.slice/ds01-researcher-228755.slice/docker-${ID}.scope`, 'docker'],
    ['docker cgroupfs v2', `0::/docker/${ID}`, 'docker'],
    ['docker systemd v2', `0::/system.slice/docker-${ID}.scope`, 'docker'],
    ['rootless docker', `0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-${ID}.scope`, 'docker'],
    ['podman rootful', `0::/machine.slice/libpod-${ID}.scope/container`, 'podman'],
    ['podman rootless', `0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container`, 'podman'],
    ['cri-o systemd', `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b3c4d_0000_1111_2222_333344445555.slice/crio-${ID}.scope`, 'cri-o'],
    ['containerd in a non-delegated service (kind)', `0::/system.slice/containerd.service/kubepods-burstable-pod2c4b2241_5c01_11e9_8e4e_42010a800002.slice:cri-containerd:${ID}`, 'containerd'],
    ['k8s cgroupfs v2', `0::/kubepods/besteffort/pod1a2b3c4d-0000-1111-2222-333344445555/${ID}`, 'kubernetes'],
    ['systemd inside a docker container (host view)', `0::/system.slice/docker-${ID}.scope/init.scope`, 'docker'],
    ['custom --cgroup-parent', `0::/gpu-jobs/${ID}`, 'docker'],
  ])('%s', (_label, line, runtime) => {
    const info = parseCgroup(`${line}\n`);
    expect(summary(info)).toEqual({ containerId: ID, runtime, inContainer: true, invalidLines: 0 });
  });

  it('this machine type: hybrid v1 lines plus 0::/docker/<id>', () => {
    const text = `12:cpuset:/docker/${ID}\n11:memory:/docker/${ID}\n3:cpu,cpuacct:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/docker/${ID}\n`;
    const info = parseCgroup(text);
    expect(info.containerId).toBe(ID);
    expect(info.entries).toHaveLength(5);
    expect(info.entries.at(-1)).toEqual({ hierarchyId: 0, controllers: [], path: `/docker/${ID}` });
  });

  it('docker-in-docker / kind: the outermost id is the one the host engine knows', () => {
    const inner = 'ff'.repeat(32);
    const info = parseCgroup(`0::/system.slice/docker-${ID}.scope/docker/${inner}\n`);
    expect(info.containerId).toBe(ID);
  });

  it.each([
    ['login session', '0::/user.slice/user-1001.slice/session-3.scope'],
    ['systemd service', '0::/system.slice/foo.service'],
    ['dockerd itself', '0::/system.slice/docker.service'],
    ['containerd shims', '0::/system.slice/containerd.service'],
    ['podman conmon (host side of a container)', `0::/machine.slice/libpod-conmon-${ID}.scope`],
    ['root', '0::/'],
    ['init', '0::/init.scope'],
    ['sandbox with a 32-hex dir', '4:memory:/process_api/ca83d23307c1f97bc76249e37bf6a25a\n0::/'],
  ])('host process: %s', (_label, text) => {
    expect(summary(parseCgroup(text))).toEqual({ containerId: null, runtime: null, inContainer: false, invalidLines: 0 });
  });

  it('CRLF line endings and blank lines are tolerated', () => {
    const info = parseCgroup(`\r\n2:cpu:/docker/${ID}\r\n\r\n1:name=systemd:/\r\n`);
    expect(info.entries).toEqual([
      { hierarchyId: 2, controllers: ['cpu'], path: `/docker/${ID}` },
      { hierarchyId: 1, controllers: ['name=systemd'], path: '/' },
    ]);
    expect(info.containerId).toBe(ID);
  });

  it('splits on the first two colons only: the path keeps its colons', () => {
    const info = parseCgroup('0::/a:b:c/d\n');
    expect(info.entries).toEqual([{ hierarchyId: 0, controllers: [], path: '/a:b:c/d' }]);
  });

  it('junk lines are counted, never thrown', () => {
    const info = parseCgroup('garbage\nx:cpu:/\n3:cpu\n4:cpu:relative\n5:cpu:/ok\n::/\n');
    expect(info.invalidLines).toBe(4);
    expect(info.entries).toEqual([
      { hierarchyId: 5, controllers: ['cpu'], path: '/ok' },
      { hierarchyId: null, controllers: [], path: '/' },
    ]);
  });

  it('empty input and non-string input give an empty result', () => {
    for (const input of ['', '\n\n', null as unknown as string, 42 as unknown as string]) {
      expect(parseCgroup(input)).toEqual({
        entries: [],
        containerId: null,
        runtime: null,
        inContainer: false,
        invalidLines: 0,
        fargateContainerId: null,
        podUid: null,
        relativePaths: false,
      });
    }
  });

  it('the first line carrying an id wins', () => {
    const other = 'ab'.repeat(32);
    expect(parseCgroup(`2:cpu:/docker/${other}\n0::/docker/${ID}\n`).containerId).toBe(other);
  });
});
