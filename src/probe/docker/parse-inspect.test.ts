import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { containerSchema } from '../../snapshot/schema.ts';
import { parseDockerInspect } from './parse-inspect.ts';

const FIXTURES = new URL('../../../test/fixtures/docker/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));

function parseOne(file: string) {
  const { containers, errors } = parseDockerInspect(load(file));
  expect(errors).toEqual([]);
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

describe('parseDockerInspect on real inspect files (API form, bare object)', () => {
  it('watchtower net_supplier: compose v2 service, DeviceRequests null, env split on the first "="', () => {
    const c = parseOne('watchtower__container_net_supplier__compose.json');
    expect(c.id).toBe('25e75393800b5c450a6841212a3b92ed28fa35414a586dec9f2c8a520d4910c2');
    expect(c.name).toBe('wt-contnet-producer-1');
    expect(c.image).toBe('qmcgaw/gluetun');
    expect(c.state).toBe('running');
    expect(c.createdAt).toBe('2023-07-25T14:55:14.595Z');
    expect(c.startedAt).toBe('2023-07-25T14:55:15.193Z');
    expect(c.finishedAt).toBeNull();
    expect(c.pid).toBe(3648);
    expect(c.runtime).toBe('runc');
    expect(c.deviceRequests).toBeNull();
    expect(c.devices).toEqual([]);
    expect(c.cgroupParent).toBeNull();
    expect(c.networkMode).toBe('wt-contnet_default');
    expect(c.mounts).toEqual([]);
    expect(c.labels['com.docker.compose.project']).toBe('wt-contnet');
    expect(c.labels['com.docker.compose.service']).toBe('producer');
    expect(c.labels['com.docker.compose.version']).toBe('2.19.1');
    expect(c.labels['com.docker.compose.oneoff']).toBe('False');
    expect(c.labels['com.docker.compose.depends_on']).toBe('');
    expect(c.labels['com.docker.compose.project.working_dir']).toBe('/tmp/wt-contnet');
    expect(c.labels['desktop.docker.io/wsl-distro']).toBe('Ubuntu');
    expect(Object.keys(c.labels)).toHaveLength(22);
    expect(c.env['OPENVPN_PASSWORD']).toBe('');
    expect(c.env['SERVER_COUNTRIES']).toBe('Sweden');
    expect(c.env['HEALTH_SERVER_ADDRESS']).toBe('127.0.0.1:9999');
    expect(c.env['DOT_PRIVATE_ADDRESS']).toBe(
      '127.0.0.1/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16,::1/128,fc00::/7,fe80::/10,::ffff:7f00:1/104,::ffff:a00:0/104,::ffff:a9fe:0/112,::ffff:ac10:0/108,::ffff:c0a8:0/112',
    );
  });

  it('watchtower net_consumer: NetworkMode container:<id>, depends_on label', () => {
    const c = parseOne('watchtower__container_net_consumer__compose_netmode_container.json');
    expect(c.name).toBe('wt-contnet-consumer-1');
    expect(c.image).toBe('nginx');
    expect(c.networkMode).toBe('container:25e75393800b5c450a6841212a3b92ed28fa35414a586dec9f2c8a520d4910c2');
    expect(c.labels['com.docker.compose.depends_on']).toBe('producer:service_started:false');
    expect(c.labels['com.docker.compose.service']).toBe('consumer');
    expect(c.createdAt).toBe('2023-07-25T14:55:14.691Z');
    expect(c.pid).toBe(3743);
    expect(c.deviceRequests).toBeNull();
  });

  it('watchtower portainer: DeviceRequests key absent, 7-digit Created, volume + bind mounts, Labels {}', () => {
    const raw = load('watchtower__container_running__portainer_mounts.json') as { HostConfig: Record<string, unknown> };
    expect('DeviceRequests' in raw.HostConfig).toBe(false);
    const c = parseOne('watchtower__container_running__portainer_mounts.json');
    expect(c.id).toBe('b978af0b858aa8855cce46b628817d4ed58e58f2c4f66c9b9c5449134ed4c008');
    expect(c.name).toBe('portainer');
    expect(c.image).toBe('portainer/portainer:latest');
    expect(c.createdAt).toBe('2019-04-04T20:28:32.571Z');
    expect(c.startedAt).toBe('2019-04-13T22:38:24.498Z');
    expect(c.finishedAt).toBe('2019-04-13T22:38:18.486Z');
    expect(c.labels).toEqual({});
    expect(c.deviceRequests).toBeNull();
    expect(c.networkMode).toBe('default');
    expect(c.devices).toEqual([]);
    expect(c.mounts).toEqual([
      { type: 'volume', source: '/var/lib/docker/volumes/portainer_data/_data', destination: '/data', readOnly: false },
      { type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false },
    ]);
  });

  it('watchtower: one bind, one label, no DeviceRequests key', () => {
    const c = parseOne('watchtower__container_watchtower.json');
    expect(c.name).toBe('watchtower-running');
    expect(c.image).toBe('containrrr/watchtower:latest');
    expect(c.labels).toEqual({ 'com.centurylinklabs.watchtower': 'true' });
    expect(c.createdAt).toBe('2020-04-10T19:51:22.245Z');
    expect(c.deviceRequests).toBeNull();
    expect(c.mounts).toEqual([{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false }]);
  });

  it('distinguishes null from absent in the raw data but maps both to null', () => {
    const supplier = load('watchtower__container_net_supplier__compose.json') as { HostConfig: Record<string, unknown> };
    expect(supplier.HostConfig['DeviceRequests']).toBeNull();
    expect(parseOne('watchtower__container_net_supplier__compose.json').deviceRequests).toBeNull();
  });

  it('CLI form (array) and API form (bare object) give the same result', () => {
    const bare = load('watchtower__container_watchtower.json');
    expect(parseDockerInspect([bare])).toEqual(parseDockerInspect(bare));
  });

  it('every real container fits the snapshot schema once classified', () => {
    for (const file of [
      'watchtower__container_net_supplier__compose.json',
      'watchtower__container_net_consumer__compose_netmode_container.json',
      'watchtower__container_running__portainer_mounts.json',
      'watchtower__container_watchtower.json',
    ]) {
      const c = parseOne(file);
      const full = {
        ...c,
        class: 'docker',
        protected: false,
        owner: { user: null, uid: null, method: 'unknown' },
        gpu: { requested: 'none', count: 0, deviceIds: [], uuids: [], via: 'none' },
      };
      expect(containerSchema.safeParse(full).success, file).toBe(true);
    }
  });
});

describe('parseDockerInspect on real list files (GET /containers/json form)', () => {
  it('watchtower list: names, states, unix Created', () => {
    const { containers, errors } = parseDockerInspect(load('watchtower__containers_list.json'));
    expect(errors).toEqual([]);
    expect(containers.map((c) => c.name)).toEqual(['watchtower-stopped', 'watchtower-running', 'portainer', 'portainer']);
    expect(containers.map((c) => c.state)).toEqual(['exited', 'running', 'running', 'restarting']);
    expect(containers[0]!.createdAt).toBe('2019-04-10T19:51:22.000Z');
    expect(containers[2]!.createdAt).toBe('2019-04-04T20:28:32.000Z');
    expect(containers[0]!.image).toBe('containrrr/watchtower:latest');
    expect(containers[0]!.startedAt).toBeNull();
    expect(containers[0]!.pid).toBeNull();
    expect(containers[3]!.mounts[0]).toEqual({
      type: 'volume',
      source: '/var/lib/docker/volumes/portainer_data/_data',
      destination: '/data',
      readOnly: false,
    });
  });

  it('prometheus dockerprom: compose v1 names and labels, NetworkMode host / container:<id>', () => {
    const { containers, errors } = parseDockerInspect(load('prometheus__dockerprom_containers_json.json'));
    expect(errors).toEqual([]);
    expect(containers.map((c) => c.name)).toEqual([
      'dockersd_node_1',
      'dockersd_noport_1',
      'dockersd_host_networking_1',
      'dockersd_mysql',
      'dockersd_mysql_exporter',
      'dockersd_multi_networks',
    ]);
    expect(containers.map((c) => c.networkMode)).toEqual([
      'dockersd_default',
      'dockersd_default',
      'host',
      'dockersd_private',
      'container:f9ade4b83199d6f83020b7c0bfd1e8281b19dbf9e6cef2cf89bc45c8f8d20fe8',
      'dockersd_private_none',
    ]);
    expect(containers[0]!.labels['com.docker.compose.version']).toBe('1.25.0');
    expect(containers[0]!.labels['com.docker.compose.project']).toBe('dockersd');
    expect(containers[3]!.labels['com.docker.compose.version']).toBe('2.2.2');
    // The published file lists one Id twice; parsing keeps both (dedupe is the caller's choice).
    expect(containers[0]!.id).toBe(containers[1]!.id);
    expect(containers[2]!.createdAt).toBe('2021-07-28T02:48:14.000Z');
  });

  it('prometheus dockeripv6: a minimal entry leaves everything else empty or null', () => {
    const { containers, errors } = parseDockerInspect(load('prometheus__dockeripv6_containers_json.json'));
    expect(errors).toEqual([]);
    expect(containers).toEqual([
      {
        id: 'd43780927f21e5c56cc823545ddd546ac01cbcdd3d4d69104d01d4217e2361aa',
        name: 'web-server',
        image: null,
        state: 'unknown',
        createdAt: null,
        startedAt: null,
        finishedAt: null,
        pid: null,
        labels: {},
        env: {},
        runtime: null,
        deviceRequests: null,
        devices: [],
        cgroupParent: null,
        networkMode: 'mynetwork',
        mounts: [],
      },
    ]);
  });
});

describe('parseDockerInspect on the synthetic fixtures', () => {
  it('parses every element of both synthetic inspect arrays', () => {
    for (const [file, count] of [
      ['synthetic__gpu_requests__docker_inspect.json', 13],
      ['synthetic__owners__docker_inspect.json', 16],
    ] as const) {
      const { containers, errors } = parseDockerInspect(load(file));
      expect(errors, file).toEqual([]);
      expect(containers, file).toHaveLength(count);
    }
  });

  it('keeps DeviceRequests raw, reads cgroup parent, ro binds and 9-digit FinishedAt', () => {
    const { containers } = parseDockerInspect(load('synthetic__owners__docker_inspect.json'));
    const byName = new Map(containers.map((c) => [c.name, c]));
    const ds01 = byName.get('thesis._.1001')!;
    expect(ds01.cgroupParent).toBe('ds01-student-h_baker.slice');
    expect(ds01.deviceRequests).toEqual([
      { Driver: 'nvidia', Count: 0, DeviceIDs: ['MIG-4d0efb7d-0970-51d9-b761-0686be6b8af3'], Capabilities: [['gpu']], Options: null },
    ]);
    expect(byName.get('carol-train')!.mounts[1]).toEqual({ type: 'bind', source: '/home/carol/data', destination: '/data', readOnly: true });
    const exited = byName.get('app-trainer-1')!;
    expect(exited.state).toBe('exited');
    expect(exited.pid).toBeNull();
    expect(exited.finishedAt).toBe('2026-07-21T02:00:00.000Z');
    expect(byName.get('lonely')!.env).toEqual({ PATH: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
  });
});

describe('parseDockerInspect leniency and errors', () => {
  const good = { Id: 'B'.repeat(64), Name: '/good', State: { Status: 'Running', Pid: 0 } };

  it('lowercases the id and state, strips one leading slash, Pid 0 → null', () => {
    const { containers } = parseDockerInspect(good);
    expect(containers[0]).toMatchObject({ id: 'b'.repeat(64), name: 'good', state: 'running', pid: null });
  });

  it('a bad element becomes an error naming its index and issue path; the others still parse', () => {
    const { containers, errors } = parseDockerInspect([
      good,
      { Id: 'nope' },
      42,
      { ...good, Config: { Labels: 'x=y' } },
      { ...good, HostConfig: { DeviceRequests: { Driver: 'nvidia' } } },
      { ...good, Id: 'c'.repeat(64) },
    ]);
    expect(containers.map((c) => c.id)).toEqual(['b'.repeat(64), 'c'.repeat(64)]);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^docker inspect element 1: Id: /);
    expect(errors[1]).toMatch(/^docker inspect element 2: \(root\): /);
    expect(errors[2]).toMatch(/^docker inspect element 3: Config\.Labels: /);
    expect(errors[3]).toMatch(/^docker inspect element 4: HostConfig\.DeviceRequests: /);
  });

  it('unknown keys are ignored and null everywhere is fine', () => {
    const { containers, errors } = parseDockerInspect({
      Id: 'd'.repeat(64),
      Name: null,
      State: null,
      Config: { Labels: null, Env: null, Image: null, Whatever: [1, 2] },
      HostConfig: { DeviceRequests: null, Devices: null, Runtime: null, NewField: true },
      Mounts: null,
      Brand_New_Key: { nested: true },
    });
    expect(errors).toEqual([]);
    expect(containers[0]).toMatchObject({ name: '', state: 'unknown', labels: {}, env: {}, mounts: [], devices: [], runtime: null });
  });

  it('Mode "ro" or RW false makes a mount read-only; a missing type is "unknown"', () => {
    const { containers } = parseDockerInspect({
      ...good,
      Mounts: [
        { Type: 'bind', Source: '/a', Destination: '/a', Mode: 'ro', RW: true },
        { Type: 'bind', Source: '/b', Destination: '/b', Mode: '', RW: false },
        { Type: 'bind', Source: '/c', Destination: '/c', Mode: 'z', RW: true },
        { Source: '', Destination: '/tmp' },
      ],
    });
    expect(containers[0]!.mounts).toEqual([
      { type: 'bind', source: '/a', destination: '/a', readOnly: true },
      { type: 'bind', source: '/b', destination: '/b', readOnly: true },
      { type: 'bind', source: '/c', destination: '/c', readOnly: false },
      { type: 'unknown', source: null, destination: '/tmp', readOnly: false },
    ]);
  });

  it('env: first "=" splits, later duplicates win, entries without "=" are dropped', () => {
    const { containers } = parseDockerInspect({ ...good, Config: { Env: ['A=1=2', 'B=', 'C', 'A=3', '=x'] } });
    expect(containers[0]!.env).toEqual({ A: '3', B: '' });
  });

  it('Config.Image wins over the sha256 Image; Devices give their host paths', () => {
    const { containers } = parseDockerInspect({
      ...good,
      Image: 'sha256:abc',
      Config: { Image: 'pytorch/pytorch:2.3.0' },
      HostConfig: { Devices: [{ PathOnHost: '/dev/nvidia0', PathInContainer: '/dev/nvidia0' }, { PathOnHost: '' }] },
    });
    expect(containers[0]!.image).toBe('pytorch/pytorch:2.3.0');
    expect(containers[0]!.devices).toEqual(['/dev/nvidia0']);
  });

  it('top-level junk is one error, never a throw', () => {
    for (const junk of [null, undefined, 42, 'text', true]) {
      const { containers, errors } = parseDockerInspect(junk);
      expect(containers).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^docker inspect: expected an array or an object/);
    }
    expect(parseDockerInspect([])).toEqual({ containers: [], errors: [] });
  });

  it('list form: prefers the plain name over link aliases', () => {
    const { containers } = parseDockerInspect({ Id: 'e'.repeat(64), Names: ['/web/db', '/db'], State: 'Exited' });
    expect(containers[0]).toMatchObject({ name: 'db', state: 'exited' });
  });

  it('clips very long error messages', () => {
    const { errors } = parseDockerInspect([{ Id: 'x'.repeat(5000) }]);
    expect(errors[0]!.length).toBeLessThanOrEqual(500);
  });
});

describe('parseDockerInspect on documents kept across cycles', () => {
  it('validates a document object once: the same object gives the same container, an equal copy an equal one', () => {
    const element = { Id: 'b'.repeat(64), Name: '/kept', State: { Status: 'running', Pid: 7 }, Config: { Labels: { a: '1' } } };
    const first = parseDockerInspect([element]).containers[0];
    expect(first).toMatchObject({ name: 'kept', pid: 7 });
    expect(parseDockerInspect([element]).containers[0]).toBe(first);
    const copy = parseDockerInspect([structuredClone(element)]).containers[0];
    expect(copy).toEqual(first);
    expect(copy).not.toBe(first);
  });
});
