import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import { describeNotifyLogContract } from './contract-notify-log.test-suite.ts';
import { describeOutboxContract } from './contract-outbox.test-suite.ts';
import { describeSilenceContract } from './contract-silence.test-suite.ts';
import { describeActionContract } from './contract-actions.test-suite.ts';
import { describeGrantContract } from './contract-grant.test-suite.ts';
import { describeEventContract } from './contract-event.test-suite.ts';
import { describeUsageContract } from './contract-usage.test-suite.ts';
import { describeWebSessionContract } from './contract-web-session.test-suite.ts';
import type { RetentionOptions, SnapshotListing } from './memory/snapshot-retention.ts';
import type { HostRecord, SnapshotRow, Store } from './store.ts';

/** What the contract needs from a store under test: the Store interface plus snapshot listing (to see pruning). */
export type ContractStore = Store & SnapshotListing;

/** Makes a fresh, empty store with the given retention options (may throw for bad options). */
export type MakeStore = (options: RetentionOptions) => ContractStore | Promise<ContractStore>;

/** A complete alert; tests override what they look at. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    fingerprint: 'fp-1',
    rule: 'bare-metal-gpu',
    host: 'gpu1',
    severity: 'warning',
    stage: null,
    labels: { host: 'gpu1', user: 'alice' },
    annotations: { summary: 'alice runs on the GPU outside a container', description: 'pid 4242 on GPU 0' },
    notify: ['admins', 'user'],
    state: 'firing',
    activeSince: '2026-11-25T10:00:00.000Z',
    firedAt: '2026-11-25T10:05:00.000Z',
    resolvedAt: null,
    lastMatchedAt: '2026-11-25T10:06:00.000Z',
    updatedAt: '2026-11-25T10:06:00.000Z',
    ...overrides,
  };
}

/** A snapshot row of `host` taken at `takenAt`. */
export function sampleSnapshot(host: string, snapshotId: string, takenAt: string, body = '{"schemaVersion":1}'): SnapshotRow {
  return { host, snapshotId, takenAt, receivedAt: takenAt.replace('Z', '1Z'), body };
}

/** A host record. */
export function sampleHost(host: string, overrides: Partial<HostRecord> = {}): HostRecord {
  return { host, lastSeenAt: '2026-11-25T10:06:01.000Z', lastTakenAt: '2026-11-25T10:06:00.000Z', tracked: '{}', ...overrides };
}

function minute(n: number): string {
  return new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + n * 60_000).toISOString();
}

