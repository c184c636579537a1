// Part of bench:probe: the live cost of reading every running container's counters (cgroup CPU time,
// cgroup.procs + comm of each pid, net/dev) from a fake /proc and cgroup tree shaped like the generated host.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectCounters, DEFAULT_COLLECT_OPTIONS } from '../src/probe/collect.ts';
import { parseDockerInspect } from '../src/probe/docker/parse-inspect.ts';
import type { RawCapture } from '../src/probe/raw-capture.ts';

/** Median and minimum CPU ms of one collectCounters pass over the host's running containers, and how many. */
export function measureCounterReads(raw: RawCapture, passes = 30): { medianMs: number; minMs: number; containers: number } {
  const root = mkdtempSync(join(tmpdir(), 'gw-bench-counters-'));
  const procRoot = join(root, 'proc');
  const sysfsRoot = join(root, 'sys');
  for (const [id, r] of raw.counters) {
    mkdirSync(join(procRoot, String(r.pid), 'net'), { recursive: true });
    writeFileSync(join(procRoot, String(r.pid), 'cgroup'), r.cgroup ?? '');
    writeFileSync(join(procRoot, String(r.pid), 'net/dev'), r.netDev ?? '');
    for (const line of (r.comms ?? '').trim().split('\n')) {
      const [pid = '', comm = ''] = line.split(' ');
      mkdirSync(join(procRoot, pid), { recursive: true });
      writeFileSync(join(procRoot, pid, 'comm'), `${comm}\n`);
    }
    const cg = join(sysfsRoot, 'fs/cgroup/system.slice', `docker-${id}.scope`);
    mkdirSync(cg, { recursive: true });
    writeFileSync(join(cg, 'cpu.stat'), r.cpuStat ?? '');
    writeFileSync(join(cg, 'cgroup.procs'), r.cgroupProcs ?? '');
  }
  const containers = parseDockerInspect(raw.dockerInspect?.ok === true ? raw.dockerInspect.value : []).containers;
  const options = { ...DEFAULT_COLLECT_OPTIONS, procRoot, sysfsRoot };
  const ms: number[] = [];
  let read = 0;
  for (let i = 0; i < passes; i++) {
    const start = process.cpuUsage();
    read = collectCounters(containers, options).counters.size;
    const used = process.cpuUsage(start);
    ms.push((used.user + used.system) / 1000);
  }
  rmSync(root, { recursive: true, force: true });
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)] ?? 0, minMs: ms[0] ?? 0, containers: read };
}
