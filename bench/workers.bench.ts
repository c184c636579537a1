// npm run bench:workers: the Workers deployment as probes use it, locally in workerd (`wrangler dev --local`, no
// account, no network), with a typical snapshot (8 GPUs, 30 GPU processes, 20 containers) from 20 hosts. workerd runs
// every isolate on one thread, so CPU is read from the workerd process (utime+stime) and measured two ways:
// - with local D1: the Worker, its Durable Objects, local D1's SQLite and wrangler's proxy (an upper bound);
// - with the memory store in place of D1 (bench/worker-memory-store.ts): the Worker's own CPU plus the proxy, as on
//   Cloudflare, where D1 runs elsewhere and is not billed as Worker CPU (a lower bound: the D1 store's own
//   statement building is left out).
// The Workers Free plan allows 10 ms of CPU per request. Cold start: wrangler start to the first answer, the CPU of
// the isolate's first request (bundled config loaded, app built, code cold) and the first snapshot's wall time.
// Floor in the same run: GET /healthz through the same Worker.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { generateLargeHost, TYPICAL_HOST } from './large-host.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const HOSTS = 20;
const CLOCK_TICKS_PER_S = 100;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

/** utime + stime of a process in ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** Every descendant pid of `pid` (from /proc/<p>/stat's ppid field). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parentOf) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const workerdPid = (root: number): number => {
  const found = descendants(root).find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'workerd');
  if (found === undefined) throw new Error('no workerd process under wrangler');
  return found;
};

const snapshot = buildSnapshot(generateLargeHost(TYPICAL_HOST));
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ name: `gpu-${String(i).padStart(2, '0')}`, ...newToken() }));
const admin = newToken();
const t0 = Date.now() - 2 * 3_600_000;
let n = 0;
function nextBody(): { body: string; token: string } {
  const host = hosts[n % HOSTS] ?? hosts[0];
  const takenAt = new Date(t0 + Math.floor(n / HOSTS) * 30_000).toISOString();
  n++;
  return { body: JSON.stringify({ ...snapshot, id: `${host?.name}@${takenAt}`, host: host?.name, takenAt }), token: host?.token ?? '' };
}

/** Resolves once something accepts TCP connections on the port (no HTTP request: the isolate stays untouched). */
async function portOpen(port: number, deadline: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface PerRequest {
  cpuMs: number;
  wallMs: number;
}

interface DevFigures {
  upMs: number;
  firstRequestCpuMs: number;
  firstSnapshotMs: number;
  warm: PerRequest;
  floor: PerRequest;
}

/** Starts `wrangler dev` on `entry` (null: wrangler.toml's main) over a fresh local D1, and measures it. */
async function measureDev(entry: string | null, port: number): Promise<DevFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-bench-workers-'));
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { env, stdio: 'ignore' });
  const vars = [
    '--var', `GPUWARDEN_HOST_TOKENS:${JSON.stringify(Object.fromEntries(hosts.map((h) => [h.name, h.sha256])))}`,
    '--var', `GPUWARDEN_ADMIN_TOKENS:${JSON.stringify({ bench: admin.sha256 })}`,
  ];
  const startedAt = performance.now();
  const args = ['wrangler', 'dev', ...(entry === null ? [] : [entry]), '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', dir, ...vars];
  const child: ChildProcess = spawn('npx', args, { env, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  try {
    await portOpen(port, startedAt + 60_000);
    await new Promise((r) => setTimeout(r, 1_000)); // let wrangler's own start-up work in workerd settle
    const workerd = workerdPid(child.pid ?? 0);
    const cpuBefore = cpuMsOf(workerd);
    const firstHealth = await fetch(`${url}/healthz`);
    if (!firstHealth.ok) throw new Error(`GET /healthz: ${firstHealth.status}`);
    await firstHealth.arrayBuffer();
    const firstRequestCpuMs = cpuMsOf(workerd) - cpuBefore;
    const upMs = performance.now() - startedAt - 1_000;
    const post = async (): Promise<void> => {
      const { body, token } = nextBody();
      const res = await fetch(`${url}/v1/snapshots`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`POST /v1/snapshots: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const firstStart = performance.now();
    await post();
    const firstSnapshotMs = performance.now() - firstStart;
    for (let i = 0; i < 3 * HOSTS; i++) await post(); // each host's alerts and tracked state exist (steady state)
    const measure = async (one: () => Promise<unknown>): Promise<PerRequest> => {
      const cpu = cpuMsOf(workerd);
      const wall = performance.now();
      for (let i = 0; i < REQUESTS; i++) await one();
      return { cpuMs: (cpuMsOf(workerd) - cpu) / REQUESTS, wallMs: (performance.now() - wall) / REQUESTS };
    };
    const floor = await measure(async () => (await fetch(`${url}/healthz`)).arrayBuffer());
    const warm = await measure(post);
    return { upMs, firstRequestCpuMs, firstSnapshotMs, warm, floor };
  } finally {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // wrangler already exited
    }
    await new Promise((r) => setTimeout(r, 500));
    await rm(dir, { recursive: true, force: true });
  }
}

const port = 19_000 + (process.pid % 1000);
const d1 = await measureDev(null, port);
const memory = await measureDev('bench/worker-memory-store.ts', port + 1);
const bytes = Buffer.byteLength(nextBody().body);
const line = (p: PerRequest): string => `${p.cpuMs.toFixed(2)} ms CPU/request, ${p.wallMs.toFixed(2)} ms wall`;
console.log(`workerd (wrangler dev --local), typical snapshot ${bytes.toLocaleString('en')} bytes, ${HOSTS} hosts, ${REQUESTS} sequential requests each`);
console.log(`  cold: wrangler start to first /healthz ${d1.upMs.toFixed(0)} ms; CPU of the isolate's first request ${d1.firstRequestCpuMs === 0 ? '< 10 ms (under one tick of the 10 ms CPU clock)' : `${d1.firstRequestCpuMs.toFixed(0)} ms (10 ms resolution)`}; first snapshot ${d1.firstSnapshotMs.toFixed(1)} ms wall`);
console.log(`  POST /v1/snapshots (warm), local D1 (upper bound)       ${line(d1.warm)}`);
console.log(`  POST /v1/snapshots (warm), memory store (Worker's own)  ${line(memory.warm)}`);
console.log(`  GET /healthz (floor), local D1 / memory store           ${line(d1.floor)} / ${line(memory.floor)}`);
console.log(`  target: <= 10 ms CPU per request (Workers Free plan), warm`);
