import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCgroup, type CgroupInfo } from './parse-cgroup.ts';
import { containerIdFromMountinfo } from './parse-mountinfo.ts';
import { listCgroupFixtures, readFixture } from './test-fixtures.ts';

const RUNS = { numRuns: 300 };
const HEX = [...'0123456789abcdef'];

const hexId = fc.string({ unit: fc.constantFrom(...HEX), minLength: 64, maxLength: 64 });
const hex32 = fc.string({ unit: fc.constantFrom(...HEX), minLength: 32, maxLength: 32 });
const podUid = fc.uuid().map((u) => u.toLowerCase());

/** Characters that matter to the parser, to reach more interesting inputs than random text. */
const cgroupish = fc.string({
  unit: fc.constantFrom(...':/,\n\r \t.-=_0123456789abcdefABCDEFdockerlibpodcri-scopeslice'),
  maxLength: 400,
});

function checkInvariants(info: CgroupInfo, text: string): void {
  const nonBlank = text.split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
  expect(info.entries.length + info.invalidLines).toBe(nonBlank);
  if (info.containerId !== null) {
    expect(info.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(info.inContainer).toBe(true);
  }
  if (info.inContainer) expect(info.containerId !== null || info.runtime !== null).toBe(true);
  for (const e of info.entries) expect(e.path.startsWith('/')).toBe(true);
}

describe('parseCgroup never throws', () => {
  it('on arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        checkInvariants(parseCgroup(text), text);
        expect(() => containerIdFromMountinfo(text)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('on cgroup-shaped noise', () => {
    fc.assert(
      fc.property(cgroupish, (text) => {
        checkInvariants(parseCgroup(text), text);
        const id = containerIdFromMountinfo(text);
        if (id !== null) expect(id).toMatch(/^[0-9a-f]{64}$/);
      }),
      RUNS,
    );
  });

  type Mutation =
    | { kind: 'delete'; at: number }
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'swap'; a: number; b: number }
    | { kind: 'duplicate'; at: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'crlf' };

  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 8 }) }),
    fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('crlf' as const) }),
  );

  function mutate(text: string, m: Mutation): string {
    const lines = text.split('\n');
    const pick = (n: number): number => (lines.length === 0 ? 0 : n % lines.length);
    switch (m.kind) {
      case 'delete': {
        const at = text.length === 0 ? 0 : m.at % text.length;
        return text.slice(0, at) + text.slice(at + 1);
      }
      case 'insert': {
        const at = m.at % (text.length + 1);
        return text.slice(0, at) + m.text + text.slice(at);
      }
      case 'swap': {
        const a = pick(m.a);
        const b = pick(m.b);
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        return lines.join('\n');
      }
      case 'duplicate':
        lines.splice(pick(m.at), 0, lines[pick(m.at)] ?? '');
        return lines.join('\n');
      case 'truncate':
        return text.slice(0, m.at % (text.length + 1));
      case 'crlf':
        return text.replaceAll('\n', '\r\n');
    }
  }

  it('on real fixtures with random line mutations', () => {
    const fixtures = listCgroupFixtures().map((name) => readFixture(name));
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { maxLength: 6 }), (text, mutations) => {
        const mutated = mutations.reduce(mutate, text);
        checkInvariants(parseCgroup(mutated), mutated);
      }),
      RUNS,
    );
  });

  it('CRLF conversion and line order never change the answer for real fixtures', () => {
    const fixtures = listCgroupFixtures().map((name) => readFixture(name));
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), (text) => {
        const plain = parseCgroup(text);
        const crlf = parseCgroup(text.replaceAll('\n', '\r\n'));
        expect(crlf).toEqual(plain);
        const reversed = parseCgroup(text.split('\n').reverse().join('\n'));
        expect(reversed.inContainer).toBe(plain.inContainer);
        expect(reversed.containerId).toBe(plain.containerId);
      }),
      { numRuns: 60 },
    );
  });
});

type Form = (id: string, pod: string, task: string) => string;

