// Times for people: the weekday, date and minute in UTC, and how far away it is ("Fri 2026-12-04 17:00 UTC (in 1 d 4 h)").
import { formatDurationSeconds } from './duration-words.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Later than this reads as "permanent" (a grant without an end is kept as year 9999). */
const PERMANENT_FROM_MS = Date.UTC(9000, 0, 1);

/** An ISO time as `Fri 2026-12-04 17:00 UTC` (to the minute, UTC); the text itself when it is not a time. */
export function formatUtcMinute(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()] ?? ''} ${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * An ISO time and its distance from `now`: `Fri 2026-12-04 17:00 UTC (in 1 d 4 h)`, `… (3 h ago)`, `… (now)`;
 * `permanent` for a time past the year 9000; the text itself when it is not a time.
 */
export function formatTimeFromNow(iso: string, now: Date): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  if (ms >= PERMANENT_FROM_MS) return 'permanent';
  return `${formatUtcMinute(iso)} (${formatDistance(ms, now.getTime())})`;
}

/** How far `ms` lies from `nowMs` in words: `in 1 d 4 h`, `3 h ago`, or `nowWord` within 30 s. */
export function formatDistance(ms: number, nowMs: number, nowWord = 'now'): string {
  const deltaS = (ms - nowMs) / 1000;
  return Math.abs(deltaS) < 30 ? nowWord : deltaS > 0 ? `in ${formatDurationSeconds(deltaS)}` : `${formatDurationSeconds(-deltaS)} ago`;
}
