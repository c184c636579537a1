// npm run bench:ingest: the ingest path as probes use it. `gpuwarden serve` (built bundle, separate process, real
// SQLite file, default pack, DS01 limits) receives snapshots of the target's typical host (8 GPUs, 30 GPU
// processes, 20 containers), each request a new snapshot of one of 100 or 1,000 hosts, from autocannon in this
// process. Beside it, in the same run, the floor: a bare Hono endpoint that only parses the same body. For each:
// server CPU per snapshot (the server process's utime+stime over the run / accepted snapshots), throughput at 10
// connections, and latency percentiles with 1,000 snapshots/s offered, after 3 snapshots per host (steady state).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { generateLargeHost, TYPICAL_HOST } from './large-host.ts';
import { serverNodeArgs, writeServeConfig } from './serve-config.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
/** Snapshots per host before measuring: the first ones create each host's alerts and tracked state (steady state after). */
const WARMUP_SNAPSHOTS_PER_HOST = 3;
const HOST_COUNTS = (process.env.BENCH_HOSTS ?? '100,1000').split(',').map(Number);
const OFFERED_PER_S = 1000;
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of a process in ms (Linux /proc/<pid>/stat, fields 14 and 15, after the command name). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

const snapshot = buildSnapshot(generateLargeHost(TYPICAL_HOST));
// The load generator shares the 2 cores with the server: bodies are spliced into a template rather than
// JSON.stringify-ing 30 KB per request.
const [pre = '', mid1 = '', mid2 = '', post = ''] = JSON.stringify({ ...snapshot, id: '\u0001', host: '\u0002', takenAt: '\u0003' }).split(/\\u000[123]/);
const bodyBytes = Buffer.byteLength(`${pre}gpu-0000@2026-11-25T12:00:00.000Z${mid1}gpu-0000${mid2}2026-11-25T12:00:00.000Z${post}`);
const checked = JSON.parse(`${pre}h@x${mid1}h${mid2}2026-11-25T12:00:00.000Z${post}`) as { id: string; host: string; takenAt: string };
if (checked.id !== 'h@x' || checked.host !== 'h' || checked.takenAt !== '2026-11-25T12:00:00.000Z') throw new Error('body template is wrong');

interface Server { child: ChildProcess; port: number; dir: string }
const spawnServer = async (args: string[], dir: string, port: number): Promise<Server> => {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(); });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, port, dir };
};

async function startGpuwarden(hosts: { name: string; sha256: string }[], port: number): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-bench-ingest-'));
  const admin = newToken();
  const config = await writeServeConfig(dir, { port, hosts, adminSha256: admin.sha256, extra: ['tick_interval_s: 15'] });
  return spawnServer([...serverNodeArgs(), 'dist/entry.mjs', 'serve', '--config', config], dir, port);
}

async function stop(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  await rm(server.dir, { recursive: true, force: true });
}

interface Phase { accepted: number; failed: number; cpuMs: number; wallS: number; p50: number; p99: number }

/** Post new snapshots round-robin over the hosts; each host's snapshots are 30 s apart and in order. */
function load(server: Server, hosts: { name: string; token: string }[], seq: { n: number }, run: { durationS: number } | { amount: number }, overallRate?: number): Promise<Phase> {
  // Starting 20 h ago: every snapshot is evaluated (none in the future, none older than max_snapshot_age_h).
  const t0 = Date.now() - 20 * 3_600_000;
  const cpuBefore = cpuMsOf(server.child.pid ?? 0);
  return autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: overallRate === undefined ? 10 : 50,
    ...('amount' in run ? { amount: run.amount } : { duration: run.durationS }),
    ...(overallRate === undefined ? {} : { overallRate }),
    requests: [{
      method: 'POST',
      path: '/v1/snapshots',
      setupRequest: (req) => {
        const n = seq.n++;
        const host = hosts[n % hosts.length] ?? hosts[0];
        const takenAt = new Date(t0 + Math.floor(n / hosts.length) * 30_000).toISOString();
        const body = `${pre}${host?.name}@${takenAt}${mid1}${host?.name}${mid2}${takenAt}${post}`;
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${host?.token}`, 'x-gpuwarden-sent-at': new Date().toISOString() };
        return { ...req, headers, body };
      },
    }],
  }).then((r) => ({
    accepted: r['2xx'],
    failed: r.non2xx + r.errors + r.timeouts,
    cpuMs: cpuMsOf(server.child.pid ?? 0) - cpuBefore,
    wallS: 'amount' in run ? r.duration : run.durationS,
    p50: r.latency.p50,
    p99: r.latency.p99,
  }));
}

interface Figures { cpuMsPerSnapshot: number; throughput: number; failed: number; offered: Phase }
async function measure(server: Server, hosts: { name: string; token: string }[]): Promise<Figures> {
  const seq = { n: 0 };
  await load(server, hosts, seq, { amount: hosts.length * WARMUP_SNAPSHOTS_PER_HOST });
  const saturated = await load(server, hosts, seq, { durationS: DURATION_S });
  const offered = await load(server, hosts, seq, { durationS: DURATION_S }, OFFERED_PER_S);
  return {
    cpuMsPerSnapshot: saturated.cpuMs / Math.max(1, saturated.accepted),
    throughput: saturated.accepted / saturated.wallS,
    failed: saturated.failed + offered.failed,
    offered,
  };
}

console.log(`snapshot: typical host (${TYPICAL_HOST.gpus} GPUs, ${TYPICAL_HOST.gpuProcesses} GPU processes, ${TYPICAL_HOST.containers} containers), ${bodyBytes.toLocaleString('en')} bytes`);
console.log(`after ${WARMUP_SNAPSHOTS_PER_HOST} snapshots per host (steady state), each figure: ${DURATION_S} s at 10 connections (CPU, throughput), then ${DURATION_S} s with ${OFFERED_PER_S} snapshots/s offered (latency); node ${process.version}`);
const port = 18_000 + (process.pid % 1000);
for (const count of HOST_COUNTS) {
  const hosts = Array.from({ length: count }, (_, i) => ({ name: `gpu-${String(i).padStart(4, '0')}`, ...newToken() }));
  const bare = await spawnServer(['dist/bare-ingest-server.mjs', String(port)], await mkdtemp(join(tmpdir(), 'gw-bench-bare-')), port);
  const floor = await measure(bare, hosts);
  await stop(bare);
  const gw = await startGpuwarden(hosts, port);
  const real = await measure(gw, hosts);
  await stop(gw);
  const line = (label: string, f: Figures): string =>
    `  ${label.padEnd(28)} ${f.cpuMsPerSnapshot.toFixed(3)} ms CPU/snapshot, ${f.throughput.toFixed(0)} snapshots/s, ` +
    `at ${OFFERED_PER_S}/s offered: ${(f.offered.accepted / f.offered.wallS).toFixed(0)}/s accepted, p50 ${f.offered.p50} ms, p99 ${f.offered.p99} ms` +
    (f.failed > 0 ? `, ${f.failed} failed` : '');
  console.log(`${count.toLocaleString('en')} hosts:`);
  console.log(line('gpuwarden serve', real));
  console.log(line('bare endpoint (parse only)', floor));
  console.log(`  ratio to bare: ${(real.cpuMsPerSnapshot / floor.cpuMsPerSnapshot).toFixed(1)}x CPU   (targets: <= 0.5 ms CPU/snapshot, <= 4x bare, p99 <= 20 ms at ${OFFERED_PER_S}/s)`);
}
