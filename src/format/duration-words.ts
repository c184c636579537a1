// Durations for people: the two most significant units ("7 d 13 h", "2 min 50 s", "45 s", "1 h 5 min").

/** Units from the largest, with their length in seconds. */
const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * A duration in seconds as words, at most two units, rounded to the smaller of the two ("1 h 5 min", "45 s");
 * a zero second unit is left out ("2 h"). Under a second reads "0 s"; not a finite number reads "unknown".
 */
export function formatDurationSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 0) return `-${formatDurationSeconds(-seconds)}`;
  const first = UNITS.findIndex(([, size]) => seconds >= size);
  if (first === -1) return '0 s';
  const [bigName, bigSize] = UNITS[first] ?? ['s', 1];
  const small = UNITS[first + 1];
  if (small === undefined) return `${Math.round(seconds / bigSize)} ${bigName}`;
  const [smallName, smallSize] = small;
  const total = Math.round(seconds / smallSize);
  const perBig = bigSize / smallSize;
  const big = Math.floor(total / perBig);
  const rest = total - big * perBig;
  // Rounding may carry into a larger unit (59.6 min → 1 h): format the rounded value again.
  if (first > 0 && big * bigSize >= (UNITS[first - 1]?.[1] ?? Infinity)) return formatDurationSeconds(total * smallSize);
  return rest === 0 ? `${big} ${bigName}` : `${big} ${bigName} ${rest} ${smallName}`;
}

/** `formatDurationSeconds` for a value in minutes. */
export function formatDurationMinutes(minutes: number): string {
  return formatDurationSeconds(minutes * 60);
}

/** `formatDurationSeconds` for a value in hours. */
export function formatDurationHours(hours: number): string {
  return formatDurationSeconds(hours * 3_600);
}

/** Time from `fromIso` to `toIso` in words ("3 h 20 min"); null when either is not a time. */
export function durationBetween(fromIso: string, toIso: string): string | null {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return formatDurationSeconds(Math.max(0, to - from) / 1000);
}
