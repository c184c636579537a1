import { describe, expect, it } from 'vitest';
import { at, type OpenStore } from './contract-outbox.test-suite.ts';
import type { ServiceEvent } from './store.ts';

/** A failed reload event at `at(minute)`. */
export function sampleEvent(id: string, minute: number, overrides: Partial<ServiceEvent> = {}): ServiceEvent {
  return {
    id,
    at: at(minute),
    kind: 'reload',
    by: 'SIGHUP',
    outcome: 'failed',
    summary: 'kept the running config (21 rules): 1 problem',
    details: ['rules/gpu.json: rule gpu: $.for: invalid duration "5 min" Ärger 🚀'],
    ...overrides,
  };
}

/** The event-log part of the Store contract. */
export function describeEventContract(open: OpenStore): void {
  describe('service events', () => {
    it('is empty at first, then round-trips an event exactly, newest first (same time: last added first)', async () => {
      const store = await open();
      expect(await store.listEvents({})).toEqual([]);
      const first = sampleEvent('e1', 0);
      await store.addEvent(first);
      first.details.push('mutated');
      await store.addEvent(sampleEvent('e2', 1, { outcome: 'ok', by: 'admin:ops', details: [] }));
      await store.addEvent(sampleEvent('e3', 1));
      const listed = await store.listEvents({});
      expect(listed.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
      expect(listed[2]).toStrictEqual(sampleEvent('e1', 0));
      expect(listed[1]).toStrictEqual(sampleEvent('e2', 1, { outcome: 'ok', by: 'admin:ops', details: [] }));
    });

    it('limits the listing (default 100) and refuses a reused id', async () => {
      const store = await open();
      for (let i = 0; i < 105; i++) await store.addEvent(sampleEvent(`lim-${i}`, i));
      expect(await store.listEvents({})).toHaveLength(100);
      expect((await store.listEvents({ limit: 2 })).map((e) => e.id)).toEqual(['lim-104', 'lim-103']);
      await expect(store.addEvent(sampleEvent('lim-1', 200))).rejects.toThrow();
    });
  });
}
