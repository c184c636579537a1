// Explicit expectations for each published libdatadog, elastic-agent-system-metrics and
// New Relic cgroup file (the container ids of the New Relic files are in cgroup-oracles.test.ts).
import { describe, expect, it } from 'vitest';
import { parseCgroup, type CgroupInfo } from './parse-cgroup.ts';
import { readFixture } from './test-fixtures.ts';

function summary(info: CgroupInfo): Pick<CgroupInfo, 'containerId' | 'runtime' | 'inContainer' | 'invalidLines'> {
  const { containerId, runtime, inContainer, invalidLines } = info;
  return { containerId, runtime, inContainer, invalidLines };
}

describe('libdatadog fixtures', () => {
  it('docker cgroupfs v1: 14 hierarchies under /docker/<id>, rdma at root', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.docker.txt'));
    const id = '9d5b23edb1ba181e8910389a99906598d69ac9a0ead109ee55730cc416d95f7f';
    expect(summary(info)).toEqual({ containerId: id, runtime: 'docker', inContainer: true, invalidLines: 0 });
    expect(info.entries).toHaveLength(14);
    expect(info.entries[0]).toEqual({ hierarchyId: 14, controllers: ['name=systemd'], path: `/docker/${id}` });
    expect(info.entries[1]).toEqual({ hierarchyId: 13, controllers: ['rdma'], path: '/' });
  });

  it('ECS on EC2: /ecs/<cluster>/<task>/<64 hex>', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.ecs.txt'));
    expect(summary(info)).toEqual({
      containerId: '38fac3e99302b3622be089dd41e7ccf38aff368a86cc339972075136ee2710ce',
      runtime: 'ecs',
      inContainer: true,
      invalidLines: 0,
    });
  });

  it('Fargate 1.3: /ecs/<task uuid>/<64 hex>', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.fargate.txt'));
    expect(info.containerId).toBe('432624d2150b349fe35ba397284dea788c2bf66b885d14dfc1569b01890ca7da');
    expect(info.runtime).toBe('ecs');
    expect(info.fargateContainerId).toBeNull();
  });

  it('Fargate 1.4: <32 hex>-<digits> is not a docker id but is a container', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.fargate.1.4.txt'));
    expect(summary(info)).toEqual({ containerId: null, runtime: 'ecs', inContainer: true, invalidLines: 0 });
    expect(info.fargateContainerId).toBe('8cd79a803caf4d2aa945152e934a5c00-1053176469');
    expect(info.entries.find((e) => e.hierarchyId === 9)?.controllers).toEqual(['net_cls', 'net_prio']);
    expect(info.entries.at(-1)).toMatchObject({ hierarchyId: 1, controllers: ['name=systemd'] });
  });

  it('Kubernetes cgroupfs: /kubepods/<qos>/pod<uid>/<64 hex>', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.kubernetes.txt'));
    expect(summary(info)).toEqual({
      containerId: '3e74d3fd9db4c9dd921ae05c2502fb984d0cde1b36e581b13f79c639da4518a1',
      runtime: 'kubernetes',
      inContainer: true,
      invalidLines: 0,
    });
    expect(info.podUid).toBe('3d274242-8ee0-11e9-a8a6-1e68d864ef1a');
  });

  it.each(['libdatadog__cgroup.linux.txt', 'libdatadog__cgroup.multiple_controllers.txt'])(
    '%s: host login session, not a container',
    (name) => {
      const info = parseCgroup(readFixture(name));
      expect(summary(info)).toEqual({ containerId: null, runtime: null, inContainer: false, invalidLines: 0 });
      expect(info.entries.some((e) => e.path === '/user.slice/user-0.slice/session-14.scope')).toBe(true);
    },
  );

  it('multiple_controllers: memory,pids is split into two controllers', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.multiple_controllers.txt'));
    expect(info.entries.find((e) => e.hierarchyId === 9)?.controllers).toEqual(['memory', 'pids']);
  });

  it('Cloud Foundry garden, last line without newline', () => {
    const text = readFixture('libdatadog__cgroup.pcf.txt');
    expect(text.endsWith('\n')).toBe(false);
    const info = parseCgroup(text);
    expect(summary(info)).toEqual({ containerId: null, runtime: 'garden', inContainer: true, invalidLines: 0 });
    expect(info.entries).toHaveLength(12);
    expect(info.entries.at(-1)?.path).toBe('/system.slice/garden.service/garden/6f265890-5165-7fab-6b52-18d1');
  });

  it('upper-case hex is not an id (negative case)', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.upper.txt'));
    expect(info.containerId).toBeNull();
    // The path is still docker's, so the process is in some container we cannot name.
    expect(info.inContainer).toBe(true);
    expect(info.runtime).toBe('docker');
  });

  it('spaces around the id: not an id (negative case), paths kept verbatim', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.whitespace.txt'));
    expect(info.containerId).toBeNull();
    expect(info.entries[0]?.path).toBe('/docker/     3726184226f5d3147c25fdeab5b60097e378e8a720503a5e19ecfdf29f869860    ');
  });

  it('edge cases: truncated, empty, padded and non-hex ids, one junk line', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.edge_cases.txt'));
    expect(summary(info)).toEqual({ containerId: null, runtime: 'docker', inContainer: true, invalidLines: 1 });
    expect(info.entries.map((e) => e.hierarchyId)).toEqual([14, 12, 11, 10, 9, 8]);
    expect(info.entries.find((e) => e.hierarchyId === 11)?.path).toBe('/docker/');
  });

  it('hybrid with 0::/ first, then v1 controllers (host session)', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.v1_with_id_0.txt'));
    expect(info.entries[0]).toEqual({ hierarchyId: 0, controllers: [], path: '/' });
    expect(summary(info)).toEqual({ containerId: null, runtime: null, inContainer: false, invalidLines: 0 });
  });

  it('pure v2 0::/ (namespaced view): no id, no container evidence', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.v2.txt'));
    expect(info.entries).toEqual([{ hierarchyId: 0, controllers: [], path: '/' }]);
    expect(info.inContainer).toBe(false);
  });

  it('pure v2 custom path: not a container', () => {
    const info = parseCgroup(readFixture('libdatadog__cgroup.v2_custom_path.txt'));
    expect(info.entries).toEqual([{ hierarchyId: 0, controllers: [], path: '/custom/path' }]);
    expect(summary(info)).toEqual({ containerId: null, runtime: null, inContainer: false, invalidLines: 0 });
  });
});

