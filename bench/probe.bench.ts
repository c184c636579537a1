// npm run bench:probe — replay a generated capture of a large host 50 times; print median CPU ms per
// cycle (read the capture folder + build the snapshot) and peak RSS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir, writeCaptureDir } from '../src/probe/capture-dir.ts';
import { generateLargeHost, REFERENCE_HOST } from './large-host.ts';

const CYCLES = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2 : (s[mid] ?? 0);
}

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-probe-'));
await writeCaptureDir(dir, generateLargeHost());
let peakRssBytes = process.memoryUsage().rss;
const cpuMs: number[] = [];
const buildOnlyMs: number[] = [];
let last;
for (let i = 0; i < CYCLES; i++) {
  const start = process.cpuUsage();
  const raw = await readCaptureDir(dir);
  const mid = process.cpuUsage();
  last = buildSnapshot(raw);
  const used = process.cpuUsage(start);
  const build = process.cpuUsage(mid);
  cpuMs.push((used.user + used.system) / 1000);
  buildOnlyMs.push((build.user + build.system) / 1000);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
}
await rm(dir, { recursive: true, force: true });

const s = REFERENCE_HOST;
console.log(`host: ${s.gpus} GPUs x ${s.migPerGpu} MIG, ${s.processes} processes (${s.gpuProcesses} on GPUs), ${s.containers} containers`);
console.log(`snapshot: ${last?.gpus.length} GPUs, ${last?.gpus.reduce((n, g) => n + g.migInstances.length, 0)} MIG instances, ${last?.gpuProcesses.length} GPU processes, ${last?.containers.length} containers, ${last?.errors.length} errors`);
console.log(`cycles: ${CYCLES}`);
console.log(`median CPU per cycle (read capture + build): ${median(cpuMs).toFixed(2)} ms   (target <= 30 ms)`);
console.log(`median CPU per cycle (build only):           ${median(buildOnlyMs).toFixed(2)} ms`);
console.log(`peak RSS: ${(peakRssBytes / 1024 / 1024).toFixed(1)} MB   (target <= 80 MB)`);
