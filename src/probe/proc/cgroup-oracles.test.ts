// Oracle tests: the New Relic and elastic-apm cross-agent specs give the expected container id
// for real /proc/self/cgroup and /proc/self/mountinfo samples. Every case is checked.
import { describe, expect, it } from 'vitest';
import { parseCgroup } from './parse-cgroup.ts';
import { containerIdFromMountinfo } from './parse-mountinfo.ts';
import { listFixtures, readFixture, readFixtureJson } from './test-fixtures.ts';

interface NewRelicCase {
  filename: string;
  containerId: string | null;
}

function newRelicCases(name: string): NewRelicCase[] {
  const raw = readFixtureJson(name);
  if (!Array.isArray(raw)) throw new Error(`${name} is not an array`);
  return raw.map((c: { filename?: unknown; containerId?: unknown }) => {
    if (typeof c.filename !== 'string') throw new Error(`${name}: case without filename`);
    if (c.containerId !== null && typeof c.containerId !== 'string') throw new Error('bad containerId');
    return { filename: c.filename, containerId: c.containerId };
  });
}

/**
 * Where gpuwarden deliberately disagrees with an oracle. New Relic reads the id from the `cpu`
 * controller line only; in no_cpu_subsystem.txt that line is `4:cpu:/` while nine other
 * hierarchies (name=systemd, memory, devices, …) say /docker/<id>. The process IS in that
 * container, and cgroup v2 hosts have no cpu line at all, so gpuwarden reads every hierarchy.
 */
const NEW_RELIC_V1_DEVIATIONS: Record<string, string> = {
  'no_cpu_subsystem.txt': 'f37a7e4d17017e7bf774656b19ca4360c6cdc4951c86700a464101d0d9ce97ee',
};

/** Case files the New Relic index names but whose text was not published with it. */
const NEW_RELIC_V1_MISSING: Record<string, string> = { 'empty.txt': '' };

const V2_BASE = 'newrelic-cat__v2-mountinfo__docker-24.0.2.txt';
const V2_ID = 'b0a24eed1b031271d8ba0784b8f354b3da892dfd08bbcf14dd7e8a1cf9292f65';

/** Synthetic stand-ins (not published) for the v2 index's negative cases, derived from docker-24.0.2. */
function v2Synthetic(filename: string): string | null {
  const base = readFixture(V2_BASE);
  switch (filename) {
    case 'empty.txt':
      return '';
    case 'invalid-characters.txt':
      return base.replaceAll(V2_ID, 'WRONGINCORRECTINVALIDCHARSERRONEOUSBADPHONYBROKEN2TERRIBLENOPE55');
    case 'docker-too-long.txt':
      return base.replaceAll(V2_ID, `${V2_ID}1`);
    case 'invalid-length.txt':
      return base.replaceAll(V2_ID, V2_ID.slice(0, 12));
    default:
      return null;
  }
}

describe('New Relic docker_container_id (cgroup v1) oracle', () => {
  const cases = newRelicCases('newrelic-cat__v1__cases.json');

  it('has the 17 cases of the published index', () => {
    expect(cases).toHaveLength(17);
  });

  it('every case file exists as a fixture unless listed as unpublished', () => {
    const fixtures = new Set(listFixtures());
    for (const c of cases) {
      if (c.filename in NEW_RELIC_V1_MISSING) continue;
      expect(fixtures.has(`newrelic-cat__v1__${c.filename}`), c.filename).toBe(true);
    }
  });

  it.each(cases)('$filename → $containerId', (c) => {
    const text = NEW_RELIC_V1_MISSING[c.filename] ?? readFixture(`newrelic-cat__v1__${c.filename}`);
    const expected = NEW_RELIC_V1_DEVIATIONS[c.filename] ?? c.containerId;
    const info = parseCgroup(text);
    expect(info.containerId).toBe(expected);
    expect(info.invalidLines).toBe(0);
  });

  it('deviates only where New Relic expects null and other hierarchies carry an id', () => {
    for (const [filename, id] of Object.entries(NEW_RELIC_V1_DEVIATIONS)) {
      const c = cases.find((x) => x.filename === filename);
      expect(c?.containerId).toBeNull();
      const text = readFixture(`newrelic-cat__v1__${filename}`);
      const cpu = parseCgroup(text).entries.find((e) => e.controllers.includes('cpu'));
      expect(cpu?.path).toBe('/');
      expect(text.split('\n').filter((l) => l.endsWith(`/docker/${id}`)).length).toBeGreaterThan(5);
    }
  });
});

