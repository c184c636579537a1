// The Store contract (the same suite the memory and SQLite stores pass) against the D1 store inside workerd, on the
// local D1 database of wrangler.toml's `DB` binding, migrated with the very *.sql files the SQLite store applies.
// Every contract test applies to D1: none is skipped (retention options, close and all sub-suites included).
import { applyD1Migrations, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract, sampleAlert, sampleHost } from '../../src/store/contract.test-suite.ts';
import { at, sampleLogEntry, sampleOutboxItem } from '../../src/store/contract-outbox.test-suite.ts';
import { sampleAction } from '../../src/store/contract-actions.test-suite.ts';
import { expiryPlan, planAndRecordStatements } from '../../src/store/d1/d1-actions.ts';
import { D1Store, openD1Store } from '../../src/store/d1/d1-store.ts';
import { enqueueStatements } from '../../src/store/d1/d1-notify.ts';
import { toPositional } from '../../src/store/d1/named-sql.ts';
import worker from '../../src/server/worker.ts';
import type { WorkerEnv } from '../../src/server/worker-env.ts';
import { bearer, TOKEN_SHA256, TOKENS, validSnapshot } from '../../src/server/test-support.ts';

// Children before parents (notification_log_fingerprints references notification_log).
const TABLES = ['snapshots', 'hosts', 'alerts', 'outbox', 'notify_sent', 'notification_log_fingerprints', 'notification_log', 'group_state', 'silences', 'actions', 'grants', 'service_events', 'usage_history', 'web_sessions', 'user_links'];

beforeAll(async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

/** Empties every table (schema and d1_migrations stay): a fresh database for each store the contract opens. */
async function emptyDatabase(): Promise<void> {
  await env.DB.batch(TABLES.map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
}

describeStoreContract('d1', async (options) => {
  const store = openD1Store(env.DB, options); // a bad option throws before anything is emptied
  await emptyDatabase();
  return store;
});

describe('D1Store specifics', () => {
  it('applied every migration through d1_migrations, as wrangler does', async () => {
    const { results } = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    expect(results.length).toBeGreaterThanOrEqual(9);
  });

  it('rewrites named parameters to positional ones, a repeated name keeping its number', () => {
    expect(toPositional('SELECT @a, @b, @a WHERE x = @c_1')).toEqual({ sql: 'SELECT ?1, ?2, ?1 WHERE x = ?3', names: ['a', 'b', 'c_1'] });
  });

  it('commits an evaluation with more alerts, outbox items and log entries than one statement could bind', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    const alerts = Array.from({ length: 150 }, (_, n) => sampleAlert({ fingerprint: `fp-${String(n).padStart(3, '0')}` }));
    const outbox = Array.from({ length: 150 }, (_, n) => sampleOutboxItem({ id: `o${n}`, dedupKey: `k${n}` }));
    const log = outbox.map((item) => sampleLogEntry({ id: `${item.id}:queued`, fingerprints: [`fp-${item.id}`] }));
    await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: alerts, remove: [], outbox, log });
    expect(await store.alertsForHost('gpu1')).toHaveLength(150);
    expect(await store.dueOutbox(at(0), 1000)).toHaveLength(150);
    expect(await store.listNotifications({ limit: 1000 })).toHaveLength(150);
    expect(await store.listNotifications({ fingerprint: 'fp-o149' })).toHaveLength(1);
    await store.completeOutbox(outbox.map((item) => ({ id: item.id, entry: sampleLogEntry({ id: `${item.id}:sent`, status: 'sent', at: at(1) }) })));
    expect(await store.dueOutbox(at(0), 1000)).toEqual([]);
    expect(await store.listNotifications({ limit: 1000 })).toHaveLength(300);
  });

  it('skips the log entries of an item whose id was already queued in an earlier commit (it cannot be queued again)', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'a', dedupKey: 'k' })], log: [sampleLogEntry({ id: 'a:queued' })] });
    await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: [sampleOutboxItem({ id: 'a', dedupKey: 'k' })], log: [sampleLogEntry({ id: 'a:again' })] });
    expect((await store.listNotifications({})).map((e) => e.id)).toEqual(['a:queued']);
  });

  it('says it is closed after close', async () => {
    const store = new D1Store(env.DB);
    await store.close();
    await expect(store.getHost('gpu1')).rejects.toThrow('The D1 store is closed.');
  });
});

