// npm run bench:fleet: a fleet-wide event. `gpuwarden serve` (separate process, real SQLite file, default pack, DS01
// limits, admins notified on a Slack webhook stand-in on loopback, grouped by alertname) receives calm snapshots from
// 1,000 hosts, then a snapshot from each in which an alert fires (all at once: one 1,000-alert group for the admins),
// then more rounds while the delivery worker sends. A poller times GET /healthz every 20 ms throughout. Prints
// snapshots/s per phase and /healthz latency percentiles (target: p99 <= 50 ms, ingest rate kept).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';
import type { HostSnapshot } from '../src/snapshot/schema.ts';
import { adminSlackRouting } from '../test/support/notify-service-files.ts';
import { serverNodeArgs, writeServeConfig } from './serve-config.ts';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const CONNECTIONS = 10;
const PORT = 19_000 + (process.pid % 1000);

// The Slack stand-in: answers 200 at once and counts messages.
let webhookMessages = 0;
const webhook = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    webhookMessages += 1;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
const webhookPort = (webhook.address() as AddressInfo).port;

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-fleet-'));
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ name: `gpu-${String(i).padStart(4, '0')}`, ...newToken() }));
const admin = newToken();
await writeFile(join(dir, 'notifications.yaml'), adminSlackRouting(`http://127.0.0.1:${webhookPort}`).join('\n'));
const config = await writeServeConfig(dir, { port: PORT, hosts, adminSha256: admin.sha256, extra: ['notifications: notifications.yaml', 'tick_interval_s: 1'] });

const server: ChildProcess = spawn(process.execPath, [...serverNodeArgs(), 'dist/entry.mjs', 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve, reject) => {
  server.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(); });
  server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});
const base = `http://127.0.0.1:${PORT}`;

// /healthz every 20 ms, latencies by phase.
let phase = 'calm';
const health = new Map<string, number[]>();
const healthFailures = new Map<string, number>();
let polling = true;
const poller = (async () => {
  while (polling) {
    const t = performance.now();
    const at = phase;
    try {
      await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer());
      const list = health.get(at) ?? [];
      list.push(performance.now() - t);
      health.set(at, list);
    } catch {
      healthFailures.set(at, (healthFailures.get(at) ?? 0) + 1);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
})();
let postFailures = 0;

// The committed DS01-like capture: an unmanaged `--gpus all` container fires unmanaged-gpu-container at once.
const capture = buildSnapshot(await readCaptureDir('test/fixtures/captures/ds01-h100-mig'));
const calm: Partial<HostSnapshot> = { containers: [], gpuProcesses: [] };
let clockMs = Date.now() - 3_600_000;

/** One snapshot from every host (10 in flight); returns snapshots/s. */
async function round(name: string, parts: Partial<HostSnapshot>): Promise<number> {
  phase = name;
  clockMs += 30_000;
  const takenAt = new Date(clockMs).toISOString();
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < hosts.length) {
      const h = hosts[next++];
      if (h === undefined) break;
      const body = JSON.stringify({ ...capture, ...parts, host: h.name, id: `${h.name}@${takenAt}`, takenAt });
      try {
        const res = await fetch(`${base}/v1/snapshots`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` }, signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        if (res.status !== 200) postFailures += 1;
      } catch {
        postFailures += 1;
      }
    }
  }));
  return hosts.length / ((performance.now() - start) / 1000);
}

const rates: [string, number][] = [];
rates.push(['calm', await round('calm', calm)]);
rates.push(['calm 2', await round('calm', calm)]);
rates.push(['event: every host fires', await round('event', {})]);
for (let i = 1; i <= 3; i++) rates.push([`after the event ${i}`, await round('after', {})]);
polling = false;
await poller;
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
webhook.close();
await rm(dir, { recursive: true, force: true });

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
console.log(`${HOSTS} hosts, ${CONNECTIONS} in flight, snapshot ${Buffer.byteLength(JSON.stringify(capture))} bytes (node ${process.version})`);
for (const [name, rate] of rates) console.log(`${name.padEnd(24)} ${rate.toFixed(0)} snapshots/s`);
for (const [name, xs] of health) {
  console.log(`/healthz during ${name.padEnd(6)} n=${xs.length} p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms   (target p99 <= 50 ms)`);
}
for (const [name, n] of healthFailures) console.log(`/healthz during ${name}: ${n} request(s) failed or took over 30 s`);
console.log(`snapshots not acknowledged: ${postFailures}; Slack messages received: ${webhookMessages}`);
