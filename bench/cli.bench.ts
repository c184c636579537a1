// npm run bench:cli: start-up cost of the installed CLI (bin/gpuwarden.js running the bundle) next to bare node,
// side by side in one run: N runs of each command, median wall ms and CPU ms (user + system of the child),
// the ratio to `node -e 0` against the targets, and peak RSS from one extra run of each.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.GPUWARDEN_BENCH_RUNS ?? 10);
const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** Prints the process's peak RSS (KiB) on stderr at exit; used only in the separate RSS run. */
const RSS_REPORTER = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`))';

interface Case {
  name: string;
  args: string[];
  /** Target ratio of median wall time to `node -e 0`, when the issue sets one. */
  target?: number;
}

const CASES: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'gpuwarden version', args: ['bin/gpuwarden.js', 'version'], target: 3 },
  { name: 'gpuwarden probe --once --replay ds01-h100-mig', args: ['bin/gpuwarden.js', 'probe', '--once', '--replay', CAPTURE], target: 4 },
  // The same from the TypeScript sources through tsx: what bin/gpuwarden.js falls back to without a fresh dist/.
  { name: 'sources via tsx: version', args: ['--import', 'tsx', 'src/cli/entry.ts', 'version'] },
  { name: 'sources via tsx: probe --once --replay', args: ['--import', 'tsx', 'src/cli/entry.ts', 'probe', '--once', '--replay', CAPTURE] },
];

/** CPU seconds of this process's waited-for children so far (cutime + cstime of /proc/self/stat). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_S;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2 : (s[mid] ?? 0);
}

/** One run of `node ARGS`: wall and CPU ms; throws when it fails, so a broken command never looks fast. */
function once(args: string[]): { wallMs: number; cpuMs: number } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpu0 };
}

function peakRssMiB(args: string[]): number {
  const r = spawnSync(process.execPath, ['--import', RSS_REPORTER, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const m = /maxRSS=(\d+)/.exec(r.stderr);
  return m === null ? NaN : Number(m[1]) / 1024;
}

const hint = spawnSync(process.execPath, ['bin/gpuwarden.js', 'version'], { encoding: 'utf8' }).stderr;
if (hint !== '') throw new Error(`bin/gpuwarden.js is not running the bundle: ${hint.trim()}`);

// Interleaved (one run of each case per round), so drift on a noisy machine hits every case alike.
const samples = CASES.map(() => ({ wallMs: [] as number[], cpuMs: [] as number[] }));
for (let round = 0; round < RUNS; round++) {
  CASES.forEach((c, i) => {
    const r = once(c.args);
    samples[i]?.wallMs.push(r.wallMs);
    samples[i]?.cpuMs.push(r.cpuMs);
  });
}

const base = { wallMs: median(samples[0]?.wallMs ?? []), cpuMs: median(samples[0]?.cpuMs ?? []) };
console.log(`${RUNS} runs each, interleaved; median; CPU = user + system of the child (${1000 / TICKS_PER_S} ms ticks); node ${process.version}`);
console.log(`${'command'.padEnd(48)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'x wall'.padStart(7)} ${'x CPU'.padStart(7)} ${'RSS MiB'.padStart(8)}  target`);
CASES.forEach((c, i) => {
  const wall = median(samples[i]?.wallMs ?? []);
  const cpu = median(samples[i]?.cpuMs ?? []);
  const ratio = wall / base.wallMs;
  const target = c.target === undefined ? '' : `<= ${c.target}x wall: ${ratio <= c.target ? 'met' : 'MISSED'}`;
  console.log(
    `${c.name.padEnd(48)} ${wall.toFixed(0).padStart(8)} ${cpu.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(7)} ${(cpu / base.cpuMs).toFixed(2).padStart(7)} ${peakRssMiB(c.args).toFixed(0).padStart(8)}  ${target}`,
  );
});
