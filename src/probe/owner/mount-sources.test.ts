import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InspectedContainer } from '../docker/inspected-container.ts';
import { parseDockerInspect } from '../docker/parse-inspect.ts';
import { makeInspected } from '../docker/test-support.ts';
import { homeBindSources, homeUserNames } from './mount-sources.ts';

const FIXTURES = new URL('../../../test/fixtures/docker/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
const bind = (source: string) => ({ type: 'bind', source, destination: '/d', readOnly: false });

describe('homeBindSources', () => {
  it('lists distinct normalised bind sources under the home root, first-seen order', () => {
    const containers = [
      makeInspected({ mounts: [bind('/home/bob/data'), bind('/var/run/docker.sock'), bind('/home/alice/../bob/data')] }),
      makeInspected({
        mounts: [
          { type: 'volume', source: '/home/carol/vol', destination: '/v', readOnly: false },
          bind('/home/carol/x/'),
          bind('home/alice/rel'),
          bind('/home'),
        ],
      }),
    ];
    expect(homeBindSources(containers)).toEqual(['/home/bob/data', '/home/carol/x/']);
  });

  it('covers exactly the keys the synthetic owner context stats', () => {
    const { containers } = parseDockerInspect(load('synthetic__owners__docker_inspect.json'));
    const ctx = load('synthetic__owner_context.json') as { mountOwners: Record<string, number> };
    expect(new Set(homeBindSources(containers))).toEqual(new Set(Object.keys(ctx.mountOwners)));
  });

  it('honours a custom home root and ignores junk', () => {
    const c = makeInspected({ mounts: [bind('/data/users/alice/x'), bind('/home/bob/y')] });
    expect(homeBindSources([c], '/data/users')).toEqual(['/data/users/alice/x']);
    expect(homeBindSources(null as unknown as InspectedContainer[])).toEqual([]);
    expect(homeBindSources([null, 1, { mounts: 'x' }] as unknown as InspectedContainer[])).toEqual([]);
  });
});

describe('homeUserNames', () => {
  it('collects users from binds, devcontainer folders and compose dirs', () => {
    const containers = [
      makeInspected({ mounts: [bind('/home/bob/data')], labels: { 'devcontainer.local_folder': '/home/alice/p' } }),
      makeInspected({ labels: { 'com.docker.compose.project.working_dir': '/home/carol/stack', 'ds01.user': 'dave' } }),
      makeInspected({ labels: { 'devcontainer.local_folder': '/home/alice/../../etc' }, mounts: [bind('/tmp/x')] }),
    ];
    expect(homeUserNames(containers)).toEqual(['bob', 'alice', 'carol']);
  });

  it('on the synthetic fixture', () => {
    const { containers } = parseDockerInspect(load('synthetic__owners__docker_inspect.json'));
    expect(new Set(homeUserNames(containers))).toEqual(new Set(['h.baker@hertie-school.lan', 'bob', 'carol', 'alice']));
  });

  it('ignores junk', () => {
    expect(homeUserNames(undefined as unknown as InspectedContainer[])).toEqual([]);
    expect(homeUserNames([{}] as unknown as InspectedContainer[], 'relative')).toEqual([]);
  });
});
