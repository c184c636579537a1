// npm run bench:probe: lay a generated large host out as live sources (fake /proc and cgroup tree, stand-in
// nvidia-smi and getent, a fake Docker Engine API on a unix socket), run the probe daemon's real cycle 100 times in
// a separate node process with the daemon's V8 flags, and print CPU per cycle, RSS and Docker requests per cycle;
// then replay the same host from a capture folder, the cost of building the snapshot alone.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeCaptureDir } from '../src/probe/capture-dir.ts';
import { startFakeDockerApi } from '../test/support/fake-docker-api.ts';
import { generateLargeHost, REFERENCE_HOST } from './large-host.ts';
import { writeLiveHost } from './live-host.ts';

const CYCLES = 100;
const WARM_UP = 10;
const REPLAY_CYCLES = 50;
const LIVE_SCRIPT = fileURLToPath(new URL('./probe-live.mjs', import.meta.url));
const REPLAY_SCRIPT = fileURLToPath(new URL('./probe-replay.mjs', import.meta.url));
/** The V8 heap limits the long-running probe ships with (README: "The long-running probe is meant to run that way"). */
const DAEMON_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=40'];
const run = promisify(execFile);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2 : (s[mid] ?? 0);
}
const mb = (kib: number): string => `${(kib / 1024).toFixed(1)} MB`;

type Live = { cpuMs: number[]; childMs: number[]; rssKiB: number[]; startedAtMs: number[]; rssAfterLoadKiB: number; maxRssKiB: number; summary: string; errors: string[] };
type Replay = { cpuMs: number[]; buildMs: number[]; maxRssKiB: number; summary: string };

// The fake /proc and cgroup trees live in memory like the real ones (on tmpfs where /dev/shm is one).
const root = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gw-bench-probe-'));
const host = generateLargeHost();
const files = writeLiveHost(host, root);
const docker = await startFakeDockerApi(join(root, 'docker.sock'), files.docs);
const configPath = join(root, 'live.json');
await writeFile(configPath, JSON.stringify({ ...files, docs: undefined, dockerSocketPath: docker.socketPath }));

const floor = await run(process.execPath, [...DAEMON_FLAGS, '-e', 'const u=process.cpuUsage();process.stdout.write(JSON.stringify({rss:process.resourceUsage().maxRSS,cpu:(u.user+u.system)/1000}))']);
const empty = JSON.parse(floor.stdout) as { rss: number; cpu: number };
// The fake engine runs in this process, so the child's CPU figure holds only the probe's side of each request.
const extra = (process.env.GW_BENCH_LIVE_FLAGS ?? '').split(' ').filter((f) => f !== '');
const { stdout } = await run(process.execPath, [...DAEMON_FLAGS, ...extra, LIVE_SCRIPT, configPath, String(CYCLES)], { maxBuffer: 16 * 1024 * 1024 });
const live = JSON.parse(stdout) as Live;
await docker.close();

const perCycle = live.startedAtMs.map((start, i) => {
  const end = live.startedAtMs[i + 1] ?? Number.POSITIVE_INFINITY;
  return docker.requests.filter((r) => r.atMs >= start && r.atMs < end).length;
});
const steady = (xs: number[]): number[] => xs.slice(WARM_UP);

const captureDir = join(root, 'capture');
await writeCaptureDir(captureDir, host);
const replayOut = await run(process.execPath, [...DAEMON_FLAGS, REPLAY_SCRIPT, captureDir, String(REPLAY_CYCLES)]);
const replay = JSON.parse(replayOut.stdout) as Replay;
await rm(root, { recursive: true, force: true });

const s = REFERENCE_HOST;
console.log(`host: ${s.gpus} GPUs x ${s.migPerGpu} MIG, ${s.processes} processes (${s.gpuProcesses} on GPUs), ${s.containers} containers, ${s.users} users`);
console.log(`node ${process.version}, flags ${DAEMON_FLAGS.join(' ')} (the probe daemon's)`);
console.log(`floor, \`node -e\` with the same flags: ${mb(empty.rss)} RSS, ${empty.cpu.toFixed(1)} ms CPU`);
console.log(`live cycle x ${CYCLES} (collectRaw with one session + counter memory + buildSnapshot; fake nvidia-smi, Docker API, /proc, cgroups, getent):`);
console.log(`  snapshot: ${live.summary}${live.errors.length > 0 ? ` — first: ${live.errors.join(' | ')}` : ''}`);
console.log(`  median CPU per cycle, probe process: ${median(steady(live.cpuMs)).toFixed(2)} ms (first cycle ${live.cpuMs[0]?.toFixed(1)} ms)   (target <= 30 ms)`);
console.log(`  median CPU per cycle, its children (stand-in nvidia-smi is sh + cat, getent): ${median(steady(live.childMs)).toFixed(0)} ms (not the probe's own)`);
console.log(`  RSS after loading modules: ${mb(live.rssAfterLoadKiB)}; after warm-up (cycle ${WARM_UP}): ${mb(live.rssKiB[WARM_UP - 1] ?? 0)}; max over cycles ${WARM_UP + 1}-${CYCLES}: ${mb(Math.max(...steady(live.rssKiB)))}; kernel peak ${mb(live.maxRssKiB)}   (target <= 80 MB)`);
console.log(`  Docker API requests per cycle: first ${perCycle[0]}, then median ${median(steady(perCycle))} (max ${Math.max(...steady(perCycle))})`);
console.log(`capture replay x ${REPLAY_CYCLES} (read capture folder + build; no counters memory):`);
console.log(`  median CPU per cycle: ${median(replay.cpuMs).toFixed(2)} ms, build only ${median(replay.buildMs).toFixed(2)} ms, peak RSS ${mb(replay.maxRssKiB)}`);