describe('New Relic docker_container_id_v2 (mountinfo) oracle', () => {
  const cases = newRelicCases('newrelic-cat__v2-mountinfo__cases.json');

  it('has the 6 cases of the published index', () => {
    expect(cases).toHaveLength(6);
  });

  it.each(cases)('$filename → $containerId', (c) => {
    const published = listFixtures().includes(`newrelic-cat__v2-mountinfo__${c.filename}`);
    const text = published ? readFixture(`newrelic-cat__v2-mountinfo__${c.filename}`) : v2Synthetic(c.filename);
    expect(text, `no text for ${c.filename}`).not.toBeNull();
    expect(containerIdFromMountinfo(text ?? '')).toBe(c.containerId);
  });

  it('published samples are only the two real docker captures', () => {
    const published = cases.filter((c) => listFixtures().includes(`newrelic-cat__v2-mountinfo__${c.filename}`));
    expect(published.map((c) => c.filename).sort()).toEqual(['docker-20.10.16.txt', 'docker-24.0.2.txt']);
  });

  it('in such a container /proc/self/cgroup is just 0::/ and gives no id', () => {
    const info = parseCgroup('0::/\n');
    expect(info.containerId).toBeNull();
    expect(info.inContainer).toBe(false);
  });
});

interface ElasticCase {
  name: string;
  cgroup: string[];
  mountinfo: string[] | null;
  containerId: string | null;
  podId: string | null;
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

function elasticV1Cases(): ElasticCase[] {
  const raw = readFixtureJson('elastic-apm__cgroup_parsing_v1only.json') as Record<string, Record<string, unknown>>;
  return Object.entries(raw).map(([name, c]) => ({
    name,
    cgroup: [String(c.groupLine)],
    mountinfo: null,
    containerId: (c.containerId as string | null) ?? null,
    podId: (c.podId as string | null) ?? null,
  }));
}

function elasticDiscoveryCases(): ElasticCase[] {
  const raw = readFixtureJson('elastic-apm__container_metadata_discovery.json') as Record<
    string,
    { files: Record<string, unknown>; containerId: string | null; podId: string | null }
  >;
  return Object.entries(raw).map(([name, c]) => ({
    name,
    cgroup: stringArray(c.files['/proc/self/cgroup']) ?? [],
    mountinfo: stringArray(c.files['/proc/self/mountinfo']),
    containerId: c.containerId,
    podId: c.podId,
  }));
}

/** How the probe resolves a process: cgroup first, mountinfo when the cgroup gives no id. */
function resolveElastic(c: ElasticCase): { containerId: string | null; podUid: string | null } {
  const info = parseCgroup(c.cgroup.join('\n'));
  const fromMounts = c.mountinfo !== null ? containerIdFromMountinfo(c.mountinfo.join('\n')) : null;
  // Fargate 1.4 ids are not docker ids, so they live in their own field (see parse-cgroup.ts).
  return { containerId: info.containerId ?? fromMounts ?? info.fargateContainerId, podUid: info.podUid };
}

describe('elastic-apm cgroup_parsing.json (v1 only, 2022) oracle', () => {
  const cases = elasticV1Cases();
  it('has 4 cases', () => expect(cases).toHaveLength(4));
  it.each(cases)('$name → $containerId / pod $podId', (c) => {
    expect(resolveElastic(c)).toEqual({ containerId: c.containerId, podUid: c.podId });
  });
});

describe('elastic-apm container_metadata_discovery.json oracle', () => {
  const cases = elasticDiscoveryCases();
  it('has 6 cases', () => expect(cases).toHaveLength(6));
  it.each(cases)('$name → $containerId / pod $podId', (c) => {
    expect(resolveElastic(c)).toEqual({ containerId: c.containerId, podUid: c.podId });
  });

  it('cgroup_v2: the cgroup says nothing, the docker bind mounts give the id', () => {
    const c = cases.find((x) => x.name === 'cgroup_v2');
    expect(c?.cgroup).toEqual(['0::/']);
    expect(parseCgroup(c?.cgroup.join('\n') ?? 'x').containerId).toBeNull();
    expect(containerIdFromMountinfo(c?.mountinfo?.join('\n') ?? '')).toBe(c?.containerId);
  });

  it('gardener: mountinfo alone gives the container, not the containerd sandbox id', () => {
    const c = cases.find((x) => x.name === 'gardener');
    const text = c?.mountinfo?.join('\n') ?? '';
    expect(text).toContain('sandboxes/26a006f558da58874bc37863efe9d2b5d715afc54453d95b22a7809a4e65566c');
    expect(containerIdFromMountinfo(text)).toBe(c?.containerId);
    expect(parseCgroup(c?.cgroup.join('\n') ?? '').runtime).toBe('containerd');
  });

  it('awsEcs (Fargate 1.4): in a container, no docker id, the task-style id kept apart', () => {
    const c = cases.find((x) => x.name === 'cgroup_v1_awsEcs');
    const info = parseCgroup(c?.cgroup.join('\n') ?? '');
    expect(info).toMatchObject({ containerId: null, inContainer: true, runtime: 'ecs' });
    expect(info.fargateContainerId).toBe(c?.containerId);
  });
});
