// The tick prunes the web view's expired sessions and sign-in links (with the event log, at most every 10 minutes).
import { expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import { t } from '../../test/support/snapshot-factory.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { sampleUserLink, sampleWebSession } from '../store/contract-web-session.test-suite.ts';
import { createCore } from './ingest.ts';

it('the tick drops expired web sessions and user links, keeps the lasting ones', async () => {
  const store = createMemoryStore();
  const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), log: () => {} });
  await store.putWebSession(sampleWebSession({ idSha256: '1'.repeat(64), createdAt: t(0), expiresAt: t(5) }));
  await store.putWebSession(sampleWebSession({ idSha256: '2'.repeat(64), createdAt: t(0), expiresAt: t(60) }));
  await store.putUserLink(sampleUserLink({ keySha256: '3'.repeat(64), createdAt: t(0), expiresAt: t(5) }));
  await core.tick(new Date(t(10)));
  // A clock gone back shows whether they were deleted rather than merely expired.
  expect(await store.getWebSession('1'.repeat(64), t(1))).toBeNull();
  expect(await store.takeUserLink('3'.repeat(64), t(1))).toBeNull();
  expect(await store.getWebSession('2'.repeat(64), t(1))).not.toBeNull();
});
