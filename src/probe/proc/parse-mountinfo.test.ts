import { describe, expect, it } from 'vitest';
import { containerIdFromMountinfo } from './parse-mountinfo.ts';
import { readFixture } from './test-fixtures.ts';

const ID = '6548c6863fb748e72d1e2a4f824fde92f720952d062dede1318c2d6219a672d6';
const OTHER = 'ab'.repeat(32);

function line(root: string, mountPoint: string, fsType = 'ext4'): string {
  return `3996 3984 253:1 ${root} ${mountPoint} rw,relatime shared:1876 - ${fsType} /dev/sda1 rw`;
}

describe('containerIdFromMountinfo', () => {
  it('real docker 20.10.16 and 24.0.2 captures (New Relic)', () => {
    expect(containerIdFromMountinfo(readFixture('newrelic-cat__v2-mountinfo__docker-20.10.16.txt'))).toBe(
      '84cf3472a20d1bfb4b50e48b6ff50d96dfcd812652d76dd907951e6f98997bce',
    );
    expect(containerIdFromMountinfo(readFixture('newrelic-cat__v2-mountinfo__docker-24.0.2.txt'))).toBe(
      'b0a24eed1b031271d8ba0784b8f354b3da892dfd08bbcf14dd7e8a1cf9292f65',
    );
  });

  it('docker with /var/lib/docker on the root filesystem', () => {
    expect(containerIdFromMountinfo(line(`/var/lib/docker/containers/${ID}/hostname`, '/etc/hostname'))).toBe(ID);
  });

  it('podman rootful and rootless', () => {
    expect(
      containerIdFromMountinfo(line(`/var/lib/containers/storage/overlay-containers/${ID}/userdata/resolv.conf`, '/etc/resolv.conf')),
    ).toBe(ID);
    expect(
      containerIdFromMountinfo(
        line(`/home/u/.local/share/containers/storage/overlay-containers/${ID}/userdata/hosts`, '/etc/hosts'),
      ),
    ).toBe(ID);
  });

  it('custom docker data-root: any containers/<id>/hostname mounted on /etc/hostname', () => {
    expect(containerIdFromMountinfo(line(`/srv/dockerdata/containers/${ID}/hostname`, '/etc/hostname'))).toBe(ID);
  });

  it('prefers the /etc bind mounts over other engine dirs (a container that mounts another container\'s dir)', () => {
    const text = [
      line(`/var/lib/docker/containers/${OTHER}/logs`, '/mnt/logs'),
      line(`/var/lib/docker/containers/${ID}/hosts`, '/etc/hosts'),
    ].join('\n');
    expect(containerIdFromMountinfo(text)).toBe(ID);
  });

  it('falls back to any engine container dir', () => {
    expect(containerIdFromMountinfo(line(`/var/lib/docker/containers/${ID}/x`, '/mnt/x'))).toBe(ID);
  });

  it('falls back to the root of a cgroup2 mount', () => {
    const text = line(`/system.slice/docker-${ID}.scope`, '/sys/fs/cgroup', 'cgroup2');
    expect(containerIdFromMountinfo(text)).toBe(ID);
    expect(containerIdFromMountinfo(line(`/system.slice/docker-${ID}.scope`, '/sys/fs/cgroup', 'ext4'))).toBeNull();
  });

  it('ignores containerd sandbox dirs and kubelet pod dirs', () => {
    const text = [
      line(`/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${ID}/hostname`, '/etc/hostname'),
      line('/var/lib/kubelet/pods/121157b5-c67d-4c3e-9052-cb27bbb711fb/etc-hosts', '/etc/hosts'),
    ].join('\n');
    expect(containerIdFromMountinfo(text)).toBeNull();
  });

  it.each([
    ['upper case', ID.toUpperCase()],
    ['too long', `${ID}1`],
    ['too short', ID.slice(0, 12)],
    ['non-hex', `${ID.slice(0, 63)}z`],
  ])('%s id → null', (_label, bad) => {
    expect(containerIdFromMountinfo(line(`/var/lib/docker/containers/${bad}/hostname`, '/etc/hostname'))).toBeNull();
  });

  it('host mountinfo, empty text, CRLF, junk and non-strings', () => {
    expect(containerIdFromMountinfo('22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n')).toBeNull();
    expect(containerIdFromMountinfo('')).toBeNull();
    expect(containerIdFromMountinfo('junk\n\n1 2\n')).toBeNull();
    expect(containerIdFromMountinfo(`${line(`/docker/containers/${ID}/hosts`, '/etc/hosts')}\r\n`)).toBe(ID);
    expect(containerIdFromMountinfo(undefined as unknown as string)).toBeNull();
  });
});
