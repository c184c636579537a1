import { describe, expect, it } from 'vitest';
import { at, sampleLogEntry, type OpenStore } from './contract-outbox.test-suite.ts';
import type { GroupState, NotificationLogEntry, Store } from './store.ts';

const ids = (entries: NotificationLogEntry[]): string[] => entries.map((e) => e.id);

async function log(store: Store, entries: NotificationLogEntry[]): Promise<void> {
  await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], log: entries });
}

/** A group state. */
export function sampleGroupState(overrides: Partial<GroupState> = {}): GroupState {
  return { receiver: 'admins', groupKey: '{host="gpu1"}', lastDigest: 'fp-1:firing', lastSentAt: at(0), repeats: 0, ...overrides };
}

/** The notification-log and group-state part of the Store contract. */
export function describeNotifyLogContract(open: OpenStore): void {
  describe('listNotifications', () => {
    const fixture: NotificationLogEntry[] = [
      sampleLogEntry({ id: 'n1', at: at(1), receiver: 'admins', fingerprints: ['fp-1', 'fp-2'], status: 'queued' }),
      sampleLogEntry({ id: 'n2', at: at(3), receiver: 'user:alice', fingerprints: ['fp-1'], status: 'sent' }),
      sampleLogEntry({ id: 'n3', at: at(2), receiver: 'admins', fingerprints: ['fp-10'], status: 'failed' }),
      sampleLogEntry({ id: 'n4', at: at(3), receiver: 'admins', fingerprints: [], status: 'silenced' }),
      sampleLogEntry({ id: 'n5', at: at(0), receiver: 'user:alice', fingerprints: ['fp-2'], status: 'inhibited' }),
    ];
    const seeded = async (): Promise<Store> => {
      const store = await open();
      await log(store, fixture.slice(0, 2));
      await log(store, fixture.slice(2));
      return store;
    };

    it('lists newest at first, entries with the same at latest inserted first', async () => {
      expect(ids(await (await seeded()).listNotifications({}))).toEqual(['n4', 'n2', 'n3', 'n1', 'n5']);
    });

    it('round-trips an entry exactly, fingerprints in their order, unicode detail, and keeps no reference', async () => {
      const store = await open();
      const entry = sampleLogEntry({ fingerprints: ['b', 'a', 'b'], detail: 'Ärger 🚀 "quoted"\nline', status: 'retried' });
      await log(store, [entry]);
      entry.fingerprints.push('mutated');
      const [stored] = await store.listNotifications({});
      expect(stored).toStrictEqual(sampleLogEntry({ fingerprints: ['b', 'a', 'b'], detail: 'Ärger 🚀 "quoted"\nline', status: 'retried' }));
      stored?.fingerprints.pop();
      expect((await store.listNotifications({}))[0]?.fingerprints).toEqual(['b', 'a', 'b']);
    });

    it('filters by receiver', async () => {
      expect(ids(await (await seeded()).listNotifications({ receiver: 'user:alice' }))).toEqual(['n2', 'n5']);
    });

    it('filters by one whole fingerprint of the list, never a prefix or substring', async () => {
      const store = await seeded();
      expect(ids(await store.listNotifications({ fingerprint: 'fp-1' }))).toEqual(['n2', 'n1']);
      expect(ids(await store.listNotifications({ fingerprint: 'fp-2' }))).toEqual(['n1', 'n5']);
      expect(ids(await store.listNotifications({ fingerprint: 'fp' }))).toEqual([]);
      expect(ids(await store.listNotifications({ fingerprint: '"fp-1"' }))).toEqual([]);
      expect(ids(await store.listNotifications({ fingerprint: 'fp-1", "fp-2' }))).toEqual([]);
    });

    it('filters by since, inclusive', async () => {
      expect(ids(await (await seeded()).listNotifications({ since: at(2) }))).toEqual(['n4', 'n2', 'n3']);
    });

    it('combines filters with AND', async () => {
      const store = await seeded();
      expect(ids(await store.listNotifications({ receiver: 'admins', fingerprint: 'fp-2', since: at(1) }))).toEqual(['n1']);
      expect(ids(await store.listNotifications({ receiver: 'user:alice', fingerprint: 'fp-10' }))).toEqual([]);
      expect(ids(await store.listNotifications({ receiver: '' }))).toEqual([]);
    });

    it('lists an entry once even when its fingerprints repeat', async () => {
      const store = await open();
      await log(store, [sampleLogEntry({ id: 'dup', fingerprints: ['fp-1', 'fp-1'] })]);
      expect(ids(await store.listNotifications({ fingerprint: 'fp-1' }))).toEqual(['dup']);
    });

    it('applies the limit after ordering, truncating and raising anything below 1 to 1', async () => {
      const store = await seeded();
      expect(ids(await store.listNotifications({ limit: 2 }))).toEqual(['n4', 'n2']);
      expect(ids(await store.listNotifications({ limit: 2.9, receiver: 'admins' }))).toEqual(['n4', 'n3']);
      expect(ids(await store.listNotifications({ limit: 0 }))).toEqual(['n4']);
      expect(ids(await store.listNotifications({ limit: -3 }))).toEqual(['n4']);
    });

    it('returns 100 by default and 1000 at most', async () => {
      const store = await open();
      const many = Array.from({ length: 1010 }, (_, n) => sampleLogEntry({ id: `e${String(n).padStart(4, '0')}`, at: at(n) }));
      await log(store, many);
      const byDefault = await store.listNotifications({});
      expect(byDefault).toHaveLength(100);
      expect(byDefault[0]?.id).toBe('e1009');
      expect(await store.listNotifications({ limit: 5000 })).toHaveLength(1000);
      expect(await store.listNotifications({ limit: Number.NaN })).toHaveLength(100);
    });

    it('refuses an entry whose fingerprints are not a list of strings', async () => {
      const store = await open();
      const bad = { ...sampleLogEntry(), fingerprints: 'fp-1' } as unknown as NotificationLogEntry;
      await expect(log(store, [bad])).rejects.toThrow(/fingerprints/);
      const numbers = { ...sampleLogEntry({ id: 'n' }), fingerprints: [1] } as unknown as NotificationLogEntry;
      await expect(log(store, [numbers])).rejects.toThrow(/fingerprints/);
      expect(await store.listNotifications({})).toEqual([]);
    });
  });

  describe('group state', () => {
    it('is null until put, then round-trips exactly', async () => {
      const store = await open();
      expect(await store.getGroupState('admins', '{host="gpu1"}')).toBeNull();
      await store.putGroupState(sampleGroupState({ repeats: 3 }));
      expect(await store.getGroupState('admins', '{host="gpu1"}')).toStrictEqual(sampleGroupState({ repeats: 3 }));
    });

    it('replaces the state of the same (receiver, groupKey)', async () => {
      const store = await open();
      await store.putGroupState(sampleGroupState());
      const later = sampleGroupState({ lastDigest: 'fp-1:resolved', lastSentAt: at(30), repeats: 0 });
      await store.putGroupState(later);
      expect(await store.getGroupState('admins', '{host="gpu1"}')).toStrictEqual(later);
    });

    it('keys on receiver and groupKey together, with no separator that could make two keys collide', async () => {
      const store = await open();
      await store.putGroupState(sampleGroupState({ receiver: 'a', groupKey: 'b|c', repeats: 1 }));
      await store.putGroupState(sampleGroupState({ receiver: 'a|b', groupKey: 'c', repeats: 2 }));
      expect((await store.getGroupState('a', 'b|c'))?.repeats).toBe(1);
      expect((await store.getGroupState('a|b', 'c'))?.repeats).toBe(2);
      expect(await store.getGroupState('a', 'c')).toBeNull();
      expect(await store.getGroupState('__proto__', 'constructor')).toBeNull();
    });

    it('refuses a missing field or a negative or fractional repeats count', async () => {
      const store = await open();
      await expect(store.putGroupState({ ...sampleGroupState(), lastDigest: undefined } as unknown as GroupState)).rejects.toThrow(/lastDigest/);
      await expect(store.putGroupState(sampleGroupState({ repeats: -1 }))).rejects.toThrow(/repeats/);
      await expect(store.putGroupState(sampleGroupState({ repeats: 0.5 }))).rejects.toThrow(/repeats/);
      expect(await store.getGroupState('admins', '{host="gpu1"}')).toBeNull();
    });
  });
}
