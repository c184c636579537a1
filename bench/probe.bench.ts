// npm run bench:probe: write a generated capture of a large host, then replay it 50 times in a separate
// node process (as a probe runs its cycles) and print the median CPU ms per cycle and peak RSS.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeCaptureDir } from '../src/probe/capture-dir.ts';
import { generateLargeHost, REFERENCE_HOST } from './large-host.ts';
import { measureCounterReads } from './probe-counters.ts';

const CYCLES = 50;
const REPLAY_SCRIPT = fileURLToPath(new URL('./probe-replay.mjs', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2 : (s[mid] ?? 0);
}

const dir = await mkdtemp(join(tmpdir(), 'gw-bench-probe-'));
const host = generateLargeHost();
await writeCaptureDir(dir, host);
const nodeBaseline = await promisify(execFile)(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))']);
/** V8 heap limits for a long-running probe: the default young generation alone lets RSS grow by ~40 MB. */
const DAEMON_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=40'];
type Replay = { cpuMs: number[]; buildMs: number[]; maxRssKiB: number; summary: string };
async function replay(flags: string[]): Promise<Replay> {
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, REPLAY_SCRIPT, dir, String(CYCLES)]);
  return JSON.parse(stdout) as Replay;
}
const r = await replay([]);
const tuned = await replay(DAEMON_FLAGS);
await rm(dir, { recursive: true, force: true });

const s = REFERENCE_HOST;
console.log(`host: ${s.gpus} GPUs x ${s.migPerGpu} MIG, ${s.processes} processes (${s.gpuProcesses} on GPUs), ${s.containers} containers, ${s.users} users`);
console.log(`snapshot: ${r.summary}`);
console.log(`cycles: ${CYCLES} (node ${process.version})`);
console.log(`an empty node process: ${(Number(nodeBaseline.stdout) / 1024).toFixed(1)} MB RSS`);
for (const [label, run] of [['node defaults', r], [`probe daemon flags (${DAEMON_FLAGS.join(' ')})`, tuned]] as const) {
  console.log(`${label}:`);
  console.log(`  median CPU per cycle (read capture + build): ${median(run.cpuMs).toFixed(2)} ms   (target <= 30 ms)`);
  console.log(`  median CPU per cycle (build only):           ${median(run.buildMs).toFixed(2)} ms`);
  console.log(`  peak RSS of the replaying process:           ${(run.maxRssKiB / 1024).toFixed(1)} MB   (target <= 80 MB)`);
}
const counters = measureCounterReads(host);
console.log(`live container counters (${counters.containers} running containers, fake /proc + cgroup tree on tmpfs):`);
console.log(`  median CPU per cycle: ${counters.medianMs.toFixed(2)} ms (min ${counters.minMs.toFixed(2)} ms)`);
