// Issue 8 item 1: a fleet-wide event must not make the notification log quadratic. A 500-alert message group is
// delivered through the real worker into a real SQLite file; the log grows by one entry and one fingerprint row per
// item (it wrote every fingerprint of the message into every item's entry: 250,000 rows), in one completion call
// (which the SQLite store writes in slices of 100 items, letting requests in between).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.ts';
import { createDeliveryWorker } from '../src/notify/deliver.ts';
import type { OutboxPayload } from '../src/notify/plan.ts';
import type { MessageGroup } from '../src/notify/types.ts';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const N = 500;

function alert(i: number): Alert {
  const at = NOW.toISOString();
  return {
    fingerprint: `fp-${i}`, rule: 'unmanaged-gpu-container', host: `gpu-${i}`, severity: 'warning', stage: null, labels: { host: `gpu-${i}` },
    annotations: { summary: 's', description: 'd' }, notify: ['admins'], state: 'firing', activeSince: at, firedAt: at, resolvedAt: null, lastMatchedAt: at, updatedAt: at,
  };
}

describe('notification log growth for a 500-alert group', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-log-growth-'));
    store = openSqliteStore(join(dir, 'gw.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('one message, one log entry and one fingerprint row per item, one completion call for the group', async () => {
    const outbox = Array.from({ length: N }, (_, i) => {
      const payload: OutboxPayload = { reason: 'firing', audience: 'admin', user: null, destination: { kind: 'slack', mention: null }, groupLabels: { alertname: 'unmanaged-gpu-container' }, alert: alert(i) };
      return {
        id: `o${i}`, receiver: 'admins-slack', channelKey: 'slack:admins', groupKey: '{alertname="unmanaged-gpu-container"}', dedupKey: `k${i}`,
        payload: JSON.stringify(payload), attempts: 0, nextAttemptAt: NOW.toISOString(), createdAt: NOW.toISOString(),
      };
    });
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox });
    const sent: MessageGroup[] = [];
    let completeCalls = 0;
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'completeOutbox') completeCalls += 1;
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const worker = createDeliveryWorker({
      store: counting,
      clock: () => NOW,
      destinationOf: () => ({ kind: 'slack', webhookUrl: 'https://hooks.slack.invalid/services/T/B/x', mention: null }),
      send: async (group) => {
        sent.push(group);
        return { ok: true };
      },
      mutedBy: async () => null,
      minGapMs: () => 1000,
    });
    expect(await worker.tick()).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.alerts).toHaveLength(N);
    expect(completeCalls).toBe(1);

    const db = new BetterSqlite3(join(dir, 'gw.sqlite'), { readonly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('outbox')).toBe(0);
      expect(count('notification_log')).toBe(N);
      expect(count('notification_log_fingerprints')).toBe(N);
    } finally {
      db.close();
    }
    // Each alert's history still answers by fingerprint.
    expect((await store.listNotifications({ fingerprint: 'fp-123' })).map((e) => [e.status, e.fingerprints])).toEqual([['sent', ['fp-123']]]);
  });
});