/** Every known way a container id appears in a cgroup path. */
const FORMS: Record<string, Form> = {
  'docker cgroupfs': (id) => `/docker/${id}`,
  'docker systemd': (id) => `/system.slice/docker-${id}.scope`,
  'DS01 slice': (id) => `/ds01.slice/ds01-student.slice/ds01-student-h_baker.slice/docker-${id}.scope`,
  'custom parent': (id) => `/custom-foobar/${id}`,
  'GKE bare': (id) => `/${id}`,
  'LXC driver': (id) => `/lxc/${id}`,
  'ECS': (id, _pod, task) => `/ecs/${task}/${id}`,
  'k8s cgroupfs': (id, pod) => `/kubepods/burstable/pod${pod}/${id}`,
  'k8s systemd containerd': (id, pod) =>
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${pod.replaceAll('-', '_')}.slice/cri-containerd-${id}.scope`,
  'k8s systemd cri-o': (id, pod) => `/kubepods.slice/kubepods-pod${pod.replaceAll('-', '_')}.slice/crio-${id}.scope`,
  'k8s colon form': (id, pod) =>
    `/system.slice/containerd.service/kubepods-besteffort-pod${pod.replaceAll('-', '_')}.slice:cri-containerd:${id}`,
  'podman': (id) => `/machine.slice/libpod-${id}.scope/container`,
  'nested systemd': (id) => `/system.slice/docker-${id}.scope/init.scope`,
};

const hostLine = fc.constantFrom(
  '1:name=systemd:/user.slice/user-1000.slice/session-2.scope',
  '13:rdma:/',
  '5:net_cls,net_prio:/',
  '0::/',
  'some invalid line',
  '',
);

const prefix = fc.oneof(
  fc.constant('0::'),
  fc.tuple(fc.integer({ min: 1, max: 14 }), fc.constantFrom('cpu', 'memory', 'cpu,cpuacct', 'name=systemd', 'pids')).map(
    ([n, c]) => `${n}:${c}:`,
  ),
);

describe('a valid id in any known form is always found', () => {
  it('in /proc/<pid>/cgroup, among host-looking lines', () => {
    fc.assert(
      fc.property(
        hexId,
        podUid,
        hex32,
        fc.constantFrom(...Object.keys(FORMS)),
        prefix,
        fc.array(hostLine, { maxLength: 4 }),
        fc.array(hostLine, { maxLength: 4 }),
        fc.boolean(),
        (id, pod, task, formName, linePrefix, before, after, crlf) => {
          const form = FORMS[formName] as Form;
          const text = [...before, `${linePrefix}${form(id, pod, task)}`, ...after].join(crlf ? '\r\n' : '\n');
          const info = parseCgroup(text);
          expect(info.containerId).toBe(id);
          expect(info.inContainer).toBe(true);
          if (formName.startsWith('k8s')) expect(info.podUid).toBe(pod);
        },
      ),
      RUNS,
    );
  });

  it('upper-casing the id (with at least one letter) always loses it', () => {
    fc.assert(
      fc.property(
        hexId.filter((id) => /[a-f]/.test(id)),
        podUid,
        hex32,
        fc.constantFrom(...Object.keys(FORMS)),
        (id, pod, task, formName) => {
          const form = FORMS[formName] as Form;
          const info = parseCgroup(`0::${form(id.toUpperCase(), pod, task)}`);
          expect(info.containerId).toBeNull();
        },
      ),
      RUNS,
    );
  });

  it('one hex digit too many or too few always loses it', () => {
    fc.assert(
      fc.property(hexId, fc.boolean(), fc.constantFrom(...Object.keys(FORMS)), (id, longer, formName) => {
        const form = FORMS[formName] as Form;
        const bad = longer ? `${id}0` : id.slice(1);
        expect(parseCgroup(`0::${form(bad, '00000000-0000-0000-0000-000000000000', 'f'.repeat(32))}`).containerId).toBeNull();
      }),
      RUNS,
    );
  });

  it('in mountinfo, as docker or podman bind mounts', () => {
    fc.assert(
      fc.property(hexId, fc.constantFrom('/var/lib/docker/containers', '/docker/containers', '/var/lib/containers/storage/overlay-containers'), (id, dir) => {
        const sub = dir.endsWith('overlay-containers') ? '/userdata' : '';
        const text = [
          '1014 1013 0:269 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
          `1025 1013 254:1 ${dir}/${id}${sub}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw`,
          `1026 1013 254:1 ${dir}/${id}${sub}/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw`,
        ].join('\n');
        expect(containerIdFromMountinfo(text)).toBe(id);
      }),
      RUNS,
    );
  });
});