/**
 * Defines the same vitest tests for any Store implementation; `makeStore` gives a fresh empty store per call. The
 * notification parts live in contract-outbox, contract-notify-log and contract-silence (*.test-suite.ts).
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const opened: ContractStore[] = [];
    const open = async (options: RetentionOptions = {}): Promise<ContractStore> => {
      const store = await makeStore(options);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    describe('putSnapshot', () => {
      it('inserts once and reports the repeat as a duplicate without overwriting', async () => {
        const store = await open();
        expect(await store.putSnapshot(sampleSnapshot('gpu1', 's1', minute(0), '{"v":1}'))).toBe('inserted');
        expect(await store.putSnapshot(sampleSnapshot('gpu1', 's1', minute(5), '{"v":2}'))).toBe('duplicate');
        expect(await store.listSnapshots('gpu1')).toEqual([sampleSnapshot('gpu1', 's1', minute(0), '{"v":1}')]);
      });

      it('keys on host and snapshotId together', async () => {
        const store = await open();
        expect(await store.putSnapshot(sampleSnapshot('gpu1', 's1', minute(0)))).toBe('inserted');
        expect(await store.putSnapshot(sampleSnapshot('gpu2', 's1', minute(0)))).toBe('inserted');
        expect(await store.listSnapshots('gpu2')).toHaveLength(1);
        expect(await store.listSnapshots('nowhere')).toEqual([]);
      });

      it('stores a snapshot given to commitEvaluation in the same commit, once, pruned like putSnapshot', async () => {
        const store = await open({ snapshotsKeptPerHost: 2 });
        expect(await store.hasSnapshot('gpu1', 's1')).toBe(false);
        await store.commitEvaluation({ snapshot: sampleSnapshot('gpu1', 's1', minute(0)), hostRecord: null, upsert: [], remove: [] });
        await store.commitEvaluation({ snapshot: sampleSnapshot('gpu1', 's1', minute(1), '{"again":true}'), hostRecord: null, upsert: [], remove: [] });
        expect(await store.hasSnapshot('gpu1', 's1')).toBe(true);
        expect(await store.hasSnapshot('gpu2', 's1')).toBe(false);
        expect((await store.listSnapshots('gpu1')).map((r) => r.body)).toEqual(['{"schemaVersion":1}']);
        for (const [i, id] of ['s2', 's3'].entries()) {
          await store.commitEvaluation({ snapshot: sampleSnapshot('gpu1', id, minute(i + 1)), hostRecord: null, upsert: [], remove: [] });
        }
        expect((await store.listSnapshots('gpu1')).map((r) => r.snapshotId)).toEqual(['s3', 's2']);
      });

      it('rolls a commit\'s snapshot back with the rest when the commit fails', async () => {
        const store = await open();
        const bad = { ...sampleAlert(), state: 'exploded' as never };
        await expect(store.commitEvaluation({ snapshot: sampleSnapshot('gpu1', 'sx', minute(0)), hostRecord: null, upsert: [bad], remove: [] })).rejects.toThrow();
        expect(await store.hasSnapshot('gpu1', 'sx')).toBe(false);
      });

      it('keeps the newest snapshotsKeptPerHost by takenAt, whatever the arrival order, per host', async () => {
        const store = await open({ snapshotsKeptPerHost: 3 });
        for (const n of [4, 0, 2, 5, 1, 3]) await store.putSnapshot(sampleSnapshot('gpu1', `s${n}`, minute(n)));
        await store.putSnapshot(sampleSnapshot('gpu2', 'other', minute(0)));
        expect((await store.listSnapshots('gpu1')).map((s) => s.snapshotId)).toEqual(['s5', 's4', 's3']);
        expect((await store.listSnapshots('gpu2')).map((s) => s.snapshotId)).toEqual(['other']);
      });

      it('prunes a late snapshot older than all kept ones straight away, yet reports it inserted', async () => {
        const store = await open({ snapshotsKeptPerHost: 2 });
        await store.putSnapshot(sampleSnapshot('gpu1', 'new1', minute(10)));
        await store.putSnapshot(sampleSnapshot('gpu1', 'new2', minute(11)));
        expect(await store.putSnapshot(sampleSnapshot('gpu1', 'late', minute(1)))).toBe('inserted');
        expect((await store.listSnapshots('gpu1')).map((s) => s.snapshotId)).toEqual(['new2', 'new1']);
      });

      it('breaks takenAt ties by snapshotId, keeping the greater', async () => {
        const store = await open({ snapshotsKeptPerHost: 2 });
        for (const id of ['b', 'c', 'a']) await store.putSnapshot(sampleSnapshot('gpu1', id, minute(0)));
        expect((await store.listSnapshots('gpu1')).map((s) => s.snapshotId)).toEqual(['c', 'b']);
      });

      it('keeps 100 snapshots per host by default', async () => {
        const store = await open();
        for (let n = 0; n < 105; n += 1) await store.putSnapshot(sampleSnapshot('gpu1', `s${String(n).padStart(3, '0')}`, minute(n)));
        const kept = await store.listSnapshots('gpu1');
        expect(kept).toHaveLength(100);
        expect(kept.at(-1)?.snapshotId).toBe('s005');
        expect(kept[0]?.snapshotId).toBe('s104');
      });

      it('refuses a bad snapshotsKeptPerHost at construction', async () => {
        for (const bad of [0, -1, 1.5, Number.NaN]) {
          await expect(async () => open({ snapshotsKeptPerHost: bad })).rejects.toThrow(/snapshotsKeptPerHost/);
        }
      });

      it('keeps a row without a body (a snapshot that was not evidence), and it still counts for dedup and pruning', async () => {
        const store = await open({ snapshotsKeptPerHost: 2 });
        await store.putSnapshot({ ...sampleSnapshot('gpu1', 's1', minute(0)), body: null });
        expect(await store.putSnapshot({ ...sampleSnapshot('gpu1', 's1', minute(0)), body: null })).toBe('duplicate');
        expect(await store.listSnapshots('gpu1')).toEqual([{ ...sampleSnapshot('gpu1', 's1', minute(0)), body: null }]);
        await store.putSnapshot(sampleSnapshot('gpu1', 's2', minute(1)));
        await store.putSnapshot({ ...sampleSnapshot('gpu1', 's3', minute(2)), body: null });
        expect((await store.listSnapshots('gpu1')).map((r) => [r.snapshotId, r.body])).toEqual([['s3', null], ['s2', '{"schemaVersion":1}']]);
      });

      it('refuses a row with a missing field', async () => {
        const store = await open();
        const row = { ...sampleSnapshot('gpu1', 's1', minute(0)), takenAt: undefined } as unknown as SnapshotRow;
        await expect(store.putSnapshot(row)).rejects.toThrow(/taken_?at/i);
        expect(await store.listSnapshots('gpu1')).toEqual([]);
      });
    });

    describe('host records', () => {
      it('is empty at first', async () => {
        const store = await open();
        expect(await store.getHost('gpu1')).toBeNull();
        expect(await store.listHosts()).toEqual([]);
      });

      it('round-trips a record, keeping tracked as opaque text byte for byte', async () => {
        const store = await open();
        const record = sampleHost('gpu1', { tracked: '{"b": 1,   "a":"ü 日本 🚀", "__proto__": {"x": 1}}' });
        await store.commitEvaluation({ hostRecord: record, upsert: [], remove: [] });
        expect(await store.getHost('gpu1')).toStrictEqual(record);
      });

      it('replaces the record on the next commit and lists hosts by name', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: sampleHost('gpu2'), upsert: [], remove: [] });
        await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
        const later = sampleHost('gpu2', { lastSeenAt: minute(30), lastTakenAt: minute(29), tracked: '{"n":2}' });
        await store.commitEvaluation({ hostRecord: later, upsert: [], remove: [] });
        expect(await store.listHosts()).toStrictEqual([sampleHost('gpu1'), later]);
      });

      it('leaves hosts alone when hostRecord is null', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [], remove: [] });
        await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert()], remove: [] });
        expect(await store.listHosts()).toStrictEqual([sampleHost('gpu1')]);
      });

      it('treats odd host names as plain keys', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: sampleHost('__proto__'), upsert: [], remove: [] });
        expect(await store.getHost('__proto__')).toStrictEqual(sampleHost('__proto__'));
        expect(await store.getHost('constructor')).toBeNull();
      });
    });

    describe('commitEvaluation and alertsForHost', () => {
      it('stores an alert exactly as given', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert()], remove: [] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([sampleAlert()]);
      });

      it('keeps staleness, keep-firing and the resolved reason, and clears them when given null', async () => {
        const store = await open();
        const stale = sampleAlert({ stale: { since: minute(5), sources: ['docker', 'gpu'] }, keepFiringSince: minute(6) });
        await store.commitEvaluation({ hostRecord: null, upsert: [stale], remove: [] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([stale]);
        const gone = sampleAlert({ state: 'resolved', resolvedAt: minute(40), updatedAt: minute(40), resolvedReason: 'source-unavailable' });
        await store.commitEvaluation({ hostRecord: null, upsert: [{ ...gone, stale: null, keepFiringSince: null }], remove: [] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([gone]);
      });

      it('upserts by fingerprint', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ state: 'pending', firedAt: null })], remove: [] });
        const resolved = sampleAlert({ state: 'resolved', resolvedAt: minute(40), updatedAt: minute(40), stage: 'kill', severity: 'critical' });
        await store.commitEvaluation({ hostRecord: null, upsert: [resolved], remove: [] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([resolved]);
      });

      it('removes by fingerprint, ignoring unknown ones, and removal wins over an upsert in the same commit', async () => {
        const store = await open();
        const a = sampleAlert({ fingerprint: 'a' });
        const b = sampleAlert({ fingerprint: 'b' });
        await store.commitEvaluation({ hostRecord: null, upsert: [a, b], remove: [] });
        await store.commitEvaluation({ hostRecord: null, upsert: [], remove: ['a', 'never-there'] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([b]);
        await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ fingerprint: 'b', updatedAt: minute(50) })], remove: ['b'] });
        expect(await store.alertsForHost('gpu1')).toEqual([]);
      });

      it('returns every state of one host only, by fingerprint', async () => {
        const store = await open();
        await store.commitEvaluation({
          hostRecord: null,
          upsert: [
            sampleAlert({ fingerprint: 'c', state: 'resolved', resolvedAt: minute(9) }),
            sampleAlert({ fingerprint: 'a', state: 'pending', firedAt: null }),
            sampleAlert({ fingerprint: 'x', host: 'gpu2' }),
            sampleAlert({ fingerprint: 'b' }),
          ],
          remove: [],
        });
        expect((await store.alertsForHost('gpu1')).map((a) => `${a.fingerprint}:${a.state}`)).toEqual(['a:pending', 'b:firing', 'c:resolved']);
        expect((await store.alertsForHost('gpu2')).map((a) => a.fingerprint)).toEqual(['x']);
        expect(await store.alertsForHost('gpu3')).toEqual([]);
      });

      it('keeps no reference to what it was given or what it returned', async () => {
        const store = await open();
        const given = sampleAlert();
        await store.commitEvaluation({ hostRecord: null, upsert: [given], remove: [] });
        given.labels.user = 'mallory';
        given.notify.push('everyone');
        const [returned] = await store.alertsForHost('gpu1');
        if (returned === undefined) throw new Error('alert missing');
        returned.annotations.summary = 'changed';
        expect(await store.alertsForHost('gpu1')).toStrictEqual([sampleAlert()]);
      });

      it('applies nothing when one alert is incomplete: host record and other alerts roll back too', async () => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert({ fingerprint: 'old' })], remove: [] });
        const broken = { ...sampleAlert({ fingerprint: 'broken' }), rule: undefined } as unknown as Alert;
        await expect(
          store.commitEvaluation({
            hostRecord: sampleHost('gpu1', { tracked: '{"changed":true}' }),
            upsert: [sampleAlert({ fingerprint: 'new' }), broken],
            remove: ['old'],
          }),
        ).rejects.toThrow(/rule/);
        expect(await store.getHost('gpu1')).toStrictEqual(sampleHost('gpu1'));
        expect((await store.alertsForHost('gpu1')).map((a) => a.fingerprint)).toEqual(['old']);
      });

      it('refuses an unknown state or severity', async () => {
        const store = await open();
        const badState = sampleAlert({ state: 'exploded' as Alert['state'] });
        const badSeverity = sampleAlert({ severity: 'apocalyptic' as Alert['severity'] });
        await expect(store.commitEvaluation({ hostRecord: null, upsert: [badState], remove: [] })).rejects.toThrow(/state/);
        await expect(store.commitEvaluation({ hostRecord: null, upsert: [badSeverity], remove: [] })).rejects.toThrow(/severity/);
        expect(await store.alertsForHost('gpu1')).toEqual([]);
      });

      it('stores an undefined stage, firedAt or resolvedAt as null', async () => {
        const store = await open();
        const loose = { ...sampleAlert(), stage: undefined, firedAt: undefined, resolvedAt: undefined } as unknown as Alert;
        await store.commitEvaluation({ hostRecord: null, upsert: [loose], remove: [] });
        const [stored] = await store.alertsForHost('gpu1');
        expect(stored).toMatchObject({ stage: null, firedAt: null, resolvedAt: null });
      });
    });

    describe('JSON round trip', () => {
      it('keeps unicode, odd keys and __proto__ as plain data, never touching prototypes', async () => {
        const store = await open();
        const labels = JSON.parse(
          '{"__proto__":"p","constructor":"c","toString":"t","":"empty","a.b[0]":"dots","quote\\"d":"q","line\\nbreak":"n",' +
            '"user":"jörg-ünïcødé","emoji 🚀":"日本語 \\u0000 nul","host":"gpu1"}',
        ) as Record<string, string>;
        const alert = sampleAlert({
          labels,
          annotations: { summary: 'Ärger: 💥', description: 'tab\there, "quotes", back\\slash, \u2028 separator' },
          notify: ['slack:#gpu-ärger', 'email:jörg@example.org', 'slack:#gpu-ärger'],
        });
        await store.commitEvaluation({ hostRecord: null, upsert: [alert], remove: [] });
        const [stored] = await store.listAlerts({ user: 'jörg-ünïcødé' });
        if (stored === undefined) throw new Error('alert missing');
        expect(stored).toStrictEqual(alert);
        expect(Object.getPrototypeOf(stored.labels)).toBe(Object.prototype);
        expect(Object.hasOwn(stored.labels, '__proto__')).toBe(true);
        expect(Object.getOwnPropertyDescriptor(stored.labels, '__proto__')?.value).toBe('p');
        expect(Object.keys(stored.labels)).toEqual(Object.keys(labels));
        expect(({} as Record<string, unknown>).p).toBeUndefined();
        expect(stored.notify).toEqual(['slack:#gpu-ärger', 'email:jörg@example.org', 'slack:#gpu-ärger']);
      });

      it('keeps empty labels and an empty notify list', async () => {
        const store = await open();
        const alert = sampleAlert({ labels: {}, notify: [] });
        await store.commitEvaluation({ hostRecord: null, upsert: [alert], remove: [] });
        expect(await store.alertsForHost('gpu1')).toStrictEqual([alert]);
      });
    });

    describe('listAlerts', () => {
      const fixture: Alert[] = [
        sampleAlert({ fingerprint: 'a1', host: 'gpu1', rule: 'bare-metal', state: 'firing', severity: 'critical', labels: { user: 'alice' }, updatedAt: minute(1) }),
        sampleAlert({ fingerprint: 'a2', host: 'gpu1', rule: 'fairness', state: 'pending', severity: 'warning', labels: { user: 'bob' }, firedAt: null, updatedAt: minute(9) }),
        sampleAlert({ fingerprint: 'a3', host: 'gpu2', rule: 'bare-metal', state: 'resolved', severity: 'warning', labels: { user: 'alice' }, resolvedAt: minute(8), updatedAt: minute(8) }),
        sampleAlert({ fingerprint: 'a4', host: 'gpu2', rule: 'quota', state: 'firing', severity: 'info', labels: { owner: 'alice' }, updatedAt: minute(5) }),
        sampleAlert({ fingerprint: 'a5', host: 'gpu1', rule: 'quota', state: 'firing', severity: 'warning', labels: { user: 'carol' }, updatedAt: minute(5) }),
        sampleAlert({ fingerprint: 'a6', host: 'gpu3', rule: 'fairness', state: 'resolved', severity: 'critical', labels: {}, resolvedAt: minute(3), updatedAt: minute(3) }),
      ];
      const seeded = async (): Promise<ContractStore> => {
        const store = await open();
        await store.commitEvaluation({ hostRecord: null, upsert: fixture, remove: [] });
        return store;
      };
      const ids = (alerts: Alert[]): string[] => alerts.map((a) => a.fingerprint);

      it('orders firing, pending, resolved, then updatedAt newest first, then fingerprint', async () => {
        const store = await seeded();
        expect(ids(await store.listAlerts({}))).toEqual(['a4', 'a5', 'a1', 'a2', 'a3', 'a6']);
      });

      it('filters by host', async () => {
        expect(ids(await (await seeded()).listAlerts({ host: 'gpu1' }))).toEqual(['a5', 'a1', 'a2']);
      });

      it('filters by rule', async () => {
        expect(ids(await (await seeded()).listAlerts({ rule: 'bare-metal' }))).toEqual(['a1', 'a3']);
      });

      it('filters by state', async () => {
        const store = await seeded();
        expect(ids(await store.listAlerts({ state: 'resolved' }))).toEqual(['a3', 'a6']);
        expect(ids(await store.listAlerts({ state: 'pending' }))).toEqual(['a2']);
      });

      it('filters by severity', async () => {
        expect(ids(await (await seeded()).listAlerts({ severity: 'critical' }))).toEqual(['a1', 'a6']);
      });

      it('filters by labels.user only, not by other labels holding the same name', async () => {
        const store = await seeded();
        expect(ids(await store.listAlerts({ user: 'alice' }))).toEqual(['a1', 'a3']);
        expect(ids(await store.listAlerts({ user: 'nobody' }))).toEqual([]);
      });

      it('combines filters with AND and treats an empty string as a filter', async () => {
        const store = await seeded();
        expect(ids(await store.listAlerts({ host: 'gpu1', severity: 'warning', state: 'firing' }))).toEqual(['a5']);
        expect(ids(await store.listAlerts({ host: 'gpu2', rule: 'bare-metal', user: 'alice', severity: 'warning', state: 'resolved' }))).toEqual(['a3']);
        expect(ids(await store.listAlerts({ host: 'gpu1', rule: 'quota', user: 'alice' }))).toEqual([]);
        expect(ids(await store.listAlerts({ host: '' }))).toEqual([]);
      });

      it('applies the limit after ordering, truncating fractions and raising anything below 1 to 1', async () => {
        const store = await seeded();
        expect(ids(await store.listAlerts({ limit: 2 }))).toEqual(['a4', 'a5']);
        expect(ids(await store.listAlerts({ limit: 3.9, state: 'firing' }))).toEqual(['a4', 'a5', 'a1']);
        expect(ids(await store.listAlerts({ limit: 0 }))).toEqual(['a4']);
        expect(ids(await store.listAlerts({ limit: -7 }))).toEqual(['a4']);
      });

      it('returns 500 by default and 5000 at most', async () => {
        const store = await open();
        const many = Array.from({ length: 5010 }, (_, n) =>
          sampleAlert({ fingerprint: `f${String(n).padStart(5, '0')}`, updatedAt: minute(n % 7) }),
        );
        await store.commitEvaluation({ hostRecord: null, upsert: many, remove: [] });
        const byDefault = await store.listAlerts({});
        expect(byDefault).toHaveLength(500);
        expect(byDefault.every((a) => a.updatedAt === minute(6))).toBe(true);
        expect(await store.listAlerts({ limit: 100_000 })).toHaveLength(5000);
        expect(await store.listAlerts({ limit: Number.POSITIVE_INFINITY })).toHaveLength(500);
      });
    });

    describe('activeAlerts and alertCounts (one query for the whole fleet)', () => {
      it('lists every pending and firing alert of every host, however many, firing first, and no resolved one', async () => {
        const store = await open();
        const many = Array.from({ length: 5200 }, (_, n) => sampleAlert({ fingerprint: `f${String(n).padStart(5, '0')}`, host: `gpu${n % 1000}`, state: n % 3 === 0 ? 'pending' : n % 3 === 1 ? 'firing' : 'resolved', firedAt: n % 3 === 0 ? null : minute(1), resolvedAt: n % 3 === 2 ? minute(2) : null }));
        await store.commitEvaluation({ hostRecord: null, upsert: many, remove: [] });
        const active = await store.activeAlerts();
        expect(active).toHaveLength(many.filter((a) => a.state !== 'resolved').length);
        expect(active.some((a) => a.state === 'resolved')).toBe(false);
        const firstPending = active.findIndex((a) => a.state === 'pending');
        expect(active.slice(firstPending).every((a) => a.state === 'pending')).toBe(true);
        expect(active[0]).toEqual(many[1]);
      });

      it('counts stored alerts by rule, state and severity, resolved ones included', async () => {
        const store = await open();
        expect(await store.alertCounts()).toEqual([]);
        await store.commitEvaluation({
          hostRecord: null,
          upsert: [
            sampleAlert({ fingerprint: 'c1', host: 'gpu1', rule: 'quota', state: 'firing', severity: 'warning' }),
            sampleAlert({ fingerprint: 'c2', host: 'gpu2', rule: 'quota', state: 'firing', severity: 'warning' }),
            sampleAlert({ fingerprint: 'c3', host: 'gpu2', rule: 'quota', state: 'resolved', severity: 'warning', resolvedAt: minute(3) }),
            sampleAlert({ fingerprint: 'c4', host: 'gpu3', rule: 'bare-metal', state: 'pending', severity: 'critical', firedAt: null }),
          ],
          remove: [],
        });
        expect(await store.alertCounts()).toEqual([
          { rule: 'bare-metal', state: 'pending', severity: 'critical', count: 1 },
          { rule: 'quota', state: 'firing', severity: 'warning', count: 2 },
          { rule: 'quota', state: 'resolved', severity: 'warning', count: 1 },
        ]);
      });
    });

    describeOutboxContract(() => open());
    describeNotifyLogContract(() => open());
    describeSilenceContract(() => open());
    describeActionContract(() => open());
    describeGrantContract(() => open());
    describeEventContract(() => open());
    describeUsageContract(() => open());
    describeWebSessionContract(() => open());

    describe('close', () => {
      it('rejects calls after close', async () => {
        const store = await open();
        await store.close();
        await expect(store.putSnapshot(sampleSnapshot('gpu1', 's1', minute(0)))).rejects.toThrow();
        await expect(store.listAlerts({})).rejects.toThrow();
        await expect(store.dueOutbox('2026-11-25T10:00:00.000Z', 1)).rejects.toThrow();
        await expect(store.listNotifications({})).rejects.toThrow();
        await expect(store.listSilences({})).rejects.toThrow();
        await expect(store.getGroupState('a', 'b')).rejects.toThrow();
      });
    });
  });
}
