// The loaders on a real SQLite store seeded with the small fleet (test/support/seed-web-store.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HOSTS } from '../../../../test/support/seed-web-store.ts';
import { openSeededStore, webDeps, type SeededStore } from '../web-test-app.test-support.ts';
import { loadAlerts } from './alerts.ts';
import { loadFleet } from './fleet.ts';
import { loadHostDetail } from './host-detail.ts';
import { loadHosts } from './hosts.ts';
import { loadOverview } from './overview.ts';
import { loadUser, loadUsers } from './users.ts';

let seeded: SeededStore;
beforeAll(async () => {
  seeded = await openSeededStore();
});
afterAll(async () => {
  await seeded.close();
});

describe('loadOverview', () => {
  it('counts hosts (silent, with source errors) and alerts, ranks who holds most, lists GPUs held idle', async () => {
    const m = await loadOverview(webDeps(seeded));
    expect(m.hosts).toEqual({ total: 3, silent: [SEED_HOSTS.silent], withSourceErrors: [SEED_HOSTS.silent] });
    expect(m.alerts).toEqual({ firing: 3, pending: 1 });
    expect(m.topUsers?.slice(0, 3)).toEqual([
      { user: 'alice', gpuEquivalents: 3, quota: 2 }, { user: 'bob', gpuEquivalents: 1, quota: 2 }, { user: 'carol', gpuEquivalents: 1, quota: 2 },
    ]);
    // alice-notebook was last active 183 min before now, 182.5 min before its host's last snapshot.
    // gwe2e31671-aime (sys, MIG 0:1) was last active 45 min before now; its host's snapshot is 10.533 s older than now.
    expect(m.idleHeld?.map((r) => [r.host, r.container, r.user, r.gpus, r.gpuEquivalents, r.idleS])).toEqual([
      [SEED_HOSTS.busy, 'alice-notebook', 'alice', ['0', '1', '2'], 3, 182.5 * 60],
      [SEED_HOSTS.mig, 'gwe2e31671-aime', 'sys', ['0:1'], 2 / 7, 45 * 60 - 10.533],
    ]);
  });

  it('on Workers (latest null): host and alert counts from the store, the live parts null', async () => {
    const m = await loadOverview(webDeps(seeded, { latest: null }));
    expect(m).toMatchObject({ live: false, hosts: { total: 3, silent: [SEED_HOSTS.silent], withSourceErrors: null }, alerts: { firing: 3, pending: 1 }, topUsers: null, idleHeld: null });
  });

  it('a host turns silent once its last snapshot is older than the threshold', async () => {
    const m = await loadOverview(webDeps(seeded, { silentAfterMs: 10_000 }));
    expect(m.hosts.silent).toEqual([SEED_HOSTS.busy, SEED_HOSTS.silent]);
  });
});

describe('loadHosts', () => {
  it('each host: last seen, up or silent, source errors of its latest snapshot, GPUs and people', async () => {
    const m = await loadHosts(webDeps(seeded));
    expect(m.hosts.map((h) => [h.host, h.up, h.gpuCount, h.migInstanceCount, h.firingAlerts, h.pendingAlerts])).toEqual([
      [SEED_HOSTS.mig, true, 1, 4, 0, 1], [SEED_HOSTS.busy, true, 4, 0, 2, 0], [SEED_HOSTS.silent, false, 2, 0, 1, 0],
    ]);
    expect(m.hosts[2]?.sourceErrors).toEqual([{ source: 'docker', message: 'connect ENOENT /var/run/docker.sock' }]);
    expect(m.hosts[0]?.users).toEqual(['daemon', 'games', 'h.baker@hertie-school.lan', 'man', 'sys', 'www-data']);
    expect(m.hosts[1]?.lastSeenAt).toBe('2026-11-25T17:17:30.000Z');
    const workers = await loadHosts(webDeps(seeded, { latest: null }));
    expect(workers.hosts.map((h) => [h.host, h.up, h.sourceErrors, h.gpuCount, h.users])).toEqual([
      [SEED_HOSTS.mig, true, null, null, null], [SEED_HOSTS.busy, true, null, null, null], [SEED_HOSTS.silent, false, null, null, null],
    ]);
  });
});

describe('loadFleet', () => {
  it('every host, or with one name only that host (its record and snapshot), the same as in the whole fleet', async () => {
    const all = await loadFleet(webDeps(seeded));
    expect(all.hosts.map((h) => h.host)).toEqual([SEED_HOSTS.mig, SEED_HOSTS.busy, SEED_HOSTS.silent]);
    const one = await loadFleet(webDeps(seeded), SEED_HOSTS.busy);
    expect(one.hosts).toEqual(all.hosts.filter((h) => h.host === SEED_HOSTS.busy));
    expect((await loadFleet(webDeps(seeded), 'nope')).hosts).toEqual([]);
  });
});

