// Child process of bench:probe: replays one capture folder N times, like a probe process would run its
// cycles, and prints its own CPU per cycle and peak RSS (the kernel's maxrss) as JSON.
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';

const [dir, cyclesText = '50'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: probe-replay DIR [CYCLES]');
const cycles = Number(cyclesText);
const cpuMs: number[] = [];
const buildMs: number[] = [];
let summary = '';
for (let i = 0; i < cycles; i++) {
  const start = process.cpuUsage();
  const raw = await readCaptureDir(dir);
  const mid = process.cpuUsage();
  const s = buildSnapshot(raw);
  const all = process.cpuUsage(start);
  const build = process.cpuUsage(mid);
  cpuMs.push((all.user + all.system) / 1000);
  buildMs.push((build.user + build.system) / 1000);
  summary = `${s.gpus.length} GPUs, ${s.gpus.reduce((n, g) => n + g.migInstances.length, 0)} MIG instances, ${s.gpuProcesses.length} GPU processes, ${s.containers.length} containers, ${s.errors.length} errors`;
}
process.stdout.write(`${JSON.stringify({ cpuMs, buildMs, maxRssKiB: process.resourceUsage().maxRSS, baselineNote: 'maxRSS includes node itself', summary })}\n`);
