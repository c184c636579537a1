// Who a pid is right now: its start time (the same ISO value the snapshot carries) and its real uid, read from /proc.
import { readFile } from 'node:fs/promises';
import { parseBootTimeSec } from '../../probe/proc/parse-boot-time.ts';
import { parseProcStat, startTimeIso } from '../../probe/proc/parse-stat.ts';
import { parseProcStatus } from '../../probe/proc/parse-status.ts';

/** Clock ticks per second of /proc/<pid>/stat's starttime (USER_HZ; what the collector assumes too). */
export const CLOCK_TICKS_PER_SEC = 100;

/** A live process as /proc shows it. */
export interface ProcessIdentity {
  pid: number;
  startTime: string | null;
  uid: number | null;
  /** One-letter state; `Z` is a zombie (exited, not yet reaped). */
  state: string;
}

/** Boot time in seconds since the epoch from `<procRoot>/stat`; null when unreadable. */
export async function readBootTimeSec(procRoot: string): Promise<number | null> {
  try {
    return parseBootTimeSec(await readFile(`${procRoot}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The process's identity, or null when it no longer exists (or /proc cannot say). */
export async function readProcessIdentity(procRoot: string, pid: number, bootTimeSec: number | null): Promise<ProcessIdentity | null> {
  let statText: string;
  let statusText: string;
  try {
    [statText, statusText] = await Promise.all([readFile(`${procRoot}/${pid}/stat`, 'utf8'), readFile(`${procRoot}/${pid}/status`, 'utf8')]);
  } catch {
    return null;
  }
  const stat = parseProcStat(statText);
  if (stat === null) return null;
  const status = parseProcStatus(statusText);
  return {
    pid,
    startTime: bootTimeSec === null ? null : startTimeIso(stat.startTimeTicks, bootTimeSec, CLOCK_TICKS_PER_SEC),
    uid: status?.uid?.real ?? null,
    state: stat.state,
  };
}
