import { describe, expect, it } from 'vitest';
import type { StoredAction } from '../enforcement/stored-action.ts';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';

const CID = 'c'.repeat(64);

/** A scheduled stop of a container on gpu1, due from at(5) to at(65). */
export function sampleAction(id: string, overrides: Partial<StoredAction> = {}, host = 'gpu1'): StoredAction {
  return {
    action: {
      id, type: 'stop-container', host, user: 'alice',
      target: { kind: 'container', containerId: CID, name: 'train', createdAt: at(-100), startedAt: at(-90), state: 'running' },
      params: { remove: true }, reason: { rule: 'idle-gpu-container', stage: 'limit', fingerprint: 'f'.repeat(64), summary: 'idle' },
      notBefore: at(5), expiresAt: at(65),
    },
    state: 'scheduled', createdAt: at(0), approvedBy: null, approvedAt: null, result: null, ...overrides,
  };
}

const commit = { hostRecord: null, upsert: [], remove: [] };
const ids = (actions: StoredAction[]): string[] => actions.map((a) => a.action.id);

/** The enforcement-actions part of the Store contract. */
export function describeActionContract(open: OpenStore): void {
  describe('actions', () => {
    it('stores planned actions once (a second plan with the same id changes nothing) and round-trips them exactly', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('a1')] });
      await store.commitEvaluation({ ...commit, actions: [sampleAction('a1', { createdAt: at(9), state: 'awaiting-approval' })] });
      expect(await store.getActions(['a1', 'nope'])).toEqual([sampleAction('a1')]);
    });

    it('hands a host only its own scheduled actions between notBefore and expiresAt, oldest first', async () => {
      const store = await open();
      await store.commitEvaluation({
        ...commit,
        actions: [sampleAction('late', { createdAt: at(2) }), sampleAction('early'), sampleAction('other', {}, 'gpu2'), sampleAction('wait', { state: 'awaiting-approval' })],
      });
      expect(ids(await store.dueActions('gpu1', at(4), 10))).toEqual([]);
      expect(ids(await store.dueActions('gpu1', at(5), 10))).toEqual(['early', 'late']);
      expect(ids(await store.dueActions('gpu1', at(5), 1))).toEqual(['early']);
      expect(ids(await store.dueActions('gpu1', at(65), 10))).toEqual([]);
    });

    it('applies a result only to a scheduled action of the host that reports it', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('a1'), sampleAction('a2'), sampleAction('w', { state: 'awaiting-approval' })] });
      const done = { id: 'a1', outcome: 'done' as const, detail: 'stopped and removed', at: at(6) };
      await store.commitEvaluation({ ...commit, actionResults: { host: 'gpu2', results: [{ ...done, id: 'a2' }] } });
      await store.commitEvaluation({ ...commit, actionResults: { host: 'gpu1', results: [done, { ...done, id: 'w' }, { ...done, id: 'ghost' }] } });
      await store.commitEvaluation({ ...commit, actionResults: { host: 'gpu1', results: [{ ...done, outcome: 'failed' }] } });
      const [a1, a2, w] = await store.getActions(['a1', 'a2', 'w']);
      expect([a1?.state, a1?.result]).toEqual(['done', done]);
      expect([a2?.state, w?.state]).toEqual(['scheduled', 'awaiting-approval']);
      expect(ids(await store.dueActions('gpu1', at(6), 10))).toEqual(['a2']);
    });

    it('approves an action awaiting approval once, moving notBefore to the approval time when later', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('w', { state: 'awaiting-approval' }), sampleAction('s')] });
      expect(await store.approveAction('w', 'bob', at(20))).toBe('approved');
      expect(await store.approveAction('w', 'bob', at(21))).toBe('not-awaiting');
      expect(await store.approveAction('s', 'bob', at(21))).toBe('not-awaiting');
      expect(await store.approveAction('nope', 'bob', at(21))).toBe('not-found');
      const [w] = await store.getActions(['w']);
      expect([w?.state, w?.approvedBy, w?.approvedAt, w?.action.notBefore]).toEqual(['scheduled', 'bob', at(20), at(20)]);
    });

    it('expires open actions past expiresAt with a reason, once; closed ones stay as they are', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('s'), sampleAction('w', { state: 'awaiting-approval' }), sampleAction('d')] });
      await store.commitEvaluation({ ...commit, actionResults: { host: 'gpu1', results: [{ id: 'd', outcome: 'dry-run', detail: 'would have stopped', at: at(6) }] } });
      expect(await store.expireActions(at(64))).toEqual([]);
      const expired = await store.expireActions(at(65));
      expect(ids(expired).sort()).toEqual(['s', 'w']);
      expect(expired.find((a) => a.action.id === 'w')?.result?.detail).toBe(`nobody approved it before ${at(65)}`);
      expect(expired.find((a) => a.action.id === 's')?.result?.detail).toBe(`the host reported no result before ${at(65)}`);
      expect(await store.expireActions(at(70))).toEqual([]);
      expect((await store.getActions(['d']))[0]?.state).toBe('dry-run');
    });

    it('cancels open actions once, with the reason; a closed or unknown one is left alone', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('s'), sampleAction('w', { state: 'awaiting-approval' }), sampleAction('d')] });
      await store.commitEvaluation({ ...commit, actionResults: { host: 'gpu1', results: [{ id: 'd', outcome: 'done', detail: 'stopped', at: at(6) }] } });
      const cancelled = await store.cancelActions(['s', 'w', 'd', 'nope'], at(7), 'the alert resolved');
      expect(ids(cancelled).sort()).toEqual(['s', 'w']);
      expect(cancelled[0]?.result).toEqual({ id: cancelled[0]?.action.id, outcome: 'expired', detail: 'cancelled: the alert resolved', at: at(7) });
      expect(await store.cancelActions(['s'], at(8), 'again')).toEqual([]);
      expect(ids(await store.dueActions('gpu1', at(10), 10))).toEqual([]);
      expect((await store.getActions(['d']))[0]?.state).toBe('done');
    });

    it('lists newest first, filtered by host, state and user', async () => {
      const store = await open();
      await store.commitEvaluation({ ...commit, actions: [sampleAction('old'), sampleAction('new', { createdAt: at(1) }), sampleAction('x', { createdAt: at(2) }, 'gpu2')] });
      expect(ids(await store.listActions({}))).toEqual(['x', 'new', 'old']);
      expect(ids(await store.listActions({ host: 'gpu1', limit: 1 }))).toEqual(['new']);
      expect(ids(await store.listActions({ state: 'done' }))).toEqual([]);
      expect(ids(await store.listActions({ user: 'alice', host: 'gpu2' }))).toEqual(['x']);
    });

    it('refuses a malformed action without writing anything of the commit', async () => {
      const store = await open();
      const bad = sampleAction('bad');
      (bad.action as { type: string }).type = 'reboot';
      await expect(store.commitEvaluation({ ...commit, actions: [sampleAction('good'), bad] })).rejects.toThrow();
      expect(await store.getActions(['good', 'bad'])).toEqual([]);
    });
  });
}
