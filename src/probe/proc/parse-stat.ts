/** The parts of /proc/<pid>/stat the probe uses. */
export interface ProcStat {
  pid: number;
  /** The kernel's comm, without the parentheses; may contain spaces and `)`. */
  comm: string;
  /** One-letter state (`R`, `S`, `D`, `Z`, …). */
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks after boot. */
  startTimeTicks: number;
}

const UNSIGNED = /^\d{1,18}$/;
/** starttime is field 22; fields after the comm start at field 3. */
const START_TIME_OFFSET = 22 - 3;

function toCount(value: string | undefined): number | null {
  if (value === undefined || !UNSIGNED.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** Parse the text of /proc/<pid>/stat; null when it is malformed. Never throws. */
export function parseProcStat(text: string): ProcStat | null {
  if (typeof text !== 'string') return null;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = toCount(text.slice(0, open).trim());
  if (pid === null) return null;
  const comm = text.slice(open + 1, close);
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const ppid = toCount(rest[1]);
  const startTimeTicks = toCount(rest[START_TIME_OFFSET]);
  if (state === undefined || !/^[A-Za-z]$/.test(state) || ppid === null || startTimeTicks === null) {
    return null;
  }
  return { pid, comm, state, ppid, startTimeTicks };
}

/** 9999-12-31T23:59:59.999Z: later years need an expanded `+YYYYYY` form that ISO validators reject. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** Process start as ISO 8601 UTC from starttime ticks, /proc/stat btime and CLK_TCK (normally 100); null if unusable. */
export function startTimeIso(
  startTimeTicks: number,
  bootTimeSec: number,
  clockTicksPerSec: number,
): string | null {
  if (!Number.isFinite(startTimeTicks) || startTimeTicks < 0) return null;
  if (!Number.isFinite(bootTimeSec) || bootTimeSec < 0) return null;
  if (!Number.isFinite(clockTicksPerSec) || clockTicksPerSec <= 0) return null;
  const epochMs = Math.round(bootTimeSec * 1000 + (startTimeTicks / clockTicksPerSec) * 1000);
  if (!Number.isFinite(epochMs) || epochMs > MAX_EPOCH_MS) return null;
  return new Date(epochMs).toISOString();
}
