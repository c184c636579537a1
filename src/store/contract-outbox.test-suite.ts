import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import type { NotificationLogEntry, OutboxItem, Store } from './store.ts';

/** Opens a fresh, empty store (closed by the caller's afterEach). */
export type OpenStore = () => Promise<Store>;

/** ISO time `n` minutes after 2026-11-25T10:00Z (negative: before). */
export function at(n: number): string {
  return new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + n * 60_000).toISOString();
}

/** A complete outbox item; tests override what they look at. */
export function sampleOutboxItem(overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: 'o-1',
    receiver: 'admins',
    channelKey: 'slack:3f2a',
    groupKey: '{host="gpu1"}',
    dedupKey: 'fp-1|admins|firing',
    payload: '{"receiver":"admins","alerts":[]}',
    attempts: 0,
    nextAttemptAt: at(0),
    createdAt: at(0),
    ...overrides,
  };
}

/** A complete notification log entry. */
export function sampleLogEntry(overrides: Partial<NotificationLogEntry> = {}): NotificationLogEntry {
  return {
    id: 'l-1',
    at: at(0),
    receiver: 'admins',
    groupKey: '{host="gpu1"}',
    fingerprints: ['fp-1'],
    status: 'queued',
    detail: '',
    ...overrides,
  };
}

function alert(fingerprint: string): Alert {
  return {
    fingerprint, rule: 'bare-metal-gpu', host: 'gpu1', severity: 'warning', stage: null, labels: { host: 'gpu1' },
    annotations: { summary: 's', description: 'd' }, notify: ['admins'], state: 'firing', activeSince: at(0),
    firedAt: at(0), resolvedAt: null, lastMatchedAt: at(0), updatedAt: at(0),
  };
}

const ids = (items: Array<{ id: string }>): string[] => items.map((i) => i.id);

async function enqueue(store: Store, outbox: OutboxItem[], log: NotificationLogEntry[] = []): Promise<void> {
  await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox, log });
}

