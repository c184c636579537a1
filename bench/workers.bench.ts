// npm run bench:workers: the Workers deployment as probes use it, locally in workerd (`wrangler dev --local`, local
// D1, no account, no network). It measures the cold start (wrangler start to the first answered snapshot; and the
// first snapshot's own latency) and the warm CPU per typical snapshot (8 GPUs, 30 GPU processes, 20 containers)
// from the workerd process's utime+stime over sequential posts. Local D1 runs inside the same workerd process, so
// its SQLite time is in the figure (on Cloudflare it is not billed as Worker CPU): an upper bound for the 10 ms
// CPU per request of the Workers Free plan. Floor in the same run: GET /healthz through the same Worker.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-workers-'));
const port = 19_000 + (process.pid % 1000);
execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { env, stdio: 'ignore' });
const vars = [
  '--var', `GPUWARDEN_HOST_TOKENS:${JSON.stringify(Object.fromEntries(hosts.map((h) => [h.name, h.sha256])))}`,
  '--var', `GPUWARDEN_ADMIN_TOKENS:${JSON.stringify({ bench: admin.sha256 })}`,
];
const startedAt = performance.now();
const child: ChildProcess = spawn('npx', ['wrangler', 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', dir, ...vars], { env, stdio: 'ignore', detached: true });
const url = `http://127.0.0.1:${port}`;
try {
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (performance.now() - startedAt > 60_000) throw new Error('wrangler dev did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const upMs = performance.now() - startedAt;
  const post = async (): Promise<number> => {
    const { body, token } = nextBody();
    const res = await fetch(`${url}/v1/snapshots`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`POST /v1/snapshots: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return res.status;
  };
  const firstStart = performance.now();
  await post();
  const firstMs = performance.now() - firstStart;
  const workerd = workerdPid(child.pid ?? 0);
  for (let i = 0; i < 3 * HOSTS; i++) await post(); // each host's alerts and tracked state exist (steady state)

  const measure = async (count: number, one: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> => {
    const cpu = cpuMsOf(workerd);
    const wall = performance.now();
    for (let i = 0; i < count; i++) await one();
    return { cpuMs: (cpuMsOf(workerd) - cpu) / count, wallMs: (performance.now() - wall) / count };
  };
  const floor = await measure(REQUESTS, async () => (await fetch(`${url}/healthz`)).arrayBuffer());
  const warm = await measure(REQUESTS, post);
  const bytes = Buffer.byteLength(nextBody().body);
  console.log(`workerd (wrangler dev --local, local D1), typical snapshot ${bytes.toLocaleString('en')} bytes, ${HOSTS} hosts, ${REQUESTS} sequential requests each`);
  console.log(`  cold: wrangler start to first /healthz ${upMs.toFixed(0)} ms; first snapshot (isolate start + module init + evaluation) ${firstMs.toFixed(1)} ms`);
  console.log(`  POST /v1/snapshots (warm)  ${warm.cpuMs.toFixed(2)} ms workerd CPU/request (D1 included), ${warm.wallMs.toFixed(2)} ms wall`);
  console.log(`  GET /healthz (floor)       ${floor.cpuMs.toFixed(2)} ms workerd CPU/request, ${floor.wallMs.toFixed(2)} ms wall`);
  console.log(`  target: <= 10 ms CPU per request (Workers Free plan), warm`);
} finally {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // wrangler already exited
  }
  await new Promise((r) => setTimeout(r, 500));
  await rm(dir, { recursive: true, force: true });
}
