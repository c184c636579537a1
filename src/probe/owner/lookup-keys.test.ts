import { describe, expect, it } from 'vitest';
import type { InspectedContainer } from '../docker/inspected-container.ts';
import { makeInspected } from '../docker/test-support.ts';
import { aimeNameUids, labelUserNames } from './lookup-keys.ts';

describe('labelUserNames', () => {
  it('distinct trimmed ds01.user / aime.mlc.USER values', () => {
    const containers = [
      makeInspected({ labels: { 'ds01.user': 'h.baker@hertie-school.lan', 'aime.mlc.USER': 'bob' } }),
      makeInspected({ labels: { 'ds01.user': ' bob ', 'aime.mlc.USER': '' } }),
      makeInspected({ labels: { 'devcontainer.local_folder': '/home/x' } }),
    ];
    expect(labelUserNames(containers)).toEqual(['h.baker@hertie-school.lan', 'bob']);
    expect(labelUserNames([null] as unknown as InspectedContainer[])).toEqual([]);
  });
});

describe('aimeNameUids', () => {
  it('distinct uids from <name>._.<uid> names', () => {
    const containers = [makeInspected({ name: 'a._.1001' }), makeInspected({ name: 'b._.1001' }), makeInspected({ name: 'c._.7' }), makeInspected({ name: 'plain' })];
    expect(aimeNameUids(containers)).toEqual([1001, 7]);
    expect(aimeNameUids('x' as unknown as InspectedContainer[])).toEqual([]);
  });
});