/** The outbox part of the Store contract: enqueue with dedup, due order, complete, retry, atomic commits. */
export function describeOutboxContract(open: OpenStore): void {
  describe('outbox', () => {
    it('is empty at first and accepts a commit without outbox or log', async () => {
      const store = await open();
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [] });
      expect(await store.dueOutbox(at(1000), 10)).toEqual([]);
      expect(await store.listNotifications({})).toEqual([]);
    });

    it('round-trips an item exactly, payload text byte for byte, and keeps no reference to it', async () => {
      const store = await open();
      const item = sampleOutboxItem({ payload: '{"b": 1,  "a":"ü 日本 🚀"}', attempts: 2 });
      await enqueue(store, [item]);
      item.receiver = 'changed';
      const [due] = await store.dueOutbox(at(0), 10);
      expect(due).toStrictEqual(sampleOutboxItem({ payload: '{"b": 1,  "a":"ü 日本 🚀"}', attempts: 2 }));
      if (due !== undefined) due.payload = 'mutated';
      expect((await store.dueOutbox(at(0), 10))[0]?.payload).toBe('{"b": 1,  "a":"ü 日本 🚀"}');
    });

    it('skips a second item with a queued dedupKey, in the same commit and in a later one', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a', payload: 'first' }), sampleOutboxItem({ id: 'b', payload: 'same commit' })]);
      await enqueue(store, [sampleOutboxItem({ id: 'c', payload: 'later' }), sampleOutboxItem({ id: 'd', dedupKey: 'other' })]);
      const due = await store.dueOutbox(at(0), 10);
      expect(due.map((i) => `${i.id}:${i.payload}`)).toEqual(['a:first', 'd:{"receiver":"admins","alerts":[]}']);
    });

    it('skips the log entries of a skipped item (ids "<item id>:…") and keeps the others', async () => {
      const store = await open();
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'a' })], log: [sampleLogEntry({ id: 'a:queued', at: at(0) })] });
      await store.commitEvaluation({
        hostRecord: null, upsert: [], remove: [],
        outbox: [sampleOutboxItem({ id: 'b' })],
        log: [sampleLogEntry({ id: 'b:queued', at: at(1) }), sampleLogEntry({ id: 'free-standing', at: at(2) })],
      });
      expect((await store.listNotifications({})).map((e) => e.id)).toEqual(['free-standing', 'a:queued']);
    });

    it('skips an item whose dedupKey was already sent, and keeps the key sent after the item is gone', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a' })]);
      await store.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 'sent-a', status: 'sent', at: at(1) }) }]);
      await enqueue(store, [sampleOutboxItem({ id: 'again' })]);
      expect(await store.dueOutbox(at(100), 10)).toEqual([]);
      await enqueue(store, [sampleOutboxItem({ id: 'a', dedupKey: 'new-key' })]);
      expect(ids(await store.dueOutbox(at(100), 10))).toEqual(['a']);
    });

    it('counts the queued items, due or not, as the outbox depth', async () => {
      const store = await open();
      expect(await store.outboxDepth()).toBe(0);
      await enqueue(store, [sampleOutboxItem({ id: 'a' }), sampleOutboxItem({ id: 'later', dedupKey: 'other', nextAttemptAt: at(5000) })]);
      expect(await store.outboxDepth()).toBe(2);
      await store.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 'sent-a', status: 'sent', at: at(1) }) }]);
      expect(await store.outboxDepth()).toBe(1);
    });

    it('counts the log entries by status', async () => {
      const store = await open();
      expect(await store.notificationCounts()).toEqual({});
      await enqueue(store, [sampleOutboxItem({ id: 'a' })]);
      await store.retryOutbox([{ id: 'a', nextAttemptAt: at(10), entry: sampleLogEntry({ id: 'retry-a', status: 'retried', at: at(1) }) }]);
      await store.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 'fail-a', status: 'failed', at: at(2) }) }]);
      const counts = await store.notificationCounts();
      expect([counts.retried, counts.failed, counts.sent]).toEqual([1, 1, undefined]);
    });

    it('writes alerts, outbox and log in one commit', async () => {
      const store = await open();
      await store.commitEvaluation({ hostRecord: null, upsert: [alert('fp-1')], remove: [], outbox: [sampleOutboxItem()], log: [sampleLogEntry()] });
      expect((await store.alertsForHost('gpu1')).map((a) => a.fingerprint)).toEqual(['fp-1']);
      expect(ids(await store.dueOutbox(at(0), 10))).toEqual(['o-1']);
      expect(await store.listNotifications({})).toStrictEqual([sampleLogEntry()]);
    });

    const failing: Array<[string, (input: { outbox: OutboxItem[]; log: NotificationLogEntry[]; upsert: Alert[] }) => void, RegExp]> = [
      ['an incomplete alert', (i) => i.upsert.push({ ...alert('bad'), rule: undefined } as unknown as Alert), /rule/],
      ['an outbox item without payload', (i) => i.outbox.push({ ...sampleOutboxItem({ id: 'bad', dedupKey: 'k2' }), payload: undefined } as unknown as OutboxItem), /payload/],
      ['a log entry with an unknown status', (i) => i.log.push(sampleLogEntry({ id: 'bad', status: 'shouted' as NotificationLogEntry['status'] })), /status/],
      ['an outbox item reusing a queued id with another key', (i) => i.outbox.push(sampleOutboxItem({ id: 'old', dedupKey: 'k3' })), /UNIQUE/],
      ['a log entry reusing an id', (i) => i.log.push(sampleLogEntry({ id: 'old-log' })), /UNIQUE/],
      ['two log entries with one id', (i) => i.log.push(sampleLogEntry({ id: 'twice' }), sampleLogEntry({ id: 'twice' })), /UNIQUE/],
      ['an outbox item with fractional attempts', (i) => i.outbox.push(sampleOutboxItem({ id: 'frac', dedupKey: 'k4', attempts: 1.5 })), /attempts/],
    ];
    for (const [what, spoil, message] of failing) {
      it(`applies nothing when the commit has ${what}: alerts, outbox and log roll back together`, async () => {
        const store = await open();
        await store.commitEvaluation({
          hostRecord: null, upsert: [alert('old-alert')], remove: [],
          outbox: [sampleOutboxItem({ id: 'old', dedupKey: 'old-key' })], log: [sampleLogEntry({ id: 'old-log' })],
        });
        const input = { outbox: [sampleOutboxItem({ id: 'new' })], log: [sampleLogEntry({ id: 'new-log' })], upsert: [alert('new-alert')] };
        spoil(input);
        await expect(store.commitEvaluation({ hostRecord: null, remove: ['old-alert'], ...input })).rejects.toThrow(message);
        expect((await store.alertsForHost('gpu1')).map((a) => a.fingerprint)).toEqual(['old-alert']);
        expect(ids(await store.dueOutbox(at(100), 10))).toEqual(['old']);
        expect(ids(await store.listNotifications({}))).toEqual(['old-log']);
        // The rolled-back key was never queued: it can be queued now.
        await enqueue(store, [sampleOutboxItem({ id: 'retry-new' })]);
        expect(ids(await store.dueOutbox(at(100), 10))).toEqual(['old', 'retry-new']);
      });
    }

    it('returns due items by nextAttemptAt, then createdAt, then id; leaves future ones; honours the limit', async () => {
      const store = await open();
      await enqueue(store, [
        sampleOutboxItem({ id: 'late', dedupKey: 'k1', nextAttemptAt: at(5), createdAt: at(-9) }),
        sampleOutboxItem({ id: 'z-tie', dedupKey: 'k2', nextAttemptAt: at(1), createdAt: at(0) }),
        sampleOutboxItem({ id: 'newer', dedupKey: 'k3', nextAttemptAt: at(1), createdAt: at(1) }),
        sampleOutboxItem({ id: 'a-tie', dedupKey: 'k4', nextAttemptAt: at(1), createdAt: at(0) }),
        sampleOutboxItem({ id: 'first', dedupKey: 'k5', nextAttemptAt: at(0), createdAt: at(1) }),
        sampleOutboxItem({ id: 'future', dedupKey: 'k6', nextAttemptAt: at(6), createdAt: at(-20) }),
      ]);
      expect(ids(await store.dueOutbox(at(5), 10))).toEqual(['first', 'a-tie', 'z-tie', 'newer', 'late']);
      expect(ids(await store.dueOutbox(at(5), 2))).toEqual(['first', 'a-tie']);
      expect(ids(await store.dueOutbox(at(0), 10))).toEqual(['first']);
      expect(await store.dueOutbox(at(-1), 10)).toEqual([]);
    });

    it('refuses a due limit that is not a whole number of at least 1', async () => {
      const store = await open();
      for (const bad of [0, -1, 1.5, Number.NaN]) await expect(store.dueOutbox(at(0), bad)).rejects.toThrow(/limit/);
    });

    it('caps a due batch at 1000', async () => {
      const store = await open();
      const items = Array.from({ length: 1005 }, (_, n) => sampleOutboxItem({ id: `o${String(n).padStart(4, '0')}`, dedupKey: `k${n}` }));
      await enqueue(store, items);
      expect(await store.dueOutbox(at(0), 5000)).toHaveLength(1000);
    });

    it('completes an item: gone from the outbox, its entry logged, other items untouched', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a', dedupKey: 'ka' }), sampleOutboxItem({ id: 'b', dedupKey: 'kb' })]);
      const entry = sampleLogEntry({ id: 'l-a', status: 'sent', at: at(2), detail: 'HTTP 200' });
      await store.completeOutbox([{ id: 'a', entry: entry }]);
      expect(ids(await store.dueOutbox(at(10), 10))).toEqual(['b']);
      expect(await store.listNotifications({})).toStrictEqual([entry]);
    });

    it('pruneNotifications drops log entries older than 30 days, the oldest first and at most maxEntries per call', async () => {
      const store = await open();
      const day = (d: number) => new Date(Date.parse('2026-11-01T00:00:00.000Z') + d * 86_400_000).toISOString();
      const fp = (id: string) => sampleLogEntry({ id, fingerprints: [`fp-${id}`], at: day(id === 'recent' ? 10 : Number(id.slice(3))) });
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], log: [fp('old0'), fp('old1'), fp('old2'), fp('recent')] });
      // Completing an item prunes nothing any more: that is the timer's job.
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'x' })] });
      await store.completeOutbox([{ id: 'x', entry: sampleLogEntry({ id: 'x:sent', at: day(31) }) }]);
      expect(await store.listNotifications({})).toHaveLength(5);
      expect(await store.pruneNotifications(day(33), 2)).toBe(2);
      expect((await store.listNotifications({})).map((e) => e.id)).toEqual(['x:sent', 'recent', 'old2']);
      expect(await store.pruneNotifications(day(33))).toBe(1);
      expect((await store.listNotifications({})).map((e) => e.id)).toEqual(['x:sent', 'recent']);
      expect(await store.listNotifications({ fingerprint: 'fp-old2' })).toEqual([]);
      expect(await store.pruneNotifications(day(33))).toBe(0);
    });

    it('pruneNotifications forgets sent keys older than 7 days; younger ones still block a repeat', async () => {
      const store = await open();
      const day = 24 * 60;
      await enqueue(store, [sampleOutboxItem({ id: 'old', dedupKey: 'k-old' }), sampleOutboxItem({ id: 'young', dedupKey: 'k-young' })]);
      await store.completeOutbox([{ id: 'old', entry: sampleLogEntry({ id: 'l1', status: 'sent', at: at(0) }) }]);
      await store.completeOutbox([{ id: 'young', entry: sampleLogEntry({ id: 'l2', status: 'failed', at: at(3 * day) }) }]);
      // Exactly 7 days after `old` was sent: not older than 7 days yet, kept.
      await store.pruneNotifications(at(7 * day));
      await enqueue(store, [sampleOutboxItem({ id: 'x1', dedupKey: 'k-old' })]);
      expect(await store.dueOutbox(at(10 * day), 10)).toEqual([]);
      await store.pruneNotifications(at(7 * day + 1));
      await enqueue(store, [sampleOutboxItem({ id: 'x2', dedupKey: 'k-old' }), sampleOutboxItem({ id: 'x3', dedupKey: 'k-young' })]);
      expect(ids(await store.dueOutbox(at(10 * day), 10))).toEqual(['x2']);
    });

    it('completes and retries a whole group in one call; a bad entry anywhere changes nothing', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a', dedupKey: 'ka' }), sampleOutboxItem({ id: 'b', dedupKey: 'kb' }), sampleOutboxItem({ id: 'c', dedupKey: 'kc' })]);
      await expect(store.completeOutbox([
        { id: 'a', entry: sampleLogEntry({ id: 'a:sent', status: 'sent', at: at(1) }) },
        { id: 'b', entry: sampleLogEntry({ id: 'b:sent', status: 'sent', at: 'later' }) },
      ])).rejects.toThrow(/at/);
      expect(ids(await store.dueOutbox(at(10), 10))).toEqual(['a', 'b', 'c']);
      await store.retryOutbox([
        { id: 'a', nextAttemptAt: at(5), entry: sampleLogEntry({ id: 'a:r', status: 'retried', at: at(1) }) },
        { id: 'b', nextAttemptAt: at(5), entry: sampleLogEntry({ id: 'b:r', status: 'retried', at: at(1) }) },
      ]);
      expect(ids(await store.dueOutbox(at(4), 10))).toEqual(['c']);
      await store.completeOutbox(['a', 'b', 'c'].map((id) => ({ id, entry: sampleLogEntry({ id: `${id}:sent`, status: 'sent', at: at(6) }) })));
      expect(await store.dueOutbox(at(10), 10)).toEqual([]);
      expect(ids(await store.listNotifications({}))).toEqual(['c:sent', 'b:sent', 'a:sent', 'b:r', 'a:r']);
    });

    it('retries an item: attempts + 1, not due before nextAttemptAt, entry logged', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a', attempts: 0 })]);
      await store.retryOutbox([{ id: 'a', nextAttemptAt: at(5), entry: sampleLogEntry({ id: 'r1', status: 'retried', at: at(1), detail: 'HTTP 503' }) }]);
      expect(await store.dueOutbox(at(4), 10)).toEqual([]);
      await store.retryOutbox([{ id: 'a', nextAttemptAt: at(9), entry: sampleLogEntry({ id: 'r2', status: 'retried', at: at(5) }) }]);
      expect(await store.dueOutbox(at(9), 10)).toStrictEqual([sampleOutboxItem({ id: 'a', attempts: 2, nextAttemptAt: at(9) })]);
      expect(ids(await store.listNotifications({}))).toEqual(['r2', 'r1']);
    });

    it('logs the entry of a complete or retry whose item is gone, changing nothing else', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'kept' })]);
      await store.completeOutbox([{ id: 'gone', entry: sampleLogEntry({ id: 'c', status: 'sent', at: at(1) }) }]);
      await store.retryOutbox([{ id: 'gone', nextAttemptAt: at(3), entry: sampleLogEntry({ id: 'r', status: 'retried', at: at(2) }) }]);
      expect(await store.dueOutbox(at(0), 10)).toStrictEqual([sampleOutboxItem({ id: 'kept' })]);
      expect(ids(await store.listNotifications({}))).toEqual(['r', 'c']);
    });

    it('refuses a complete or retry with a bad entry and changes nothing', async () => {
      const store = await open();
      await enqueue(store, [sampleOutboxItem({ id: 'a' })], [sampleLogEntry({ id: 'used' })]);
      await expect(store.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 'used', status: 'sent' }) }])).rejects.toThrow(/UNIQUE/);
      await expect(store.completeOutbox([{ id: 'a', entry: sampleLogEntry({ id: 'x', at: 'yesterday' }) }])).rejects.toThrow(/at/);
      await expect(store.retryOutbox([{ id: 'a', nextAttemptAt: at(3), entry: sampleLogEntry({ id: 'used', status: 'retried' }) }])).rejects.toThrow(/UNIQUE/);
      await expect(store.retryOutbox([{ id: 'a', nextAttemptAt: undefined as unknown as string, entry: sampleLogEntry({ id: 'y' }) }])).rejects.toThrow(/nextAttemptAt/);
      expect(await store.dueOutbox(at(0), 10)).toStrictEqual([sampleOutboxItem({ id: 'a' })]);
      expect(ids(await store.listNotifications({}))).toEqual(['used']);
    });
  });
}
