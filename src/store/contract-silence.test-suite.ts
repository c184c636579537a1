import { describe, expect, it } from 'vitest';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';
import type { Silence } from './store.ts';

/** A complete silence in force from at(0) to at(60). */
export function sampleSilence(overrides: Partial<Silence> = {}): Silence {
  return {
    id: 's-1',
    matchers: [
      { name: 'user', value: 'alice', isRegex: false, isEqual: true },
      { name: 'alertname', value: 'idle-.*', isRegex: true, isEqual: true },
    ],
    createdBy: 'bob',
    comment: 'maintenance on gpu1',
    startsAt: at(0),
    endsAt: at(60),
    expireOnResolve: false,
    createdAt: at(-1),
    expiredAt: null,
    ...overrides,
  };
}

const ids = (silences: Silence[]): string[] => silences.map((s) => s.id);

/** The silences part of the Store contract. */
export function describeSilenceContract(open: OpenStore): void {
  describe('silences', () => {
    it('is empty at first, then round-trips a silence exactly and keeps no reference to it', async () => {
      const store = await open();
      expect(await store.listSilences({})).toEqual([]);
      const silence = sampleSilence({ expireOnResolve: true, comment: 'Ärger 🚀 "x"', matchers: [{ name: 'host', value: 'gpu1', isRegex: false, isEqual: false }] });
      await store.addSilence(silence);
      silence.matchers.push({ name: 'mutated', value: '', isRegex: false, isEqual: true });
      const [stored] = await store.listSilences({});
      expect(stored).toStrictEqual(
        sampleSilence({ expireOnResolve: true, comment: 'Ärger 🚀 "x"', matchers: [{ name: 'host', value: 'gpu1', isRegex: false, isEqual: false }] }),
      );
      stored?.matchers.pop();
      expect((await store.listSilences({}))[0]?.matchers).toHaveLength(1);
    });

    it('lists newest createdAt first, then by id', async () => {
      const store = await open();
      await store.addSilence(sampleSilence({ id: 'b', createdAt: at(1) }));
      await store.addSilence(sampleSilence({ id: 'old', createdAt: at(0) }));
      await store.addSilence(sampleSilence({ id: 'a', createdAt: at(1) }));
      expect(ids(await store.listSilences({}))).toEqual(['a', 'b', 'old']);
    });

    it('lists those in force at a time: startsAt <= t < endsAt and not expired by then', async () => {
      const store = await open();
      await store.addSilence(sampleSilence({ id: 'window', startsAt: at(10), endsAt: at(20) }));
      await store.addSilence(sampleSilence({ id: 'expired', startsAt: at(0), endsAt: at(60), expiredAt: at(15) }));
      const active = async (t: number): Promise<string[]> => ids(await store.listSilences({ activeAt: at(t) }));
      expect(await active(9)).toEqual(['expired']);
      expect(await active(10)).toEqual(['expired', 'window']);
      expect(await active(15)).toEqual(['window']);
      expect(await active(20)).toEqual([]);
      expect(ids(await store.listSilences({}))).toEqual(['expired', 'window']);
    });

    it('expires a silence once: true, then false; the silence stays listed with expiredAt', async () => {
      const store = await open();
      await store.addSilence(sampleSilence());
      expect(await store.expireSilence('s-1', at(5))).toBe(true);
      expect(await store.expireSilence('s-1', at(6))).toBe(false);
      expect(await store.listSilences({})).toStrictEqual([sampleSilence({ expiredAt: at(5) })]);
      expect(await store.listSilences({ activeAt: at(4) })).toHaveLength(1);
      expect(await store.listSilences({ activeAt: at(5) })).toEqual([]);
    });

    it('says false for an unknown silence or one that already ended, changing nothing', async () => {
      const store = await open();
      await store.addSilence(sampleSilence());
      expect(await store.expireSilence('nope', at(5))).toBe(false);
      expect(await store.expireSilence('s-1', at(60))).toBe(false);
      expect(await store.expireSilence('s-1', at(61))).toBe(false);
      expect((await store.listSilences({}))[0]?.expiredAt).toBeNull();
    });

    it('expires a silence that has not started yet, so it never takes effect', async () => {
      const store = await open();
      await store.addSilence(sampleSilence({ startsAt: at(30) }));
      expect(await store.expireSilence('s-1', at(5))).toBe(true);
      expect(await store.listSilences({ activeAt: at(30) })).toEqual([]);
    });

    it('refuses a reused id, a missing field or a non-boolean expireOnResolve, storing nothing', async () => {
      const store = await open();
      await store.addSilence(sampleSilence());
      await expect(store.addSilence(sampleSilence({ comment: 'again' }))).rejects.toThrow(/UNIQUE/);
      await expect(store.addSilence({ ...sampleSilence({ id: 'x' }), createdBy: undefined } as unknown as Silence)).rejects.toThrow(/createdBy/);
      await expect(store.addSilence({ ...sampleSilence({ id: 'y' }), expireOnResolve: 'yes' } as unknown as Silence)).rejects.toThrow(/expireOnResolve/);
      await expect(store.addSilence({ ...sampleSilence({ id: 'z' }), matchers: [{ name: 'a' }] } as unknown as Silence)).rejects.toThrow(/matchers/);
      expect(ids(await store.listSilences({}))).toEqual(['s-1']);
      expect((await store.listSilences({}))[0]?.comment).toBe('maintenance on gpu1');
    });
  });
}
