// The HostSnapshot contract's bounded building blocks, shared with the enforcement contract (src/enforcement).
import { z } from 'zod';

/**
 * Physical bounds of the contract: a value outside them is a broken or hostile probe, answered 400 with its path.
 * Times: years 2000-2200 (no GPU server clock is earlier; later is a typo or a forged far future). Temperature:
 * -50..150 °C (the coldest datacentre to beyond any GPU's thermal shutdown). pid: Linux pid_max is at most 2^22.
 */
export const SNAPSHOT_BOUNDS = {
  /** 16 TiB in MiB: far above any GPU's or MIG slice's memory. */
  maxMiB: 16 * 1024 * 1024,
  minTemperatureC: -50,
  maxTemperatureC: 150,
  maxPowerW: 5000,
  /** Linux `pid_max` can be raised to 4194304 (2^22) and no further. */
  maxPid: 2 ** 22,
  /** uid_t is 32 bits; 4294967295 is (uid_t)-1, "unset". */
  maxUid: 2 ** 32 - 2,
  /** A GPU, MIG or instance index / id. */
  maxIndex: 1_000_000,
  minTimeMs: Date.parse('2000-01-01T00:00:00Z'),
  maxTimeMs: Date.parse('2201-01-01T00:00:00Z'),
  /** docker stats' % of one core, for 1024 cores. */
  maxCpuPct: 100 * 1024,
  /** 1 Tbyte/s: beyond any NIC. */
  maxBytesPerS: 1e12,
  maxIntervalS: 86_400,
} as const;

const B = SNAPSHOT_BOUNDS;

/** What a snapshot id may contain: the probe's `<host>@<ISO takenAt>` and nothing that could break a log line. */
export const SNAPSHOT_ID_PATTERN = /^[A-Za-z0-9._:@+-]+$/;

/** What a host name may contain (the service config's host-name rule). */
export const SNAPSHOT_HOST_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The number written by the two ASCII digits at `at`, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `s` is plainly `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or `±HH:MM`, in the years 2001-2199: a shape
 * Date.parse always reads as a time within the contract's range (an offset moves it by under a day). Anything else
 * (including times near the range's ends) is left to Date.parse. Checked char by char: Date.parse costs more.
 */
function plainlyInRange(s: string): boolean {
  const n = s.length;
  if (n < 20 || n > 35 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const year = century * 100 + yearOfCentury;
  if (century < 0 || yearOfCentury < 0 || year < 2001 || year > 2199) return false;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (s[i] === '.') {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start || i - start > 9) return false;
  }
  if (s[i] === 'Z') return i + 1 === n;
  if (s[i] !== '+' && s[i] !== '-') return false;
  if (i + 6 !== n || s[i + 3] !== ':') return false;
  const offsetHour = twoDigits(s, i + 1);
  const offsetMinute = twoDigits(s, i + 4);
  return offsetHour >= 0 && offsetHour <= 23 && offsetMinute >= 0 && offsetMinute <= 59;
}

/** Whether an ISO time (any offset) lies in the contract's years, 2000 to 2200. */
export function isoTimeInRange(value: string): boolean {
  if (plainlyInRange(value)) return true;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= B.minTimeMs && ms < B.maxTimeMs;
}

/** An ISO 8601 time with offset, within the contract's years. */
export const isoTimeSchema = z.iso.datetime({ offset: true }).refine(isoTimeInRange, 'a time in the years 2000 to 2200');

/** A Linux uid (32 bits, not the "unset" value). */
export const uidSchema = z.number().int().nonnegative().max(B.maxUid);
/** A full Docker container id. */
export const containerIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a full 64-hex container id');
/** A Linux pid. */
export const pidSchema = z.number().int().positive().max(B.maxPid);
