// npm run bench:web: the web view's pages on a 1,000-host fleet, over real HTTP, on a real SQLite file. Each host
// has the DS01 MIG capture as its newest snapshot (8 people on 4 MIG instances), a host record, and 1 in 5 hosts a
// firing alert; an admin session is in the store. Times sequential GETs of each page (the path a browser takes:
// cookie → session lookup → loaders → render) next to GET /healthz on the same server (the floor), and prints the
// page sizes. Target: every page under 1 s at 1,000 hosts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Alert } from '../src/alerts/alert.ts';
import { fingerprint } from '../src/alerts/fingerprint.ts';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';
import { createApp } from '../src/server/app.ts';
import { sha256Hex } from '../src/server/auth.ts';
import { createLatestSnapshots } from '../src/server/latest-snapshots.ts';
import { newWebSecret } from '../src/server/web/web-secret.ts';
import { openStore } from '../src/store/open-store.ts';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-web-'));
const store = openStore(join(dir, 'gpuwarden.sqlite'));
const capture = buildSnapshot(await readCaptureDir('test/fixtures/captures/ds01-h100-mig'), DEFAULT_BUILD_OPTIONS);
const now = new Date(Date.parse(capture.takenAt) + 5_000);
const latest = createLatestSnapshots();
for (let i = 0; i < HOSTS; i += 1) {
  const host = `gpu-${String(i).padStart(4, '0')}`;
  const snapshot = { ...capture, host, id: `${host}@${capture.takenAt}` };
  latest.remember(snapshot);
  const labels = { host, user: 'daemon', pid: '32185' };
  const alerts: Alert[] = i % 5 !== 0 ? [] : [{
    fingerprint: fingerprint('untracked-host-gpu-process', labels), rule: 'untracked-host-gpu-process', host, severity: 'warning', stage: null, labels,
    annotations: { summary: 'daemon runs a GPU process outside any container', description: 'pid 32185 on MIG 0:0' }, notify: ['admins'], state: 'firing',
    activeSince: capture.takenAt, firedAt: capture.takenAt, resolvedAt: null, lastMatchedAt: capture.takenAt, updatedAt: capture.takenAt,
  }];
  await store.commitEvaluation({ hostRecord: { host, lastSeenAt: now.toISOString(), lastTakenAt: capture.takenAt, tracked: '' }, upsert: alerts, remove: [] });
}
const sessionId = newWebSecret();
await store.putWebSession({ idSha256: await sha256Hex(sessionId), viewer: { kind: 'admin', name: 'bench' }, csrfToken: newWebSecret(), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 3_600_000).toISOString() });

const app = createApp({ store, core: { ingest: () => Promise.reject(new Error('no ingest here')), tick: () => Promise.resolve() }, latest, clock: () => now, auth: { hosts: [], admins: [] } });
const server: ServerType = await new Promise((ready) => {
  const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ready(s));
});
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

async function time(path: string): Promise<{ p50: number; p95: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + 2; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie: `gw_session=${sessionId}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    if (i >= 2) ms.push(performance.now() - t0); // two warm-up requests
    bytes = body.length;
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)] ?? 0, p95: ms[Math.floor(ms.length * 0.95)] ?? 0, bytes };
}

console.log(`bench:web — ${HOSTS} hosts (${HOSTS * 4} MIG instances, ${HOSTS * 8} containers), ${Math.ceil(HOSTS / 5)} firing alerts, ${RUNS} sequential GETs each`);
console.log('page                 p50 ms   p95 ms   size');
for (const path of ['/healthz', '/ui/', '/ui/hosts', '/ui/hosts/gpu-0000', '/ui/alerts', '/ui/users', '/ui/users/daemon?range=7d']) {
  const r = await time(path);
  console.log(`${path.padEnd(20)} ${r.p50.toFixed(1).padStart(6)}   ${r.p95.toFixed(1).padStart(6)}   ${(r.bytes / 1024).toFixed(0)} KiB${path === '/healthz' ? '   (floor: the same server, no page)' : ''}`);
}
server.close();
await store.close();
await rm(dir, { recursive: true, force: true });
