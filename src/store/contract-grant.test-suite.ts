import { describe, expect, it } from 'vitest';
import type { Grant } from '../enforcement/grant.ts';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';

/** A complete admin grant created at(-1), in force until at(60). */
export function sampleGrant(overrides: Partial<Grant> = {}): Grant {
  return {
    id: 'g-1',
    user: 'alice',
    rule: 'idle-gpu-container',
    until: at(60),
    reason: 'thesis deadline: keeps her notebook open',
    createdBy: 'bob',
    createdAt: at(-1),
    revokedAt: null,
    source: 'admin',
    ...overrides,
  };
}

const ids = (grants: Grant[]): string[] => grants.map((g) => g.id);

/** The grants part of the Store contract. */
export function describeGrantContract(open: OpenStore): void {
  describe('grants', () => {
    it('is empty at first, then round-trips a grant exactly and keeps no reference to it', async () => {
      const store = await open();
      expect(await store.listGrants({ includeInactive: true }, at(0))).toEqual([]);
      const grant = sampleGrant({ reason: 'Ärger 🚀 "x"', rule: '*', user: 'h.baker@hertie-school.lan' });
      await store.putGrant(grant);
      grant.reason = 'mutated';
      const [stored] = await store.listGrants({}, at(0));
      expect(stored).toStrictEqual(sampleGrant({ reason: 'Ärger 🚀 "x"', rule: '*', user: 'h.baker@hertie-school.lan' }));
      if (stored !== undefined) stored.user = 'mallory';
      expect((await store.listGrants({}, at(0)))[0]?.user).toBe('h.baker@hertie-school.lan');
    });

    it('lists those in force at now (until > now, not revoked by then) unless includeInactive; newest first, then id', async () => {
      const store = await open();
      await store.putGrant(sampleGrant({ id: 'b', createdAt: at(1) }));
      await store.putGrant(sampleGrant({ id: 'old', createdAt: at(0), until: at(10) }));
      await store.putGrant(sampleGrant({ id: 'a', createdAt: at(1) }));
      await store.putGrant(sampleGrant({ id: 'revoked', createdAt: at(0), revokedAt: at(5) }));
      const active = async (t: number): Promise<string[]> => ids(await store.listGrants({}, at(t)));
      expect(await active(4)).toEqual(['a', 'b', 'old', 'revoked']);
      expect(await active(5)).toEqual(['a', 'b', 'old']);
      expect(await active(10)).toEqual(['a', 'b']);
      expect(await active(60)).toEqual([]);
      expect(ids(await store.listGrants({ includeInactive: true }, at(60)))).toEqual(['a', 'b', 'old', 'revoked']);
    });

    it('filters by user and exact rule', async () => {
      const store = await open();
      await store.putGrant(sampleGrant({ id: 'alice-idle' }));
      await store.putGrant(sampleGrant({ id: 'alice-any', rule: '*' }));
      await store.putGrant(sampleGrant({ id: 'bob-idle', user: 'bob' }));
      await store.putGrant(sampleGrant({ id: 'bob-runtime', user: 'bob', rule: 'max-runtime' }));
      expect(ids(await store.listGrants({ user: 'alice' }, at(0)))).toEqual(['alice-any', 'alice-idle']);
      expect(ids(await store.listGrants({ rule: 'idle-gpu-container' }, at(0)))).toEqual(['alice-idle', 'bob-idle']);
      expect(ids(await store.listGrants({ user: 'bob', rule: 'max-runtime' }, at(0)))).toEqual(['bob-runtime']);
      expect(ids(await store.listGrants({ user: 'carol' }, at(0)))).toEqual([]);
    });

    it('compares instants whatever the spelling of now', async () => {
      const store = await open();
      await store.putGrant(sampleGrant({ until: at(60) }));
      expect(ids(await store.listGrants({}, '2026-11-25T11:59:59+01:00'))).toEqual(['g-1']);
      expect(ids(await store.listGrants({}, '2026-11-25T12:00:00+01:00'))).toEqual([]);
    });

    it('revokes a grant once, then says already-revoked; the grant stays listed with revokedAt', async () => {
      const store = await open();
      await store.putGrant(sampleGrant());
      expect(await store.revokeGrant('g-1', at(5))).toBe('revoked');
      expect(await store.revokeGrant('g-1', at(6))).toBe('already-revoked');
      expect(await store.listGrants({ includeInactive: true }, at(6))).toStrictEqual([sampleGrant({ revokedAt: at(5) })]);
      expect(await store.listGrants({}, at(4))).toHaveLength(1);
      expect(await store.listGrants({}, at(5))).toEqual([]);
    });

    it('says not-found for an unknown grant, changing nothing; revokes an expired one all the same', async () => {
      const store = await open();
      await store.putGrant(sampleGrant());
      expect(await store.revokeGrant('nope', at(5))).toBe('not-found');
      expect((await store.listGrants({}, at(5)))[0]?.revokedAt).toBeNull();
      expect(await store.revokeGrant('g-1', at(90))).toBe('revoked');
      expect((await store.listGrants({ includeInactive: true }, at(90)))[0]?.revokedAt).toBe(at(90));
    });

    it('refuses a reused id or a bad field, naming it, and stores nothing', async () => {
      const store = await open();
      await store.putGrant(sampleGrant());
      await expect(store.putGrant(sampleGrant({ reason: 'again' }))).rejects.toThrow(/UNIQUE/);
      await expect(store.putGrant(sampleGrant({ id: 'x', reason: '  ' }))).rejects.toThrow(/grant x: reason/);
      await expect(store.putGrant(sampleGrant({ id: 'y', until: '2026-12-04T17:00:00+01:00' }))).rejects.toThrow(/until/);
      await expect(store.putGrant({ ...sampleGrant({ id: 'z' }), createdBy: undefined } as unknown as Grant)).rejects.toThrow(/createdBy/);
      await expect(store.putGrant(sampleGrant({ id: 'w', source: 'user' as Grant['source'] }))).rejects.toThrow(/source/);
      expect(ids(await store.listGrants({ includeInactive: true }, at(0)))).toEqual(['g-1']);
      expect((await store.listGrants({}, at(0)))[0]?.reason).toBe('thesis deadline: keeps her notebook open');
    });

    it('rejects grant calls after close', async () => {
      const store = await open();
      await store.close();
      await expect(store.listGrants({}, at(0))).rejects.toThrow();
      await expect(store.putGrant(sampleGrant())).rejects.toThrow();
      await expect(store.revokeGrant('g-1', at(0))).rejects.toThrow();
    });
  });
}
