import { describe, expect, it } from 'vitest';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';
import type { UserLink, WebSession } from './web-session.ts';

const digest = (c: string): string => c.repeat(64);

/** A complete admin session created at(0), lasting until at(720) (12 h). */
export function sampleWebSession(overrides: Partial<WebSession> = {}): WebSession {
  return { idSha256: digest('a'), viewer: { kind: 'admin', name: 'ops' }, csrfToken: 'csrf-0123456789abcdef', createdAt: at(0), expiresAt: at(720), ...overrides };
}

/** A complete link for alice made by ops at(0), lasting until at(60). */
export function sampleUserLink(overrides: Partial<UserLink> = {}): UserLink {
  return { keySha256: digest('b'), user: 'alice', createdBy: 'admin:ops', createdAt: at(0), expiresAt: at(60), ...overrides };
}

/** The web sign-in part of the Store contract: sessions and per-user links, by digest only. */
export function describeWebSessionContract(open: OpenStore): void {
  describe('web sessions', () => {
    it('round-trips a session exactly while it lasts, keeps no reference to it, and not after it expired', async () => {
      const store = await open();
      expect(await store.getWebSession(digest('a'), at(1))).toBeNull();
      const session = sampleWebSession({ viewer: { kind: 'user', name: 'h.baker@hertie-school.lan' } });
      await store.putWebSession(session);
      session.viewer.name = 'mallory';
      const got = await store.getWebSession(digest('a'), at(1));
      expect(got).toStrictEqual(sampleWebSession({ viewer: { kind: 'user', name: 'h.baker@hertie-school.lan' } }));
      if (got !== null) got.viewer.name = 'mallory';
      expect((await store.getWebSession(digest('a'), at(719)))?.viewer.name).toBe('h.baker@hertie-school.lan');
      expect(await store.getWebSession(digest('a'), at(720))).toBeNull();
      expect(await store.getWebSession(digest('c'), at(1))).toBeNull();
    });

    it('compares instants whatever the spelling of now and stores times canonically', async () => {
      const store = await open();
      await store.putWebSession(sampleWebSession({ createdAt: '2026-11-25T11:00:00+01:00', expiresAt: '2026-11-25T12:00:00+01:00' }));
      expect((await store.getWebSession(digest('a'), '2026-11-25T11:59:59+01:00'))?.createdAt).toBe(at(0));
      expect(await store.getWebSession(digest('a'), '2026-11-25T12:00:00+01:00')).toBeNull();
    });

    it('refuses a reused digest and a malformed session, naming the field', async () => {
      const store = await open();
      await store.putWebSession(sampleWebSession());
      await expect(store.putWebSession(sampleWebSession({ csrfToken: 'other-0123456789abcdef' }))).rejects.toThrow();
      await expect(store.putWebSession(sampleWebSession({ idSha256: 'not-a-digest' }))).rejects.toThrow(/idSha256/);
      await expect(store.putWebSession(sampleWebSession({ idSha256: digest('d'), viewer: { kind: 'user', name: '' } }))).rejects.toThrow(/viewer\.name/);
      await expect(store.putWebSession(sampleWebSession({ idSha256: digest('d'), expiresAt: 'soon' }))).rejects.toThrow(/expiresAt/);
      expect((await store.getWebSession(digest('a'), at(1)))?.csrfToken).toBe('csrf-0123456789abcdef');
    });

    it('deletes a session once (sign-out), others stay', async () => {
      const store = await open();
      await store.putWebSession(sampleWebSession());
      await store.putWebSession(sampleWebSession({ idSha256: digest('c') }));
      expect(await store.deleteWebSession(digest('a'))).toBe(true);
      expect(await store.deleteWebSession(digest('a'))).toBe(false);
      expect(await store.getWebSession(digest('a'), at(1))).toBeNull();
      expect(await store.getWebSession(digest('c'), at(1))).not.toBeNull();
    });
  });

  describe('user links', () => {
    it('a link is usable repeatedly until it expires; each use is counted with its time', async () => {
      const store = await open();
      expect(await store.takeUserLink(digest('b'), at(1))).toBeNull();
      await store.putUserLink(sampleUserLink());
      expect(await store.takeUserLink(digest('b'), at(1))).toStrictEqual({ ...sampleUserLink(), lastUsedAt: at(1), uses: 1 });
      expect(await store.takeUserLink(digest('b'), '2026-11-25T11:30:00+01:00')).toStrictEqual({ ...sampleUserLink(), lastUsedAt: at(30), uses: 2 });
      expect(await store.takeUserLink(digest('b'), at(60))).toBeNull();
      expect(await store.takeUserLink(digest('c'), at(1))).toBeNull();
    });

    it('refuses a reused digest and a malformed link, naming the field', async () => {
      const store = await open();
      await store.putUserLink(sampleUserLink());
      await expect(store.putUserLink(sampleUserLink({ user: 'bob' }))).rejects.toThrow();
      await expect(store.putUserLink(sampleUserLink({ keySha256: digest('C') }))).rejects.toThrow(/keySha256/);
      await expect(store.putUserLink(sampleUserLink({ keySha256: digest('d'), user: '' }))).rejects.toThrow(/user/);
      expect((await store.takeUserLink(digest('b'), at(1)))?.user).toBe('alice');
    });
  });

  describe('pruneWebSessions', () => {
    it('drops the sessions and links expired at now (and only those), counting them', async () => {
      const store = await open();
      await store.putWebSession(sampleWebSession({ idSha256: digest('1'), expiresAt: at(10) }));
      await store.putWebSession(sampleWebSession({ idSha256: digest('2'), expiresAt: at(30) }));
      await store.putUserLink(sampleUserLink({ keySha256: digest('3'), expiresAt: at(10) }));
      await store.putUserLink(sampleUserLink({ keySha256: digest('4'), expiresAt: at(30) }));
      expect(await store.pruneWebSessions(at(9))).toBe(0);
      expect(await store.pruneWebSessions(at(10))).toBe(2);
      expect(await store.pruneWebSessions(at(10))).toBe(0);
      expect(await store.getWebSession(digest('2'), at(11))).not.toBeNull();
      expect(await store.takeUserLink(digest('4'), at(11))).not.toBeNull();
      expect(await store.pruneWebSessions(at(30))).toBe(2);
      // Pruned, not merely expired: a clock that went back does not bring them back.
      expect(await store.getWebSession(digest('2'), at(11))).toBeNull();
      expect(await store.takeUserLink(digest('4'), at(11))).toBeNull();
    });
  });
}
