/** Units a duration may use, in seconds. */
export const DURATION_UNITS_SEC = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** The accepted shape of a duration string: a whole number and one unit. */
export const DURATION_PATTERN = /^(0|[1-9][0-9]*)(s|m|h|d)$/;

/** A duration that cannot be read, with a sentence saying why and what would be accepted. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/** Explain why `text` is not a duration (the message names the value and the accepted forms). */
export function durationProblem(text: string): string | null {
  const m = DURATION_PATTERN.exec(text);
  if (m !== null) {
    const sec = Number(m[1]) * DURATION_UNITS_SEC[m[2] as keyof typeof DURATION_UNITS_SEC];
    return Number.isSafeInteger(sec) ? null : `invalid duration "${text}": too large`;
  }
  const hint = 'use a whole number and one unit s, m, h or d, e.g. 0s, 30s, 5m, 2h, 1d';
  if (/^\s|\s$/.test(text) || /\d\s+[a-z]/i.test(text)) return `invalid duration "${text}": no spaces allowed; ${hint}`;
  if (/^\d+(\.\d+)?$/.test(text)) return `invalid duration "${text}": a unit is required; ${hint}`;
  if (/^\d+\.\d+[a-z]+$/i.test(text)) return `invalid duration "${text}": fractions are not allowed; ${hint}`;
  if (/^-/.test(text)) return `invalid duration "${text}": durations cannot be negative; ${hint}`;
  if (/^0\d/.test(text)) return `invalid duration "${text}": no leading zeros; ${hint}`;
  const unit = /^\d+([a-z]+)$/i.exec(text)?.[1];
  if (unit !== undefined) return `invalid duration "${text}": unknown unit "${unit}"; ${hint}`;
  return `invalid duration "${text}": ${hint}`;
}

/** Parse `0s`, `30s`, `5m`, `2h`, `1d` into seconds; throws DurationError with a clear sentence otherwise. */
export function parseDuration(text: string): number {
  const problem = durationProblem(text);
  if (problem !== null) throw new DurationError(problem);
  const m = DURATION_PATTERN.exec(text) as RegExpExecArray;
  return Number(m[1]) * DURATION_UNITS_SEC[m[2] as keyof typeof DURATION_UNITS_SEC];
}

/** Format seconds back into the largest exact unit (3600 → `1h`, 90 → `90s`). */
export function formatDuration(sec: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = DURATION_UNITS_SEC[unit];
    if (sec > 0 && sec % size === 0) return `${sec / size}${unit}`;
  }
  return `${sec}s`;
}
