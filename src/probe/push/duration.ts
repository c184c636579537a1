import { parseDurationMs } from '../../format/duration.ts';

/** A probe or capture interval: a duration in the shared grammar (`500ms`, `30s`, `1m30s`), at least 1ms. */
export function parseIntervalMs(text: string): number {
  const ms = parseDurationMs(text);
  if (ms < 1) throw new RangeError(`"${text}" is not a positive duration: use at least 1ms, e.g. 500ms, 30s or 5m`);
  return ms;
}
