// A realistic small fleet for the web view's tests, browser test and README screenshot: three hosts (the real DS01
// MIG capture, a four-GPU host, a silent one), several people (one holding GPUs idle over quota), firing and pending
// alerts, a silence, a scheduled and a done enforcement action. Seeds any Store and returns the in-memory snapshots.
import type { Alert } from '../../src/alerts/alert.ts';
import { fingerprint } from '../../src/alerts/fingerprint.ts';
import type { StoredAction } from '../../src/enforcement/stored-action.ts';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../../src/probe/capture-dir.ts';
import { createLatestSnapshots, type LatestSnapshots } from '../../src/server/latest-snapshots.ts';
import type { HostSnapshot } from '../../src/snapshot/schema.ts';
import type { Store } from '../../src/store/store.ts';
import type { UsageIncrement } from '../../src/usage/history.ts';
import { container, gpu, proc, snapshot } from './snapshot-factory.ts';

/** The seeded fleet's clock: a few seconds after the DS01 capture was taken. */
export const SEED_NOW = new Date('2026-11-25T17:18:00.000Z');

/** The real DS01 H100 capture with MIG (GPU 0: four instances; 0:0 used by two people, a host process of daemon). */
export const SEED_MIG_CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

/** Hosts of the seeded fleet: the MIG host, a busy four-GPU host, a silent host. */
export const SEED_HOSTS = { mig: 'ds01-demo', busy: 'gpu02', silent: 'gpu03' } as const;

/** What seedWebStore made: the snapshots kept in memory, and the ids of what it stored. */
export interface SeededFleet {
  latest: LatestSnapshots;
  snapshots: HostSnapshot[];
  now: Date;
  silenceId: string;
  actionIds: { scheduled: string; done: string };
}

const ago = (minutes: number): string => new Date(SEED_NOW.getTime() - minutes * 60_000).toISOString();

function alert(rule: string, host: string, labels: Record<string, string>, over: Partial<Alert> & Pick<Alert, 'state' | 'annotations'>): Alert {
  const all = { host, ...labels };
  return {
    fingerprint: fingerprint(rule, all), rule, host, severity: 'warning', stage: null, labels: all, notify: ['admins'],
    activeSince: ago(90), firedAt: over.state === 'firing' ? ago(60) : null, resolvedAt: null, lastMatchedAt: ago(1), updatedAt: ago(1), ...over,
  };
}

function tracked(s: HostSnapshot, lastActiveMinutesAgo: Readonly<Record<string, number>>, users: Readonly<Record<string, number>>): string {
  return JSON.stringify({
    version: 1, lastTakenAt: s.takenAt, processes: {}, gpus: {},
    containers: Object.fromEntries(s.containers.map((c) => [c.id, { firstSeenAt: ago(600), lastActiveAt: ago(lastActiveMinutesAgo[c.name] ?? 0) }])),
    users: Object.fromEntries(Object.entries(users).map(([u, h]) => [u, { decayedGpuHours: h, updatedAt: s.takenAt }])),
  });
}

/** The four-GPU host: alice holds three GPUs (quota 2) idle for three hours, bob trains on one, carol runs outside containers. */
function busyHost(): HostSnapshot {
  const alice = container('alice-notebook', 'alice', { devices: ['GPU-0', 'GPU-1', 'GPU-2'] });
  const bob = container('bob-train', 'bob', { devices: ['GPU-3'] });
  return snapshot(ago(0.5), {
    host: SEED_HOSTS.busy,
    gpus: [gpu(0, { utilizationPct: 0, memoryUsedMiB: 512 }), gpu(1, { utilizationPct: 0, memoryUsedMiB: 512 }), gpu(2, { utilizationPct: 0 }), gpu(3, { utilizationPct: 97, memoryUsedMiB: 71_000 })],
    containers: [alice, bob],
    gpuProcesses: [
      proc(4101, { gpuUuid: 'GPU-0', usedMemoryMiB: 500, user: 'alice', kind: 'container', containerId: alice.id, userSource: 'container-owner' }),
      proc(4102, { gpuUuid: 'GPU-3', usedMemoryMiB: 70_200, user: 'bob', kind: 'container', containerId: bob.id, userSource: 'container-owner' }),
      proc(4200, { gpuUuid: 'GPU-2', usedMemoryMiB: 3_100, user: 'carol', cmdline: 'python bench.py' }),
    ],
  });
}

/** The silent host: its last snapshot (an hour ago) said the Docker engine could not be read. */
function silentHost(): HostSnapshot {
  return snapshot(ago(62), { host: SEED_HOSTS.silent, gpus: [gpu(0), gpu(1)], errors: [{ source: 'docker', message: 'connect ENOENT /var/run/docker.sock' }] });
}

function action(id: string, type: StoredAction['action']['type'], alertOf: Alert, target: HostSnapshot['containers'][number], notBeforeMinutesAgo: number): StoredAction {
  return {
    action: {
      id, type, host: alertOf.host, user: alertOf.labels.user ?? null,
      target: { kind: 'container', containerId: target.id, name: target.name, createdAt: target.createdAt, startedAt: target.startedAt, state: target.state },
      params: type === 'warn' ? { message: 'Your GPUs have been idle for 3 h; they will be released in 30 min.' } : { remove: false, graceS: 30 },
      reason: { rule: alertOf.rule, stage: alertOf.stage, fingerprint: alertOf.fingerprint, summary: alertOf.annotations.summary },
      notBefore: ago(notBeforeMinutesAgo), expiresAt: ago(notBeforeMinutesAgo - 120),
    },
    state: 'scheduled', createdAt: ago(notBeforeMinutesAgo), approvedBy: null, approvedAt: null, result: null,
  };
}

