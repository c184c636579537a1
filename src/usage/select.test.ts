import { describe, expect, it } from 'vitest';
import type { UsageRow } from './rows.ts';
import { filterUsage, sortUsage, sortUsers } from './select.ts';

function row(container: string, over: Partial<UsageRow> = {}): UsageRow {
  return {
    host: 'ds01', gpus: ['0'], gpuIndexes: [0], user: 'alice', container, containerId: `${container.padEnd(8, '0')}ab12cd34`,
    gpuEquivalents: 1, memoryMiB: 1000, utilizationPct: 50, processCount: 1, idleS: null, ...over,
  };
}

const rows = [
  row('a', { user: 'alice', gpus: ['0:1'], gpuIndexes: [0], gpuEquivalents: 2 / 7, memoryMiB: 500, utilizationPct: null, containerId: 'aaaa1111' }),
  row('b', { user: 'bob', host: 'ds02', gpus: ['1'], gpuIndexes: [1], gpuEquivalents: 1, memoryMiB: null, utilizationPct: 0, containerId: 'bbbb2222' }),
  row('c', { user: 'alice', gpus: ['0:2', '2'], gpuIndexes: [0, 2], gpuEquivalents: 8 / 7, memoryMiB: 9000, utilizationPct: 90, containerId: 'cccc3333' }),
];
const names = (rs: readonly UsageRow[]): (string | null)[] => rs.map((r) => r.container);

describe('filterUsage', () => {
  it('--user, --host: exact matches', () => {
    expect(names(filterUsage(rows, { user: 'alice' }))).toEqual(['a', 'c']);
    expect(names(filterUsage(rows, { host: 'ds02' }))).toEqual(['b']);
    expect(names(filterUsage(rows, { user: 'ali' }))).toEqual([]);
  });
  it('--gpu N matches the GPU and its MIG instances; N:M one instance', () => {
    expect(names(filterUsage(rows, { gpu: '0' }))).toEqual(['a', 'c']);
    expect(names(filterUsage(rows, { gpu: '2' }))).toEqual(['c']);
    expect(names(filterUsage(rows, { gpu: '0:2' }))).toEqual(['c']);
    expect(names(filterUsage(rows, { gpu: '3' }))).toEqual([]);
  });
  it('--container: a name, or an id prefix of 4+ hex digits', () => {
    expect(names(filterUsage(rows, { container: 'b' }))).toEqual(['b']);
    expect(names(filterUsage(rows, { container: 'cccc' }))).toEqual(['c']);
    expect(names(filterUsage(rows, { container: 'ccc' }))).toEqual([]);
  });
  it('combines filters with AND', () => {
    expect(names(filterUsage(rows, { user: 'alice', gpu: '2' }))).toEqual(['c']);
    expect(names(filterUsage(rows, { user: 'bob', gpu: '0' }))).toEqual([]);
  });
});

describe('sortUsage', () => {
  it('gpueq: most first; memory: most first, unknown last; idle: lowest utilisation first, unknown last', () => {
    expect(names(sortUsage(rows, 'gpueq'))).toEqual(['c', 'b', 'a']);
    expect(names(sortUsage(rows, 'memory'))).toEqual(['c', 'a', 'b']);
    expect(names(sortUsage(rows, 'idle'))).toEqual(['b', 'c', 'a']);
  });
  it('idle: a known idle time comes before utilisation', () => {
    expect(names(sortUsage([...rows, row('d', { idleS: 3600, utilizationPct: 100 })], 'idle'))).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('sortUsers', () => {
  const users = [
    { user: 'a', hosts: ['h'], containers: 1, gpuEquivalents: 1, memoryMiB: 10, processCount: 1 },
    { user: 'b', hosts: ['h'], containers: 1, gpuEquivalents: 2, memoryMiB: null, processCount: 1 },
  ];
  it('gpueq and idle by GPU-equivalents, memory by memory', () => {
    expect(sortUsers(users, 'gpueq').map((u) => u.user)).toEqual(['b', 'a']);
    expect(sortUsers(users, 'idle').map((u) => u.user)).toEqual(['b', 'a']);
    expect(sortUsers(users, 'memory').map((u) => u.user)).toEqual(['a', 'b']);
  });
});
