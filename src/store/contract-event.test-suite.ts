import { describe, expect, it } from 'vitest';
import type { GwEvent } from '../events/event.ts';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';

/** A failed reload event at `at(minute)`. */
export function sampleEvent(id: string, minute: number, overrides: Partial<GwEvent> = {}): GwEvent {
  return {
    id,
    at: at(minute),
    type: 'config.reload_failed',
    details: { by: 'SIGHUP', summary: 'kept the running config (21 rules): 1 problem', lines: ['rules/gpu.json: rule gpu: $.for: invalid duration "5 min" Ärger 🚀'] },
    ...overrides,
  };
}

/** An alert event of host `host` and user `user` at `at(minute)`. */
function alertEvent(id: string, minute: number, type: GwEvent['type'], host: string, user: string): GwEvent {
  return { id, at: at(minute), type, host, user, subject: `fp-${id}`, details: { rule: 'gpu-idle', from: 'inactive' } };
}

/** The event-log part of the Store contract. */
export function describeEventContract(open: OpenStore): void {
  describe('event log', () => {
    it('is empty at first, then round-trips events exactly, newest last (insertion order), absent fields left out', async () => {
      const store = await open();
      expect(await store.listEvents({})).toEqual({ events: [], next: null });
      const first = sampleEvent('e1', 5);
      await store.addEvent(first);
      (first.details['lines'] as string[]).push('mutated');
      await store.addEvent(alertEvent('e2', 1, 'alert.firing', 'gpu1', 'alice'));
      await store.addEvent(sampleEvent('e3', 1, { type: 'config.reload' }));
      const page = await store.listEvents({});
      expect(page.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
      expect(page.events[0]).toStrictEqual(sampleEvent('e1', 5));
      expect(page.events[1]).toStrictEqual(alertEvent('e2', 1, 'alert.firing', 'gpu1', 'alice'));
      expect(page.next).not.toBeNull();
    });

    it('filters by type prefix, host, user and since (combined with AND)', async () => {
      const store = await open();
      await store.addEvent(alertEvent('a', 0, 'alert.pending', 'gpu1', 'alice'));
      await store.addEvent(alertEvent('b', 1, 'alert.firing', 'gpu2', 'alice'));
      await store.addEvent(alertEvent('c', 2, 'alert.resolved', 'gpu1', 'bob'));
      await store.addEvent(sampleEvent('d', 3));
      await store.addEvent(sampleEvent('e', 4, { type: 'config.reload' }));
      const ids = async (f: Parameters<typeof store.listEvents>[0]): Promise<string[]> => (await store.listEvents(f)).events.map((e) => e.id);
      expect(await ids({ type: 'alert' })).toEqual(['a', 'b', 'c']);
      expect(await ids({ type: 'alert.firing' })).toEqual(['b']);
      expect(await ids({ type: 'config.reload' })).toEqual(['d', 'e']);
      expect(await ids({ host: 'gpu1' })).toEqual(['a', 'c']);
      expect(await ids({ user: 'alice', host: 'gpu2' })).toEqual(['b']);
      expect(await ids({ since: at(2) })).toEqual(['c', 'd', 'e']);
    });

    it('pages with the cursor: the newest `limit` first, then only what came after `next`', async () => {
      const store = await open();
      for (let i = 0; i < 105; i++) await store.addEvent(sampleEvent(`lim-${i}`, i));
      expect((await store.listEvents({})).events).toHaveLength(100);
      const latest = await store.listEvents({ limit: 2 });
      expect(latest.events.map((e) => e.id)).toEqual(['lim-103', 'lim-104']);
      const none = await store.listEvents({ after: Number(latest.next) });
      expect(none).toEqual({ events: [], next: latest.next });
      await store.addEvent(alertEvent('new1', 200, 'alert.firing', 'gpu1', 'alice'));
      await store.addEvent(sampleEvent('new2', 201));
      const later = await store.listEvents({ after: Number(latest.next), limit: 1 });
      expect(later.events.map((e) => e.id)).toEqual(['new1']);
      expect((await store.listEvents({ after: Number(later.next) })).events.map((e) => e.id)).toEqual(['new2']);
      expect((await store.listEvents({ after: Number(latest.next), type: 'config' })).events.map((e) => e.id)).toEqual(['new2']);
      await expect(store.addEvent(sampleEvent('lim-1', 300))).rejects.toThrow();
    });

    it('refuses an event outside the envelope (unknown type, extra key)', async () => {
      const store = await open();
      await expect(store.addEvent({ ...sampleEvent('x', 0), type: 'reload' as GwEvent['type'] })).rejects.toThrow(/type/);
      await expect(store.addEvent({ ...sampleEvent('y', 0), kind: 'reload' } as GwEvent)).rejects.toThrow(/kind/);
      expect((await store.listEvents({})).events).toEqual([]);
    });

    it('writes commitEvaluation events in the same commit, all or nothing', async () => {
      const store = await open();
      await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], events: [alertEvent('c1', 0, 'alert.firing', 'gpu1', 'alice')] });
      await expect(store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], events: [alertEvent('c2', 1, 'alert.resolved', 'gpu1', 'alice'), alertEvent('c1', 1, 'alert.firing', 'gpu1', 'alice')] })).rejects.toThrow();
      expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['c1']);
    });

    it('prunes by age and by count, and never hands a pruned cursor out again', async () => {
      const store = await open();
      for (let i = 0; i < 6; i++) await store.addEvent(sampleEvent(`p${i}`, i));
      const before = await store.listEvents({});
      // at(0)..at(5) are minutes; keep the last 3 minutes' worth, then at most 2.
      expect(await store.pruneEvents(at(5), { maxAgeMs: 2.5 * 60_000, maxCount: 1000 })).toBe(3);
      expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['p3', 'p4', 'p5']);
      expect(await store.pruneEvents(at(5), { maxAgeMs: 3_600_000, maxCount: 2 })).toBe(1);
      expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(['p4', 'p5']);
      expect(await store.pruneEvents(at(5), { maxAgeMs: 3_600_000, maxCount: 0 })).toBe(2);
      await store.addEvent(sampleEvent('after', 6));
      expect((await store.listEvents({ after: Number(before.next) })).events.map((e) => e.id)).toEqual(['after']);
    });
  });
}