// A read-then-write of the D1 store is not one transaction: these tests put a change between its read and its batch
// and show the write re-checks what it read instead of overwriting the change.
describe('D1Store writes that read first', () => {
  const commit = { hostRecord: null, upsert: [], remove: [] };

  it('a result decided while the action was scheduled does not land once the action expired in between', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    await store.commitEvaluation({ ...commit, actions: [sampleAction('a1')] });
    const done = { id: 'a1', outcome: 'done' as const, detail: 'stopped', at: at(6) };
    const statements = await planAndRecordStatements(env.DB, [], { host: 'gpu1', results: [done] });
    expect(statements).toHaveLength(1);
    expect((await store.expireActions(at(70))).map((a) => a.action.id)).toEqual(['a1']);
    await env.DB.batch(statements);
    expect((await store.getActions(['a1']))[0]?.state).toBe('expired');
  });

  it('a result for an action planned in the same commit applies to it, once', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    const done = { id: 'a1', outcome: 'done' as const, detail: 'stopped', at: at(6) };
    await store.commitEvaluation({ ...commit, actions: [sampleAction('a1')], actionResults: { host: 'gpu1', results: [done, { ...done, outcome: 'failed' }] } });
    expect((await store.getActions(['a1']))[0]).toMatchObject({ state: 'done', result: done });
  });

  it('an expiry decided while the action awaited approval does not undo an approval made in between', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    await store.commitEvaluation({ ...commit, actions: [sampleAction('w', { state: 'awaiting-approval' })] });
    // The expiry reads `w` awaiting approval; the approval commits before the expiry's batch.
    const plan = await expiryPlan(env.DB, at(70));
    expect(plan.expired.map((a) => [a.action.id, a.state])).toEqual([['w', 'expired']]);
    expect(await store.approveAction('w', 'alice', at(1))).toBe('approved');
    const written = await env.DB.batch(plan.statements);
    expect(written.map((r) => r.meta.changes)).toEqual([0]);
    expect((await store.getActions(['w']))[0]).toMatchObject({ state: 'scheduled', approvedBy: 'alice' });
  });

  it('the log entry of an item skipped because another commit queued its key in between is skipped with it', async () => {
    await emptyDatabase();
    const store = new D1Store(env.DB);
    const statements = enqueueStatements(env.DB, [sampleOutboxItem({ id: 'mine', dedupKey: 'k' })], [sampleLogEntry({ id: 'mine:queued' })], new Set());
    await store.commitEvaluation({ ...commit, outbox: [sampleOutboxItem({ id: 'theirs', dedupKey: 'k' })], log: [sampleLogEntry({ id: 'theirs:queued' })] });
    await env.DB.batch(statements);
    expect((await store.dueOutbox(at(0), 10)).map((i) => i.id)).toEqual(['theirs']);
    expect((await store.listNotifications({})).map((e) => e.id)).toEqual(['theirs:queued']);
  });
});

describe('the Workers entry on D1', () => {
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
  const workerEnv = () => ({
    DB: env.DB,
    HOST_WRITER: env.HOST_WRITER as WorkerEnv['HOST_WRITER'],
    GPUWARDEN_HOST_TOKENS: JSON.stringify({ ds01: TOKEN_SHA256.ds01 }),
    GPUWARDEN_ADMIN_TOKENS: JSON.stringify({ alice: TOKEN_SHA256.alice }),
  });

  it('stores a pushed snapshot in D1 and lists the host, across two invocations', async () => {
    await emptyDatabase();
    const push = await worker.fetch(
      new Request('https://gpuwarden.example/v1/snapshots', {
        method: 'POST',
        body: JSON.stringify(validSnapshot()),
        headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' },
      }),
      workerEnv(),
      ctx,
    );
    expect(push.status).toBe(200);
    const hosts = await worker.fetch(new Request('https://gpuwarden.example/v1/hosts', { headers: bearer(TOKENS.alice) }), workerEnv(), ctx);
    expect(hosts.status).toBe(200);
    expect(((await hosts.json()) as { hosts: { host: string }[] }).hosts.map((h) => h.host)).toEqual(['ds01']);
    expect(await new D1Store(env.DB).hasSnapshot('ds01', validSnapshot().id)).toBe(true);
  });

  it('answers GET /v1/usage/history from D1', async () => {
    await emptyDatabase();
    const now = Date.now();
    const usage = { host: 'ds01', user: 'alice', from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString(), gpuEquivalents: 2, idleGpuEquivalents: 0.5 };
    await new D1Store(env.DB).commitEvaluation({ hostRecord: null, upsert: [], remove: [], usage: [usage] });
    const res = await worker.fetch(new Request('https://gpuwarden.example/v1/usage/history?range=24h&user=alice', { headers: bearer(TOKENS.alice) }), workerEnv(), ctx);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stepS: number; buckets: { gpuSeconds: number; idleGpuSeconds: number }[] };
    expect(body.stepS).toBe(300);
    expect(body.buckets.reduce((n, b) => n + b.gpuSeconds, 0)).toBeCloseTo(120, 6);
    expect(body.buckets.reduce((n, b) => n + b.idleGpuSeconds, 0)).toBeCloseTo(30, 6);
  });

  it('runs the scheduled tick on D1', async () => {
    await emptyDatabase();
    await expect(worker.scheduled({ scheduledTime: Date.parse('2026-11-25T17:30:00.000Z') }, workerEnv(), ctx)).resolves.toBeUndefined();
  });
});
