// DS01 calls a container active when `ps aux` inside it shows more than shells and sleep. The probe counts the
// container cgroup's processes by their comm name, leaving out the ones that only wait.

/** Comm names that are not work: shells, sleep, and the init shims Docker and images put at pid 1. */
export const IDLE_COMMS: ReadonlySet<string> = new Set(['bash', 'sh', 'dash', 'zsh', 'ash', 'fish', 'sleep', 'tini', 'docker-init', 'dumb-init']);

/** Parse `<pid> <comm>` lines (the capture's `comms` file) into pid → comm. */
export function parseComms(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(Number(m[1]), m[2]);
  }
  return out;
}

/** Pids listed in a `cgroup.procs` file. */
export function parseCgroupProcs(text: string): number[] {
  const pids: number[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (DIGITS.test(trimmed)) pids.push(Number(trimmed));
  }
  return pids;
}

const DIGITS = /^\d+$/;

/**
 * Processes of the container other than shells, sleep and init shims. A pid whose comm is unknown (it exited
 * between the two reads) is not counted. Null when cgroup.procs was not read.
 */
export function countActiveProcesses(cgroupProcs: string | undefined, comms: string | undefined): number | null {
  if (cgroupProcs === undefined) return null;
  const names = parseComms(comms ?? '');
  let n = 0;
  for (const pid of parseCgroupProcs(cgroupProcs)) {
    const comm = names.get(pid);
    if (comm !== undefined && !IDLE_COMMS.has(comm)) n++;
  }
  return n;
}
