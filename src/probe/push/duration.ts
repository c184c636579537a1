const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parse a duration such as `500ms`, `30s`, `5m`, `1.5h` into whole milliseconds; throws a plain-sentence RangeError. */
export function parseDurationMs(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (match === null) throw new RangeError(`"${text}" is not a duration: use a number and a unit, like 500ms, 30s or 5m`);
  const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN));
  if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`"${text}" is not a positive duration of at least 1ms`);
  return ms;
}

/** Render milliseconds the way a person would type them (`30s`, `5m`, `1500ms`). */
export function formatDurationMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
