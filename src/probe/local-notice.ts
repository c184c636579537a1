// What `serve --local-probe` says about this machine's sources, in plain words: once at start (from the first
// snapshot), then whenever the set of failing sources changes. A failing source is never "nothing there".
import type { HostSnapshot } from '../snapshot/schema.ts';

/** Where the local probe looked (for the words only). */
export interface NoticeSources {
  nvidiaSmiPath: string;
  /** null: Docker reading is off (--no-docker / local_probe.docker: false). */
  dockerSocketPath: string | null;
}

function firstOf(snapshot: HostSnapshot, source: string): string | null {
  return snapshot.errors.find((e) => e.source === source)?.message ?? null;
}

/** One sentence per failing (or switched-off) source; empty when every source was read. */
export function sourceProblems(snapshot: HostSnapshot, sources: NoticeSources): string[] {
  const out: string[] = [];
  const gpu = firstOf(snapshot, 'gpu');
  if (gpu !== null) {
    const missing = snapshot.errors.some((e) => e.source === 'gpu' && / not found$/.test(e.message));
    const what = missing ? `nvidia-smi not found (${sources.nvidiaSmiPath})` : `nvidia-smi failed (${gpu})`;
    out.push(`${what} — GPU processes cannot be seen on this host`);
  }
  const docker = firstOf(snapshot, 'docker');
  if (sources.dockerSocketPath === null) out.push('Docker is not read (--no-docker or local_probe.docker: false) — containers are not attributed');
  else if (docker !== null) out.push(`Docker socket ${sources.dockerSocketPath} not reachable (${lastPart(docker)}) — containers cannot be attributed`);
  for (const source of [...new Set(snapshot.errors.map((e) => e.source))]) {
    if (source === 'gpu' || source === 'docker') continue;
    out.push(`${source}: ${firstOf(snapshot, source) ?? ''}`);
  }
  return out;
}

/** The start notice, one log line each: what the first snapshot saw, and why parts of the host cannot be seen (the service runs either way). */
export function startNotice(snapshot: HostSnapshot, sources: NoticeSources): string[] {
  const seen = `${snapshot.gpus.length} GPU(s), ${snapshot.gpuProcesses.length} GPU process(es), ${snapshot.containers.length} container(s)`;
  const problems = sourceProblems(snapshot, sources);
  const head = `local probe: host ${snapshot.host}: ${seen}`;
  if (problems.length === 0) return [head];
  const failing = snapshot.errors.length > 0 ? '; each snapshot lists its source errors (rule probe-source-failing), and the service keeps running' : '';
  return [head, `local probe: ${problems.join('; ')}${failing}`];
}

/** The failing sources of a snapshot as a stable key (to tell when they change). */
export function failingSourcesKey(snapshot: HostSnapshot): string {
  return [...new Set(snapshot.errors.map((e) => e.source))].sort().join(', ');
}

/** The line when the failing sources changed since `previousKey`, or null when they did not. */
export function changeNotice(previousKey: string, snapshot: HostSnapshot): string | null {
  const key = failingSourcesKey(snapshot);
  if (key === previousKey) return null;
  if (key === '') return 'local probe: every source is readable again';
  return `local probe: ${snapshot.errors.length} source error(s) (${key}); they are listed in the snapshot's errors`;
}

/** The reason at the end of a "docker: engine at PATH: reason" message. */
function lastPart(message: string): string {
  return message.split(': ').at(-1) ?? message;
}