describe('elastic-agent-system-metrics fixtures', () => {
  it('EKS pod: k8s systemd slice with cri-containerd scope, hybrid 0::/ last', () => {
    const info = parseCgroup(readFixture('elastic-asm__amzn2-eks__pid493239.cgroup'));
    expect(summary(info)).toEqual({
      containerId: '1d3d308a7d48a27814a68bf33a44acf4441c9c02463ca0bc1cdfdc8c0b4a8496',
      runtime: 'containerd',
      inContainer: true,
      invalidLines: 0,
    });
    expect(info.podUid).toBe('7a96c459-d529-44ae-9f99-90d3798d6426');
    expect(info.entries).toHaveLength(12);
    expect(info.entries.at(-1)).toEqual({ hierarchyId: 0, controllers: [], path: '/' });
  });

  it('EKS host pid 1: every controller at /', () => {
    const info = parseCgroup(readFixture('elastic-asm__amzn2-eks__pid1.cgroup'));
    expect(info.entries).toHaveLength(12);
    expect(info.entries.every((e) => e.path === '/')).toBe(true);
    expect(info.inContainer).toBe(false);
  });

  it('docker v1 cgroupfs', () => {
    const info = parseCgroup(readFixture('elastic-asm__docker-v1__pid985.cgroup'));
    expect(summary(info)).toEqual({
      containerId: 'b29faf21b7eff959f64b4192c34d5d67a707fe8561e9eaa608cb27693fba4242',
      runtime: 'docker',
      inContainer: true,
      invalidLines: 0,
    });
    expect(info.entries).toHaveLength(10);
  });

  it('docker v2 systemd (host view), single line without newline', () => {
    const info = parseCgroup(readFixture('elastic-asm__docker-v2-systemd__pid312.cgroup'));
    expect(info.entries).toHaveLength(1);
    expect(info.containerId).toBe('1c8fa019edd4b9d4b2856f4932c55929c5c118c808ed5faee9a135ca6e84b039');
    expect(info.runtime).toBe('docker');
  });

  it('relative .. path read from inside a cgroup namespace: host session, flagged', () => {
    const info = parseCgroup(readFixture('elastic-asm__docker2-v2-relative__pid2233801.cgroup'));
    expect(info.entries).toEqual([{ hierarchyId: 0, controllers: [], path: '/../../user-1000.slice/session-520.scope' }]);
    expect(info.relativePaths).toBe(true);
    expect(info.inContainer).toBe(false);
  });

  it('Ubuntu 18.04 host service, hybrid with 0:: last', () => {
    const info = parseCgroup(readFixture('elastic-asm__ubuntu1804-host__pid3757.cgroup'));
    expect(info.entries).toHaveLength(13);
    expect(info.entries.at(-1)?.path).toBe('/system.slice/networkd-dispatcher.service');
    expect(summary(info)).toEqual({ containerId: null, runtime: null, inContainer: false, invalidLines: 0 });
    expect(info.relativePaths).toBe(false);
  });
});

