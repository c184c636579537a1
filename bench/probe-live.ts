// Child process of bench:probe: runs the probe daemon's real cycle (collectRaw with one CollectSession kept
// across cycles, the counter memory, buildSnapshot; no push) N times against the fake sources the parent laid
// out, and prints per-cycle CPU (its own, and its reaped children's), RSS and cycle start times as JSON.
import { readFileSync } from 'node:fs';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../src/probe/build-snapshot.ts';
import { collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from '../src/probe/collect.ts';
import { createUserResolver } from '../src/probe/proc/users.ts';
import { createCounterMemory } from '../src/probe/usage/counter-memory.ts';

/** What the parent hands over (paths of the fakes). */
interface LiveConfig {
  procRoot: string;
  sysfsRoot: string;
  homeRoot: string;
  nvidiaSmiPath: string;
  getentPath: string;
  dockerSocketPath: string;
}

/** CPU ms of reaped children (cutime + cstime of /proc/self/stat, 10 ms resolution). */
function childCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const [configPath, cyclesText = '100'] = process.argv.slice(2);
if (configPath === undefined) throw new Error('usage: probe-live CONFIG.json [CYCLES]');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as LiveConfig;
const cycles = Number(cyclesText);
const rssAfterLoadKiB = process.memoryUsage.rss() / 1024;
const options: CollectOptions = {
  ...DEFAULT_COLLECT_OPTIONS,
  nvidiaSmiPath: config.nvidiaSmiPath,
  dockerSocketPath: config.dockerSocketPath,
  procRoot: config.procRoot,
  sysfsRoot: config.sysfsRoot,
  homeRoot: config.homeRoot,
  host: 'bench-host',
};
const buildOptions = { ...DEFAULT_BUILD_OPTIONS, homeRoot: config.homeRoot };
const session = createCollectSession({ users: createUserResolver({ getentPath: config.getentPath }) });
const memory = createCounterMemory();
const cpuMs: number[] = [];
const childMs: number[] = [];
const rssKiB: number[] = [];
const startedAtMs: number[] = [];
let summary = '';
let errors: string[] = [];
for (let i = 0; i < cycles; i++) {
  startedAtMs.push(Date.now());
  const child = childCpuMs();
  const start = process.cpuUsage();
  const s = buildSnapshot(memory.carry(await collectRaw(options, session)), buildOptions);
  const used = process.cpuUsage(start);
  cpuMs.push((used.user + used.system) / 1000);
  childMs.push(childCpuMs() - child);
  rssKiB.push(process.memoryUsage.rss() / 1024);
  const owned = s.gpuProcesses.filter((p) => p.user !== null).length;
  const withUsage = s.containers.filter((c) => c.usage !== null).length;
  summary = `${s.gpus.length} GPUs, ${s.gpuProcesses.length} GPU processes (${owned} with a user), ${s.containers.length} containers (${withUsage} with usage), ${s.errors.length} errors`;
  errors = s.errors.slice(0, 3).map((e) => `${e.source}: ${e.message}`);
}
const out = { cpuMs, childMs, rssKiB, startedAtMs, rssAfterLoadKiB, maxRssKiB: process.resourceUsage().maxRSS, summary, errors };
process.stdout.write(`${JSON.stringify(out)}\n`);
