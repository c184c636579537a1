// npm run bench:ingest: autocannon against `gpuwarden serve` (a separate process, real SQLite file, the default
// pack and DS01 limits) on loopback, with snapshots of 100 hosts, every request a new snapshot. Prints
// accepted snapshots/s and latency percentiles.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';

const HOSTS = 100;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PORT = 18_000 + (process.pid % 1000);

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-ingest-'));
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ name: `gpu-${String(i).padStart(3, '0')}`, ...newToken() }));
const admin = newToken();
await writeFile(join(dir, 'gpuwarden.yaml'), [
  `listen: {host: 127.0.0.1, port: ${PORT}}`,
  `store: ${process.env.BENCH_STORE ?? join(dir, 'gw.sqlite')}`,
  'hosts:',
  ...hosts.map((h) => `  ${h.name}: {token_sha256: ${h.sha256}}`),
  `admins: [{name: bench, token_sha256: ${admin.sha256}}]`,
  `limits: ${join(process.cwd(), 'config/resource-limits.example.yaml')}`,
  `rules: ${join(process.cwd(), 'rules')}`,
  'tick_interval_s: 15',
].join('\n'));

const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
const server: ChildProcess = spawn(process.execPath, [...nodeArgs, 'dist/entry.mjs', 'serve', '--config', join(dir, 'gpuwarden.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve, reject) => {
  server.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(); });
  server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});

// A real DS01-like snapshot (the committed capture: 1 H100 with 4 MIG instances, 9 GPU processes, 10 containers).
const base = buildSnapshot(await readCaptureDir('test/fixtures/captures/ds01-h100-mig'));
// Each host's snapshots are 30 s apart, starting 3 h ago: every one is evaluated (none in the future, none older than
// the service's max_snapshot_age_h), as live probes' would be.
const t0 = Date.now() - 3 * 3_600_000;
// The load generator shares the 2 cores with the server: build bodies by splicing into a template rather than
// JSON.stringify-ing 10 KB per request.
const [pre = '', mid1 = '', mid2 = '', post = ''] = JSON.stringify({ ...base, id: '\u0001', host: '\u0002', takenAt: '\u0003' }).split(/\\u000[123]/);
const probe = JSON.parse(`${pre}gpu-000@x${mid1}gpu-000${mid2}2026-11-25T12:00:00.000Z${post}`) as { id: string; host: string; takenAt: string };
if (probe.id !== 'gpu-000@x' || probe.host !== 'gpu-000' || probe.takenAt !== '2026-11-25T12:00:00.000Z') throw new Error('body template is wrong');
let seq = 0;
const result = await autocannon({
  url: `http://127.0.0.1:${PORT}`,
  connections: CONNECTIONS,
  duration: DURATION_S,
  requests: [{
    method: 'POST',
    path: '/v1/snapshots',
    setupRequest: (req) => {
      const n = seq++;
      const host = hosts[n % HOSTS] ?? hosts[0];
      const takenAt = new Date(t0 + Math.floor(n / HOSTS) * 30_000).toISOString();
      const body = `${pre}${host?.name}@${takenAt}${mid1}${host?.name}${mid2}${takenAt}${post}`;
      return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${host?.token}` }, body };
    },
  }],
});
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
await rm(dir, { recursive: true, force: true });

const ok = result['2xx'];
console.log(`${HOSTS} hosts, ${CONNECTIONS} connections, ${DURATION_S} s, snapshot ${Buffer.byteLength(JSON.stringify(base))} bytes (node ${process.version})`);
console.log(`accepted snapshots: ${ok} (non-2xx: ${result.non2xx}, errors: ${result.errors}, timeouts: ${result.timeouts})`);
console.log(`throughput: ${(ok / DURATION_S).toFixed(0)} snapshots/s   (target >= 2000)`);
console.log(`latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms   (target p99 <= 20 ms)`);