describe('New Relic v1 fixtures beyond the container id', () => {
  it('Heroku: nine controllers in one hierarchy, /lxc/<uuid> is LXC not docker', () => {
    const info = parseCgroup(readFixture('newrelic-cat__v1__heroku.txt'));
    expect(info.entries[0]?.controllers).toHaveLength(9);
    expect(summary(info)).toEqual({ containerId: null, runtime: 'lxc', inContainer: true, invalidLines: 0 });
  });

  it('Ubuntu 14.04 LXC container /lxc/p1', () => {
    expect(summary(parseCgroup(readFixture('newrelic-cat__v1__ubuntu-14.04-lxc-container.txt')))).toEqual({
      containerId: null,
      runtime: 'lxc',
      inContainer: true,
      invalidLines: 0,
    });
  });

  it('docker 1.1.2 LXC exec driver: /lxc/<64 hex> is a docker container', () => {
    const info = parseCgroup(readFixture('newrelic-cat__v1__docker-1.1.2-lxc-driver.txt'));
    expect(info.runtime).toBe('docker');
    expect(info.containerId).toBe('cb8c113e5f3cf8332f5231f8154adc429ea910f7c29995372de4f571c55d3159');
  });

  it.each(['newrelic-cat__v1__ubuntu-14.04-no-container.txt', 'newrelic-cat__v1__ubuntu-14.10-no-container.txt'])(
    '%s: host',
    (name) => expect(parseCgroup(readFixture(name)).inContainer).toBe(false),
  );

  it.each([
    'newrelic-cat__v1__docker-too-long.txt',
    'newrelic-cat__v1__invalid-characters.txt',
    'newrelic-cat__v1__invalid-length.txt',
  ])('%s: negative, but still docker-shaped', (name) => {
    expect(summary(parseCgroup(readFixture(name)))).toEqual({
      containerId: null,
      runtime: 'docker',
      inContainer: true,
      invalidLines: 0,
    });
  });

  it('cpuacct,cpu order is kept as written', () => {
    const info = parseCgroup(readFixture('newrelic-cat__v1__docker-1.1.2-native-driver-systemd.txt'));
    expect(info.entries.find((e) => e.hierarchyId === 3)?.controllers).toEqual(['cpuacct', 'cpu']);
  });
});
