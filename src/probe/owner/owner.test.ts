import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ownerSchema } from '../../snapshot/schema.ts';
import type { InspectedContainer } from '../docker/inspected-container.ts';
import { parseDockerInspect } from '../docker/parse-inspect.ts';
import { makeInspected } from '../docker/test-support.ts';
import { resolveOwner, sanitiseUsername, type OwnerContext, type UserEntry } from './owner.ts';

const FIXTURES = new URL('../../../test/fixtures/docker/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));

function contextOf(users: UserEntry[], mountOwners: Record<string, number> = {}, homeRoot?: string): OwnerContext {
  return {
    users: { byUid: new Map(users.map((u) => [u.uid, u])), byName: new Map(users.map((u) => [u.name, u])) },
    mountOwners,
    ...(homeRoot === undefined ? {} : { homeRoot }),
  };
}

const ALICE = { name: 'alice', uid: 1001 };
const BOB = { name: 'bob', uid: 1002 };
const CAROL = { name: 'carol', uid: 1003 };
const ctx = contextOf([ALICE, BOB, CAROL]);
const bind = (source: string, destination = '/data') => ({ type: 'bind', source, destination, readOnly: false });

describe('resolveOwner on the synthetic owners fixture', () => {
  const raw = load('synthetic__owner_context.json') as { users: UserEntry[]; mountOwners: Record<string, number>; homeRoot: string };
  const fixtureCtx = contextOf(raw.users, raw.mountOwners, raw.homeRoot);
  const { containers } = parseDockerInspect(load('synthetic__owners__docker_inspect.json'));
  const byName = new Map(containers.map((c) => [c.name, c]));

  it.each([
    ['thesis._.1001', { user: 'h.baker@hertie-school.lan', uid: 1500001, method: 'label:ds01.user' }],
    ['legacy-mlc._.1002', { user: 'carol', uid: 1003, method: 'label:aime.mlc.USER' }],
    ['pytorch._.1001', { user: 'alice', uid: 1001, method: 'name-uid' }],
    ['orphan._.4242', { user: 'carol', uid: 1003, method: 'compose-dir' }],
    ['vsc-thesis-3f2a1b', { user: 'alice', uid: 1001, method: 'devcontainer-folder' }],
    ['dreamy_hopper', { user: 'bob', uid: 1002, method: 'mount-path' }],
    ['carol-train', { user: 'carol', uid: 1003, method: 'mount-path' }],
    ['spoof-alice', { user: null, uid: null, method: 'unknown' }],
    ['spoof-then-legit', { user: 'alice', uid: 1001, method: 'mount-path' }],
    ['traversal', { user: 'bob', uid: 1002, method: 'mount-path' }],
    ['relative-paths', { user: null, uid: null, method: 'unknown' }],
    ['stack_worker_1', { user: 'carol', uid: 1003, method: 'compose-dir' }],
    ['app-trainer-1', { user: 'alice', uid: 1001, method: 'compose-dir' }],
    ['ds01-prometheus', { user: null, uid: null, method: 'unknown' }],
    ['ds01-dcgm-exporter', { user: null, uid: null, method: 'unknown' }],
    ['lonely', { user: null, uid: null, method: 'unknown' }],
  ])('%s', (name, expected) => {
    const c = byName.get(name);
    expect(c).toBeDefined();
    const owner = resolveOwner(c as InspectedContainer, fixtureCtx);
    expect(owner).toEqual(expected);
    expect(ownerSchema.safeParse(owner).success).toBe(true);
  });

  it('the DS01 label user sanitises to the slice name DS01 uses', () => {
    const owner = resolveOwner(byName.get('thesis._.1001')!, fixtureCtx);
    expect(sanitiseUsername(owner.user!)).toBe('h_baker');
    expect(byName.get('thesis._.1001')!.cgroupParent).toBe(`ds01-student-${sanitiseUsername(owner.user!)}.slice`);
  });
});

describe('resolveOwner precedence', () => {
  const everything = makeInspected({
    name: 'x._.1003',
    labels: {
      'ds01.user': 'alice',
      'aime.mlc.USER': 'bob',
      'devcontainer.local_folder': '/home/carol/p',
      'com.docker.compose.project.working_dir': '/home/bob/c',
    },
    mounts: [bind('/home/bob/m')],
  });
  const owners = { '/home/bob/m': 1002 };
  const without = (...keys: string[]) =>
    makeInspected({ ...everything, labels: Object.fromEntries(Object.entries(everything.labels).filter(([k]) => !keys.includes(k))) });

  it('ds01.user beats aime.mlc.USER beats name-uid beats devcontainer-folder beats mount-path beats compose-dir', () => {
    const c = contextOf([ALICE, BOB, CAROL], owners);
    expect(resolveOwner(everything, c).method).toBe('label:ds01.user');
    expect(resolveOwner(without('ds01.user'), c)).toEqual({ user: 'bob', uid: 1002, method: 'label:aime.mlc.USER' });
    expect(resolveOwner(without('ds01.user', 'aime.mlc.USER'), c)).toEqual({ user: 'carol', uid: 1003, method: 'name-uid' });
    const noName = { ...without('ds01.user', 'aime.mlc.USER'), name: 'x' };
    expect(resolveOwner(noName, c)).toEqual({ user: 'carol', uid: 1003, method: 'devcontainer-folder' });
    const noFolder = { ...without('ds01.user', 'aime.mlc.USER', 'devcontainer.local_folder'), name: 'x' };
    expect(resolveOwner(noFolder, c)).toEqual({ user: 'bob', uid: 1002, method: 'mount-path' });
    expect(resolveOwner({ ...noFolder, mounts: [] }, c)).toEqual({ user: 'bob', uid: 1002, method: 'compose-dir' });
  });
});

describe('resolveOwner label methods', () => {
  it('labels are used as given (LDAP names), uid filled only when the user is known', () => {
    const ldap = { name: 'h.baker@hertie-school.lan', uid: 1500001 };
    const c = contextOf([ldap]);
    expect(resolveOwner(makeInspected({ labels: { 'ds01.user': 'h.baker@hertie-school.lan' } }), c)).toEqual({
      user: 'h.baker@hertie-school.lan',
      uid: 1500001,
      method: 'label:ds01.user',
    });
    expect(resolveOwner(makeInspected({ labels: { 'ds01.user': '228755@hertie-school.lan' } }), c)).toEqual({
      user: '228755@hertie-school.lan',
      uid: null,
      method: 'label:ds01.user',
    });
  });

  it('blank labels are skipped; surrounding spaces trimmed', () => {
    expect(resolveOwner(makeInspected({ labels: { 'ds01.user': '  ', 'aime.mlc.USER': ' bob ' } }), ctx)).toEqual({
      user: 'bob',
      uid: 1002,
      method: 'label:aime.mlc.USER',
    });
  });
});

describe('resolveOwner name-uid', () => {
  it('resolves a known uid to its passwd name', () => {
    expect(resolveOwner(makeInspected({ name: 'my.model._.1002' }), ctx)).toEqual({ user: 'bob', uid: 1002, method: 'name-uid' });
  });

  it('an unknown uid falls through to the next rule, and finally to unknown', () => {
    const c = makeInspected({ name: 'job._.4242', labels: { 'devcontainer.local_folder': '/home/alice/p' } });
    expect(resolveOwner(c, ctx)).toEqual({ user: 'alice', uid: 1001, method: 'devcontainer-folder' });
    expect(resolveOwner(makeInspected({ name: 'job._.4242' }), ctx)).toEqual({ user: null, uid: null, method: 'unknown' });
  });

  it('needs the ._. separator and a trailing integer', () => {
    for (const name of ['job_1001', 'job._.', 'job._.10x', 'job._.1001.bak', 'job.1001']) {
      expect(resolveOwner(makeInspected({ name }), ctx).method, name).toBe('unknown');
    }
  });
});

describe('resolveOwner path methods', () => {
  it('devcontainer-folder: under <home>/<user>/, the home itself counts, the user must be known', () => {
    const folder = (p: string) => resolveOwner(makeInspected({ labels: { 'devcontainer.local_folder': p } }), ctx);
    expect(folder('/home/alice/projects/x')).toEqual({ user: 'alice', uid: 1001, method: 'devcontainer-folder' });
    expect(folder('/home/alice')).toEqual({ user: 'alice', uid: 1001, method: 'devcontainer-folder' });
    expect(folder('/home/mallory/x').method).toBe('unknown');
    expect(folder('/home').method).toBe('unknown');
    expect(folder('/homealice/x').method).toBe('unknown');
    expect(folder('/srv/home/alice/x').method).toBe('unknown');
  });

  it('path traversal is normalised away: /home/alice/../bob/x is bob’s, never alice’s', () => {
    const folder = (p: string) => resolveOwner(makeInspected({ labels: { 'devcontainer.local_folder': p } }), ctx);
    expect(folder('/home/alice/../bob/x')).toEqual({ user: 'bob', uid: 1002, method: 'devcontainer-folder' });
    expect(folder('/home/alice/../../etc').method).toBe('unknown');
    expect(folder('/home/./alice//x')).toMatchObject({ user: 'alice' });
  });

  it('relative and odd paths never count', () => {
    for (const p of ['home/alice/x', './home/alice', '~alice/x', '', 'C:\\home\\alice', '/home/alice\0/x']) {
      const c = makeInspected({
        labels: { 'devcontainer.local_folder': p, 'com.docker.compose.project.working_dir': p },
        mounts: [bind(p)],
      });
      expect(resolveOwner(c, contextOf([ALICE], { [p]: 1001 })).method, JSON.stringify(p)).toBe('unknown');
    }
  });

  it('mount-path ANTI-SPOOFING: the bind must be stat-owned by the user whose home it is in', () => {
    const c = makeInspected({ mounts: [bind('/home/alice/x')] });
    expect(resolveOwner(c, contextOf([ALICE, BOB], { '/home/alice/x': 1001 }))).toEqual({ user: 'alice', uid: 1001, method: 'mount-path' });
    expect(resolveOwner(c, contextOf([ALICE, BOB], { '/home/alice/x': 1002 })).method).toBe('unknown');
    expect(resolveOwner(c, contextOf([ALICE, BOB], {})).method).toBe('unknown');
    expect(resolveOwner(c, contextOf([BOB], { '/home/alice/x': 1001 })).method).toBe('unknown');
  });

  it('mount-path looks up the NORMALISED source; a traversal bind is judged by where it really points', () => {
    const c = makeInspected({ mounts: [bind('/home/alice/../bob/x')] });
    expect(resolveOwner(c, contextOf([ALICE, BOB], { '/home/alice/../bob/x': 1001 })).method).toBe('unknown');
    expect(resolveOwner(c, contextOf([ALICE, BOB], { '/home/bob/x': 1001 })).method).toBe('unknown');
    expect(resolveOwner(c, contextOf([ALICE, BOB], { '/home/bob/x': 1002 }))).toEqual({ user: 'bob', uid: 1002, method: 'mount-path' });
  });

  it('mount-path: only binds count, and the first qualifying one in mount order wins', () => {
    const c = makeInspected({
      mounts: [
        { type: 'volume', source: '/home/carol/vol', destination: '/v', readOnly: false },
        bind('/home/alice/spoofed'),
        bind('/home/bob/real'),
        bind('/home/carol/real'),
      ],
    });
    const owners = { '/home/carol/vol': 1003, '/home/alice/spoofed': 1002, '/home/bob/real': 1002, '/home/carol/real': 1003 };
    expect(resolveOwner(c, contextOf([ALICE, BOB, CAROL], owners))).toEqual({ user: 'bob', uid: 1002, method: 'mount-path' });
  });

  it('compose-dir: working_dir under <home>/<user>', () => {
    const compose = (p: string) => resolveOwner(makeInspected({ labels: { 'com.docker.compose.project.working_dir': p } }), ctx);
    expect(compose('/home/carol/stack')).toEqual({ user: 'carol', uid: 1003, method: 'compose-dir' });
    expect(compose('/tmp/wt-contnet').method).toBe('unknown');
    expect(compose('/home/nobody/x').method).toBe('unknown');
  });

  it('honours a custom homeRoot (with or without trailing slash)', () => {
    const c = makeInspected({ labels: { 'com.docker.compose.project.working_dir': '/data/users/alice/p' } });
    expect(resolveOwner(c, contextOf([ALICE], {}, '/data/users')).user).toBe('alice');
    expect(resolveOwner(c, contextOf([ALICE], {}, '/data/users/')).user).toBe('alice');
    expect(resolveOwner(c, contextOf([ALICE], {})).method).toBe('unknown');
    expect(resolveOwner(c, contextOf([ALICE], {}, 'relative/root')).method).toBe('unknown');
  });
});

describe('resolveOwner never throws', () => {
  it('on malformed containers and contexts', () => {
    const junkContainers = [null, undefined, 0, 'x', [], {}, { labels: null, mounts: 'x', name: 7 }, { mounts: [null, 1, { type: 'bind' }] }];
    const junkContexts = [null, undefined, {}, { users: null }, { users: { byUid: {}, byName: [] }, mountOwners: null }, ctx];
    for (const c of junkContainers) {
      for (const x of junkContexts) {
        expect(resolveOwner(c as unknown as InspectedContainer, x as unknown as OwnerContext)).toEqual({ user: null, uid: null, method: 'unknown' });
      }
    }
  });

  it('ignores malformed passwd entries', () => {
    const bad = {
      users: { byUid: new Map([[1001, { name: '', uid: 1001 }]]), byName: new Map([['alice', { name: 'alice', uid: -1 }]]) },
      mountOwners: {},
    } as unknown as OwnerContext;
    expect(resolveOwner(makeInspected({ name: 'x._.1001' }), bad).method).toBe('unknown');
    expect(resolveOwner(makeInspected({ labels: { 'ds01.user': 'alice' } }), bad)).toEqual({ user: 'alice', uid: null, method: 'label:ds01.user' });
  });
});
