// Pure rules of the spool: file names that sort oldest first, which files a bound drops, retry backoff.

/** One pending snapshot file as the spool sees it. */
export interface SpoolEntry {
  name: string;
  sizeBytes: number;
}

/** How much the spool may hold before it drops the oldest snapshots. */
export interface SpoolBounds {
  maxFiles: number;
  maxBytes: number;
}

/** 24 h of snapshots at one every 30 s, and 256 MiB. */
export const DEFAULT_SPOOL_BOUNDS: SpoolBounds = { maxFiles: 2880, maxBytes: 256 * 1024 * 1024 };

const SEQ_DIGITS = 10;
/** `20261125T171749467Z-0000000042.json`: takenAt in UTC to the millisecond, then a sequence number. */
const SPOOL_NAME = /^(\d{8}T\d{9}Z)-(\d{10})\.json$/;

/** The file name for a snapshot taken at `takenAt` (ISO, any offset) with sequence number `seq`; sorts oldest first. */
export function spoolFileName(takenAt: string, seq: number): string {
  const ms = Date.parse(takenAt);
  if (Number.isNaN(ms)) throw new RangeError(`takenAt "${takenAt}" is not a time`);
  const iso = new Date(ms).toISOString(); // 2026-11-25T17:17:49.467Z
  if (iso.length !== 24) throw new RangeError(`takenAt "${takenAt}" is outside years 0000-9999`);
  const stamp = iso.replace(/[-:.]/g, ''); // 20261125T171749467Z
  return `${stamp}-${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

/** The sequence number of a spool file name, or null when the name is not a spooled snapshot. */
export function spoolSeqOf(name: string): number | null {
  const match = SPOOL_NAME.exec(name);
  return match === null ? null : Number(match[2]);
}

/** Spooled snapshot names in replay order, oldest first (other names are left out). */
export function replayOrder(names: readonly string[]): string[] {
  return names.filter((n) => SPOOL_NAME.test(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Which entries (given oldest first) to drop so the rest fit the bounds: always the oldest, never the newest
 * one (a single snapshot larger than maxBytes is still kept, so the latest state is never lost to the bound).
 */
export function planDrops(entriesOldestFirst: readonly SpoolEntry[], bounds: SpoolBounds): string[] {
  let count = entriesOldestFirst.length;
  let bytes = entriesOldestFirst.reduce((sum, e) => sum + e.sizeBytes, 0);
  const drops: string[] = [];
  for (const entry of entriesOldestFirst) {
    if (count <= 1 || (count <= bounds.maxFiles && bytes <= bounds.maxBytes)) break;
    drops.push(entry.name);
    count -= 1;
    bytes -= entry.sizeBytes;
  }
  return drops;
}

/** Delay before retry number `failures` (1 = first retry): base doubled each time, capped at `capMs`. */
export function backoffMs(failures: number, baseMs: number, capMs: number): number {
  if (failures < 1) return 0;
  const exponent = Math.min(failures - 1, 30);
  return Math.min(baseMs * 2 ** exponent, capMs);
}