/**
 * A week of usage on the busy host, in half-hour steps: bob trains on one GPU from 09:00 to 21:00 UTC (two GPUs on
 * two days); alice holds two GPUs most afternoons, half of it idle, and three since 10 hours ago, idle the last 3.
 */
function seedUsage(host: string): UsageIncrement[] {
  const stepMs = 30 * 60_000;
  const end = Math.floor(SEED_NOW.getTime() / stepMs) * stepMs;
  const out: UsageIncrement[] = [];
  for (let t = end - 7 * 24 * 3_600_000; t < end; t += stepMs) {
    const hour = new Date(t).getUTCHours();
    const day = new Date(t).getUTCDate();
    const hoursAgo = (end - t) / 3_600_000;
    const span = { from: new Date(t).toISOString(), to: new Date(t + stepMs).toISOString() };
    if (hour >= 9 && hour < 21) out.push({ host, user: 'bob', ...span, gpuEquivalents: day % 3 === 0 ? 2 : 1, idleGpuEquivalents: 0 });
    if (hoursAgo <= 10) out.push({ host, user: 'alice', ...span, gpuEquivalents: 3, idleGpuEquivalents: hoursAgo <= 3 ? 3 : 1 });
    else if (hour >= 12 && hour < 19 && day % 2 === 0) out.push({ host, user: 'alice', ...span, gpuEquivalents: 2, idleGpuEquivalents: 1 });
  }
  return out;
}

/** Seed `store` with the fleet; returns the snapshots as the service would keep them in memory (LatestSnapshots). */
export async function seedWebStore(store: Store): Promise<SeededFleet> {
  const mig = buildSnapshot(await readCaptureDir(SEED_MIG_CAPTURE), DEFAULT_BUILD_OPTIONS);
  const busy = busyHost();
  const silent = silentHost();
  const aliceBox = busy.containers.find((c) => c.name === 'alice-notebook');
  if (aliceBox === undefined) throw new Error('seed: alice-notebook missing');

  const idle = alert('idle-gpu', busy.host, { user: 'alice', container: 'alice-notebook' }, {
    state: 'firing', severity: 'warning', stage: 'stop',
    annotations: { summary: 'alice-notebook has held 3 GPUs idle for 3 h', description: 'GPU utilisation under 5% since 14:15 UTC; release the GPUs or start work.' },
  });
  const quota = alert('gpu-quota', busy.host, { user: 'alice' }, {
    state: 'firing', severity: 'critical',
    annotations: { summary: 'alice holds 3 GPU-equivalents, quota 2', description: 'Over the student quota of 2 GPU-equivalents.' },
  });
  const bare = alert('bare-metal-gpu', mig.host, { user: 'daemon', pid: '32185' }, {
    state: 'pending', activeSince: ago(3), lastMatchedAt: ago(0.2), updatedAt: ago(0.2),
    annotations: { summary: 'daemon runs a GPU process outside any container', description: 'pid 32185 on MIG 0:0 is not in a container.' },
  });
  const down = alert('host-silent', silent.host, {}, {
    state: 'firing', severity: 'critical', activeSince: ago(60), firedAt: ago(55),
    annotations: { summary: 'gpu03 has sent no snapshot for 1 h', description: 'The probe on gpu03 stopped reporting.' },
  });
  const warn = action('idle-gpu-warn-1', 'warn', idle, aliceBox, 40);
  const stop = action('idle-gpu-stop-1', 'stop-container', idle, aliceBox, -20);

  await store.commitEvaluation({
    hostRecord: { host: mig.host, lastSeenAt: ago(0.1), lastTakenAt: mig.takenAt, tracked: tracked(mig, { 'gwe2e31671-aime': 45 }, { man: 6.2, 'h.baker@hertie-school.lan': 3.1, daemon: 1.4, sys: 0.8 }) },
    upsert: [bare], remove: [],
  });
  await store.commitEvaluation({
    hostRecord: { host: busy.host, lastSeenAt: ago(0.5), lastTakenAt: busy.takenAt, tracked: tracked(busy, { 'alice-notebook': 183 }, { alice: 41.5, bob: 12.2, carol: 2.4 }) },
    upsert: [idle, quota], remove: [], actions: [warn, stop],
  });
  await store.commitEvaluation({
    hostRecord: { host: busy.host, lastSeenAt: ago(0.5), lastTakenAt: busy.takenAt, tracked: tracked(busy, { 'alice-notebook': 183 }, { alice: 41.5, bob: 12.2, carol: 2.4 }) },
    upsert: [], remove: [], actionResults: { host: busy.host, results: [{ id: warn.action.id, outcome: 'done', detail: 'wrote the warning to 2 terminals of alice', at: ago(39) }] },
  });
  await store.commitEvaluation({
    hostRecord: { host: silent.host, lastSeenAt: ago(61.5), lastTakenAt: silent.takenAt, tracked: tracked(silent, {}, { dave: 5 }) },
    upsert: [down], remove: [],
  });
  const silenceId = 'seed-silence-daemon';
  await store.addSilence({
    id: silenceId, matchers: [{ name: 'user', value: 'daemon', isRegex: false, isEqual: true }], createdBy: 'admin-alice',
    comment: 'daemon runs the nightly benchmark on the host, agreed with the lab', startsAt: ago(30), endsAt: ago(-240), expireOnResolve: false, createdAt: ago(30), expiredAt: null,
  });
  await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], usage: seedUsage(busy.host) });
  const latest = createLatestSnapshots();
  for (const s of [mig, busy, silent]) latest.remember(s);
  return { latest, snapshots: [mig, busy, silent], now: SEED_NOW, silenceId, actionIds: { scheduled: stop.action.id, done: warn.action.id } };
}