describe('loadHostDetail', () => {
  it('the MIG host: GPU 0\'s instances with who uses each, the tracked idle time, the host\'s alerts', async () => {
    const m = await loadHostDetail(webDeps(seeded), SEED_HOSTS.mig);
    const slots = m?.gpus?.[0]?.slots ?? [];
    expect(slots.map((s) => s.label)).toEqual(['0:0', '0:1', '0:2', '0:3']);
    expect(slots[0]?.uses.map((u) => [u.container, u.user, u.untracked, u.memoryMiB])).toEqual([
      ['gwe2e31671-compose', 'man', false, 1272], ['gwe2e31671-ds01', 'h.baker@hertie-school.lan', false, 2296], [null, 'daemon', true, 7484],
    ]);
    expect(slots[1]?.uses.find((u) => u.container === 'gwe2e31671-aime')?.idleS).toBeCloseTo(45 * 60 - 10.533, 3);
    expect(m?.untrackedProcesses).toBe(1);
    expect(m?.alerts.map((a) => [a.rule, a.state, a.silencedBy])).toEqual([['bare-metal-gpu', 'pending', 'seed-silence-daemon']]);
  });

  it('a whole GPU has one slot with its utilisation; an unknown host is null', async () => {
    const m = await loadHostDetail(webDeps(seeded), SEED_HOSTS.busy);
    expect(m?.gpus?.map((g) => g.slots.map((s) => [s.label, s.uses.map((u) => [u.container, u.user, u.utilizationPct])]))).toEqual([
      [['0', [['alice-notebook', 'alice', 0]]]], [['1', [['alice-notebook', 'alice', 0]]]],
      [['2', [['alice-notebook', 'alice', 0], [null, 'carol', 0]]]], [['3', [['bob-train', 'bob', 97]]]],
    ]);
    expect(await loadHostDetail(webDeps(seeded), 'nope')).toBeNull();
    const workers = await loadHostDetail(webDeps(seeded, { latest: null }), SEED_HOSTS.busy);
    expect(workers).toMatchObject({ live: false, gpus: null, untrackedProcesses: null });
    expect(workers?.alerts).toHaveLength(2);
  });
});

describe('loadAlerts', () => {
  it('firing and pending alerts with their evidence, the silences in force, the actions with their states', async () => {
    const m = await loadAlerts(webDeps(seeded));
    expect(m.firing.map((a) => a.rule)).toEqual(['gpu-quota', 'idle-gpu', 'host-silent']);
    expect(m.firing[1]).toMatchObject({ user: 'alice', stage: 'stop', labels: [['container', 'alice-notebook'], ['host', 'gpu02'], ['user', 'alice']], silencedBy: null });
    expect(m.pending.map((a) => [a.rule, a.silencedBy])).toEqual([['bare-metal-gpu', 'seed-silence-daemon']]);
    expect(m.silences).toEqual([expect.objectContaining({ id: 'seed-silence-daemon', matchers: ['user=daemon'], createdBy: 'admin-alice' })]);
    expect(m.actions.map((a) => [a.id, a.type, a.target, a.state, a.result?.outcome ?? null])).toEqual([
      ['idle-gpu-stop-1', 'stop-container', 'alice-notebook', 'scheduled', null],
      ['idle-gpu-warn-1', 'warn', 'alice-notebook', 'done', 'done'],
    ]);
  });

  it('a silence that ended is not in force, and no longer mutes its alert', async () => {
    const m = await loadAlerts(webDeps(seeded, { clock: () => new Date('2026-11-25T23:00:00.000Z') }));
    expect(m.silences).toEqual([]);
    expect(m.pending[0]?.silencedBy).toBeNull();
  });
});

describe('loadUsers and loadUser', () => {
  it('each person: GPU-eq now against quota, containers, alerts, fair share from the tracked state', async () => {
    const m = await loadUsers(webDeps(seeded));
    expect(m.users.map((u) => u.user)).toEqual(['alice', 'bob', 'carol', 'daemon', 'h.baker@hertie-school.lan', 'man', 'sys', 'games', 'www-data', 'dave']);
    const alice = m.users[0];
    expect(alice).toMatchObject({ gpuEquivalents: 3, quota: 2, overQuota: true, containers: 1, hosts: ['gpu02'], firingAlerts: 2, pendingAlerts: 0 });
    // gpu02's fair share: (41.5 + 12.2 + 2.4) / 3 decayed GPU-hours.
    expect(alice?.fairShare).toEqual([{ host: 'gpu02', decayedGpuHours: 41.5, fairShareGpuHours: 18.7, ratio: 2.219, asOf: '2026-11-25T17:17:30.000Z' }]);
    expect(m.users.find((u) => u.user === 'bob')).toMatchObject({ overQuota: false, gpuEquivalents: 1 });
    expect(m.users.find((u) => u.user === 'daemon')).toMatchObject({ pendingAlerts: 1, containers: 1 });
  });

  it('on Workers: people from tracked state and alerts, GPU-eq not known, fair share still there', async () => {
    const m = await loadUsers(webDeps(seeded, { latest: null }));
    expect(m.users.map((u) => u.user)).toEqual(['alice', 'bob', 'carol', 'daemon', 'dave', 'h.baker@hertie-school.lan', 'man', 'sys']);
    expect(m.users[0]).toMatchObject({ gpuEquivalents: null, overQuota: false, containers: null, firingAlerts: 2 });
    expect(m.users[0]?.fairShare[0]?.ratio).toBe(2.219);
  });

  it('one person: their rows and alerts only', async () => {
    const m = await loadUser(webDeps(seeded), 'daemon');
    expect(m.rows?.map((r) => r.container)).toEqual(['gwe2e31671-mount', null]);
    expect(m.alerts.map((a) => a.rule)).toEqual(['bare-metal-gpu']);
    const nobody = await loadUser(webDeps(seeded), 'zed');
    expect(nobody).toMatchObject({ rows: [], alerts: [], summary: { gpuEquivalents: 0, fairShare: [], hosts: [] } });
  });
});
