// Where a container's CPU counters live on the host, from its main process's /proc/<pid>/cgroup.
import { parseCgroup } from '../proc/parse-cgroup.ts';

/** Candidate cgroup directories holding the counters, most likely first; empty when they cannot be located. */
export interface CgroupCounterDirs {
  /** cgroup v1 cpuacct hierarchy (`cpuacct.usage`, `cgroup.procs`); preferred when present (hybrid hosts). */
  v1: string[];
  /** cgroup v2 unified hierarchy (`cpu.stat`, `cgroup.procs`): pure v2 at the root, hybrid under `unified/`. */
  v2: string[];
}

function usablePath(path: string): boolean {
  // `/` is what a process in a private cgroup namespace sees of its own cgroup; `..` a path from another namespace.
  return path !== '/' && !path.split('/').includes('..');
}

/** Counter directories under `cgroupRoot` (normally /sys/fs/cgroup) for the cgroup text of a container's main pid. */
export function cgroupCounterDirs(cgroupText: string, cgroupRoot: string): CgroupCounterDirs {
  const { entries } = parseCgroup(cgroupText);
  const v1: string[] = [];
  const v2: string[] = [];
  for (const e of entries) {
    if (!usablePath(e.path)) continue;
    if (e.controllers.includes('cpuacct')) {
      for (const mount of [e.controllers.join(','), 'cpuacct', 'cpu,cpuacct', 'cpuacct,cpu']) v1.push(`${cgroupRoot}/${mount}${e.path}`);
    } else if (e.hierarchyId === 0 && e.controllers.length === 0) {
      v2.push(`${cgroupRoot}${e.path}`, `${cgroupRoot}/unified${e.path}`);
    }
  }
  return { v1: [...new Set(v1)], v2: [...new Set(v2)] };
}
