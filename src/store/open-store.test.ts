import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleHost } from './contract.test-suite.ts';
import { DEFAULT_STORE_SPEC, MEMORY_STORE_SPEC, openStore } from './open-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

let dir: string;
const stores: Store[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-open-store-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});
const open = (spec: string, options = {}): Store => {
  const store = openStore(spec, options);
  stores.push(store);
  return store;
};

describe('openStore', () => {
  it('gives the memory store for memory:, writing no file', async () => {
    const store = open(MEMORY_STORE_SPEC);
    expect(store).not.toBeInstanceOf(SqliteStore);
    await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
    expect(await store.getHost('gpu1')).toStrictEqual(sampleHost('gpu1'));
    expect(existsSync(MEMORY_STORE_SPEC)).toBe(false);
  });

  it('gives a fresh memory store each time', async () => {
    await open('memory:').commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
    expect(await open('memory:').listHosts()).toEqual([]);
  });

  it('opens a SQLite file for any other spec, creating its folder', async () => {
    const file = join(dir, 'data', 'gpuwarden.sqlite');
    const store = open(file);
    expect(store).toBeInstanceOf(SqliteStore);
    expect(existsSync(file)).toBe(true);
    await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
    await store.close();
    expect(await open(file).getHost('gpu1')).toStrictEqual(sampleHost('gpu1'));
  });

  it('passes the retention option through', async () => {
    await expect(async () => open('memory:', { snapshotsKeptPerHost: 0 })).rejects.toThrow(/snapshotsKeptPerHost/);
    await expect(async () => open(join(dir, 'x.sqlite'), { snapshotsKeptPerHost: 0 })).rejects.toThrow(/snapshotsKeptPerHost/);
  });

  it('refuses an empty spec in a plain sentence', () => {
    expect(() => openStore('')).toThrow(/store spec is empty/);
    expect(() => openStore('   ')).toThrow(/store spec is empty/);
  });

  it('defaults to ./data/gpuwarden.sqlite', () => {
    expect(DEFAULT_STORE_SPEC).toBe('./data/gpuwarden.sqlite');
  });
});
