// Thin I/O: read one running container's counter files from the host's /proc and cgroup filesystem.
import type { RawContainerCounters } from '../raw-capture.ts';
import { readSmallFile } from '../read-small-file.ts';
import { parseCgroupProcs } from './active-processes.ts';
import { cgroupCounterDirs } from './cgroup-counter-dirs.ts';

/** Which container to read: its main pid, start time and network mode (from docker inspect). */
export interface CounterTarget {
  pid: number;
  startedAt: string | null;
  networkMode: string | null;
}

/** Where the host's filesystems are (injectable so tests use a fake tree). */
export interface CounterRoots {
  procRoot: string;
  /** Mount point of sysfs; the cgroup filesystems are under `<sysfsRoot>/fs/cgroup`. */
  sysfsRoot: string;
}

/** The reading, or why there is none: `gone` (the container stopped meanwhile, not an error) or an error message. */
export type CounterReadResult = { ok: true; counters: RawContainerCounters } | { ok: false; gone: boolean; message: string };

const GONE = new Set(['ENOENT', 'ESRCH']);

// Sync reads on purpose: a few small files per container, and fs/promises costs ~10x the CPU per file.
const read = readSmallFile;

/** Network modes whose /proc/<pid>/net/dev is not the container's own (the host's, or another container's). */
export function sharesNetwork(networkMode: string | null): boolean {
  return networkMode === 'host' || (networkMode?.startsWith('container:') ?? false);
}

/** Read one container's counters: cgroup CPU time (v1 cpuacct preferred, else v2), cgroup.procs + comms, net/dev. */
export function readContainerCounters(target: CounterTarget, roots: CounterRoots, now: () => Date): CounterReadResult {
  const readAt = now().toISOString();
  const cgroup = read(`${roots.procRoot}/${target.pid}/cgroup`, true);
  if ('code' in cgroup) return { ok: false, gone: GONE.has(cgroup.code), message: `cannot read ${roots.procRoot}/${target.pid}/cgroup: ${cgroup.code}` };
  const counters: RawContainerCounters = { readAt, startedAt: target.startedAt, pid: target.pid, networkMode: target.networkMode, cgroup: cgroup.text };
  const dirs = cgroupCounterDirs(cgroup.text, `${roots.sysfsRoot}/fs/cgroup`);
  let procsDir: string | null = null;
  for (const dir of dirs.v1) {
    const usage = read(`${dir}/cpuacct.usage`, true);
    if ('text' in usage) {
      counters.cpuacctUsage = usage.text;
      procsDir = dir;
      break;
    }
  }
  if (procsDir === null) {
    for (const dir of dirs.v2) {
      const stat = read(`${dir}/cpu.stat`, true);
      if ('text' in stat) {
        counters.cpuStat = stat.text;
        procsDir = dir;
        break;
      }
    }
  }
  if (procsDir === null) {
    const tried = [...dirs.v1, ...dirs.v2];
    return { ok: false, gone: false, message: `no cgroup CPU counters for pid ${target.pid} (tried ${tried.length === 0 ? 'nothing: cgroup path not usable' : tried.join(', ')})` };
  }
  const procs = read(`${procsDir}/cgroup.procs`);
  if ('text' in procs) {
    counters.cgroupProcs = procs.text;
    const lines: string[] = [];
    for (const pid of parseCgroupProcs(procs.text)) {
      const comm = read(`${roots.procRoot}/${pid}/comm`, true);
      if ('text' in comm) lines.push(`${pid} ${comm.text.replace(/\n$/, '')}`);
    }
    counters.comms = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
  if (!sharesNetwork(target.networkMode)) {
    const net = read(`${roots.procRoot}/${target.pid}/net/dev`);
    if ('text' in net) counters.netDev = net.text;
  }
  return { ok: true, counters };
}
