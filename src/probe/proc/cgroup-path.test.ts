import { describe, expect, it } from 'vitest';
import { classifyCgroupPath, isContainerId } from './cgroup-path.ts';

const ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('isContainerId', () => {
  it('accepts exactly 64 lowercase hex', () => {
    expect(isContainerId(ID)).toBe(true);
    expect(isContainerId(ID.toUpperCase())).toBe(false);
    expect(isContainerId(`${ID}0`)).toBe(false);
    expect(isContainerId(ID.slice(1))).toBe(false);
    expect(isContainerId(` ${ID}`)).toBe(false);
    expect(isContainerId(`${ID.slice(1)}g`)).toBe(false);
  });
});

describe('classifyCgroupPath', () => {
  it.each([
    [`/docker/${ID}`, 'docker'],
    [`/system.slice/docker-${ID}.scope`, 'docker'],
    [`/system.slice/docker-${ID}`, 'docker'],
    [`/kubepods.slice/x.slice/cri-containerd-${ID}.scope`, 'containerd'],
    [`/kubepods.slice/x.slice/crio-${ID}.scope`, 'cri-o'],
    [`/machine.slice/libpod-${ID}.scope`, 'podman'],
    [`/machine.slice/libpod-${ID}.scope/container`, 'podman'],
    [`/kubepods/besteffort/pod1/${ID}`, 'kubernetes'],
    [`/ecs/task/${ID}`, 'ecs'],
    [`/lxc/${ID}`, 'docker'],
    [`/${ID}`, 'docker'],
    [`/x.slice:crio:${ID}`, 'cri-o'],
    [`/x.slice:docker:${ID}`, 'docker'],
  ])('%s → %s', (path, runtime) => {
    expect(classifyCgroupPath(path)).toMatchObject({ containerId: ID, runtime });
  });

  it.each([
    ['/docker/abc', 'docker'],
    [`/system.slice/docker-${ID.toUpperCase()}.scope`, 'docker'],
    ['/system.slice/crio-foo.scope', 'cri-o'],
    ['/machine.slice/libpod-short.scope', 'podman'],
    ['/lxc/web1', 'lxc'],
    ['/garden/6f265890-5165-7fab-6b52-18d1', 'garden'],
    ['/ecs/some/thing', 'ecs'],
    ['/kubepods.slice/kubepods-besteffort.slice', 'kubernetes'],
  ])('%s → no id, runtime %s', (path, runtime) => {
    expect(classifyCgroupPath(path)).toMatchObject({ containerId: null, runtime });
  });

  it.each([
    '/',
    '/docker',
    '/docker/',
    '/lxc/',
    '/system.slice/docker.service',
    '/system.slice/containerd.service',
    `/machine.slice/libpod-conmon-${ID}.scope`,
    `/system.slice/crio-conmon-${ID}.scope`,
    '/user.slice/user-1000.slice/session-1.scope',
    '/garden',
    '/ecs',
  ])('%s → host', (path) => {
    expect(classifyCgroupPath(path)).toMatchObject({ containerId: null, runtime: null, fargateContainerId: null });
  });

  it('Fargate 1.4 id only under /ecs', () => {
    const fargate = '8cd79a803caf4d2aa945152e934a5c00-1053176469';
    expect(classifyCgroupPath(`/ecs/8cd79a803caf4d2aa945152e934a5c00/${fargate}`)).toMatchObject({
      containerId: null,
      runtime: 'ecs',
      fargateContainerId: fargate,
    });
    expect(classifyCgroupPath(`/other/${fargate}`).fargateContainerId).toBeNull();
  });

  it('pod UID: underscores become dashes; only under kubepods', () => {
    expect(classifyCgroupPath('/kubepods.slice/kubepods-pod22949dce_fd8b_11ea_8ede_98f2b32c645c.slice').podUid).toBe(
      '22949dce-fd8b-11ea-8ede-98f2b32c645c',
    );
    expect(classifyCgroupPath('/kubepods/burstable/pod3d274242-8ee0-11e9-a8a6-1e68d864ef1a/x').podUid).toBe(
      '3d274242-8ee0-11e9-a8a6-1e68d864ef1a',
    );
    expect(classifyCgroupPath('/other/pod3d274242-8ee0-11e9-a8a6-1e68d864ef1a').podUid).toBeNull();
  });

  it('relative paths are flagged', () => {
    expect(classifyCgroupPath('/../../user-1000.slice/session-520.scope').relative).toBe(true);
    expect(classifyCgroupPath(`/../docker-${ID}.scope`)).toMatchObject({ relative: true, containerId: ID });
    expect(classifyCgroupPath('/user.slice').relative).toBe(false);
  });

  it('does not treat prototype names as parent directories', () => {
    expect(classifyCgroupPath('/constructor/x').runtime).toBeNull();
    expect(classifyCgroupPath('/__proto__/x').runtime).toBeNull();
  });
});
