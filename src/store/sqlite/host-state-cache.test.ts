import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAlert, sampleHost } from '../contract.test-suite.ts';
import { copyAlert, HostStateCache } from './host-state-cache.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

describe('HostStateCache', () => {
  it('empties when the data version moves, and only then', () => {
    const cache = new HostStateCache();
    cache.revalidate(1);
    cache.rememberAlerts('gpu1', [sampleAlert()]);
    cache.rememberRecord('gpu1', sampleHost('gpu1'));
    cache.revalidate(1);
    expect(cache.alertsOf('gpu1')).toHaveLength(1);
    cache.revalidate(2);
    expect(cache.alertsOf('gpu1')).toBeUndefined();
    expect(cache.record('gpu1')).toBeUndefined();
  });

  it('does not pretend to know all of a host\'s alerts from one write', () => {
    const cache = new HostStateCache();
    cache.apply({ hostRecord: null, upsert: [sampleAlert({ fingerprint: 'a' })], remove: [] });
    expect(cache.alertsOf(sampleAlert().host)).toBeUndefined();
  });

  it('mirrors upserts and removals of a cached host, in fingerprint order', () => {
    const cache = new HostStateCache();
    cache.rememberAlerts('gpu1', [sampleAlert({ fingerprint: 'b' })]);
    cache.apply({ hostRecord: null, upsert: [sampleAlert({ fingerprint: 'c' }), sampleAlert({ fingerprint: 'a' })], remove: ['b'] });
    expect(cache.alertsOf('gpu1')?.map((a) => a.fingerprint)).toEqual(['a', 'c']);
  });
});

describe('copyAlert', () => {
  /** Every object reachable from a value, with its path. */
  const objectsIn = (value: unknown, path = '$'): [string, object][] =>
    value === null || typeof value !== 'object' ? [] : [[path, value], ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, `${path}.${k}`))];

  it('shares no object with the original, whichever optional parts are set', () => {
    const full = sampleAlert({ pendingStage: { id: 'warn', since: 't' }, stale: { since: 't', sources: ['docker'] }, keepFiringSince: 't', resolvedReason: 'cleared' });
    const copy = copyAlert(full);
    expect(copy).toStrictEqual(full);
    const originals = new Set(objectsIn(full).map(([, o]) => o));
    expect(objectsIn(copy).filter(([, o]) => originals.has(o)).map(([p]) => p)).toEqual([]);
  });

  it('keeps a "__proto__" label an own label', () => {
    const a = sampleAlert({ labels: JSON.parse('{"__proto__":"x"}') as Record<string, string> });
    expect(Object.keys(copyAlert(a).labels)).toEqual(['__proto__']);
  });
});

describe('SqliteStore host state cache', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-host-cache-'));
    file = join(dir, 'gw.sqlite');
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await rm(dir, { recursive: true, force: true });
  });
  const open = (): SqliteStore => {
    const s = openSqliteStore(file);
    stores.push(s);
    return s;
  };
  const fromDisk = async (host: string): Promise<unknown> => {
    const fresh = openSqliteStore(file);
    try {
      return { alerts: await fresh.alertsForHost(host), record: await fresh.getHost(host) };
    } finally {
      await fresh.close();
    }
  };

  it('answers what a fresh connection reads after every commit, failed ones included', async () => {
    const store = open();
    const host = 'gpu1';
    await store.alertsForHost(host);
    await store.getHost(host);
    const steps = [
      { hostRecord: sampleHost(host), upsert: [sampleAlert({ fingerprint: 'f1' }), sampleAlert({ fingerprint: 'f2' })], remove: [] },
      { hostRecord: sampleHost(host, { tracked: '{"n":2}' }), upsert: [sampleAlert({ fingerprint: 'f2', state: 'firing' })], remove: ['f1'] },
      // Fails on a CHECK constraint: nothing of it may show.
      { hostRecord: sampleHost(host, { tracked: '{"n":3}' }), upsert: [sampleAlert({ fingerprint: 'f3' }), { ...sampleAlert({ fingerprint: 'f4' }), state: 'exploded' as never }], remove: ['f2'] },
      { hostRecord: null, upsert: [], remove: ['f2'] },
    ];
    for (const step of steps) {
      await store.commitEvaluation(step).catch(() => undefined);
      expect({ alerts: await store.alertsForHost(host), record: await store.getHost(host) }).toStrictEqual(await fromDisk(host));
    }
  });

  it('rolls one failed evaluation of a batch back alone, in the cache as on disk', async () => {
    const store = open();
    await store.alertsForHost('gpu1');
    await store.alertsForHost('gpu2');
    const good = store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ fingerprint: 'g', host: 'gpu1' })], remove: [] });
    const bad = store.commitEvaluation({ hostRecord: null, upsert: [{ ...sampleAlert({ fingerprint: 'b', host: 'gpu2' }), state: 'exploded' as never }], remove: [] });
    const [g, b] = await Promise.allSettled([good, bad]);
    expect(g.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect((await store.alertsForHost('gpu1')).map((a) => a.fingerprint)).toEqual(['g']);
    expect(await store.alertsForHost('gpu2')).toEqual([]);
  });

  it('sees what another connection wrote (another process on the same file)', async () => {
    const store = open();
    await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert({ fingerprint: 'f1' })], remove: [] });
    expect(await store.alertsForHost('gpu1')).toHaveLength(1);
    expect((await store.getHost('gpu1'))?.tracked).toBe(sampleHost('gpu1').tracked);
    const other = new BetterSqlite3(file);
    other.prepare('DELETE FROM alerts WHERE fingerprint = ?').run('f1');
    other.prepare('UPDATE hosts SET tracked = ? WHERE host = ?').run('{"other":true}', 'gpu1');
    other.close();
    expect(await store.alertsForHost('gpu1')).toEqual([]);
    expect((await store.getHost('gpu1'))?.tracked).toBe('{"other":true}');
  });

  it('returns a new array each time, so a caller cannot change what the next one reads', async () => {
    const store = open();
    await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ fingerprint: 'f1' })], remove: [] });
    const first = await store.alertsForHost('gpu1');
    first.pop();
    expect(await store.alertsForHost('gpu1')).toHaveLength(1);
  });
});
