// A flood of identical lines (401s from a misconfigured probe or a scanner) must not fill the disk: per key, one line
// per window, and the next line that gets through says how many were held back.

/** What the limiter decided for one event. */
export type SuppressDecision = { log: true; suppressed: number } | { log: false };

/** Options of createSuppressor. */
export interface SuppressorOptions {
  /** At most one line per key in this many milliseconds. */
  windowMs: number;
  /** Keys remembered at most; when full, expired keys go, then the oldest (bounded memory under a spoofed-key flood). */
  maxKeys?: number;
}

/** Decides per key whether a line is written now; `suppressed` = lines of that key held back since the last one. */
export interface Suppressor {
  decide(key: string, nowMs: number): SuppressDecision;
}

/** A per-key rate limiter for log lines; throws for a window or size that is not a positive whole number. */
export function createSuppressor(options: SuppressorOptions): Suppressor {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(options.windowMs) || options.windowMs <= 0) throw new Error(`windowMs must be a positive whole number, got ${String(options.windowMs)}`);
  if (!Number.isInteger(maxKeys) || maxKeys <= 0) throw new Error(`maxKeys must be a positive whole number, got ${String(maxKeys)}`);
  /** key → when its last line was written and how many were held back since. Map order = insertion order. */
  const seen = new Map<string, { sinceMs: number; held: number }>();
  return {
    decide(key, nowMs) {
      const entry = seen.get(key);
      if (entry !== undefined && nowMs - entry.sinceMs < options.windowMs && nowMs >= entry.sinceMs) {
        entry.held += 1;
        return { log: false };
      }
      const suppressed = entry?.held ?? 0;
      seen.delete(key);
      if (seen.size >= maxKeys) evict(seen, nowMs, options.windowMs, maxKeys);
      seen.set(key, { sinceMs: nowMs, held: 0 });
      return { log: true, suppressed };
    },
  };
}

function evict(seen: Map<string, { sinceMs: number; held: number }>, nowMs: number, windowMs: number, maxKeys: number): void {
  for (const [key, entry] of seen) if (nowMs - entry.sinceMs >= windowMs) seen.delete(key);
  for (const key of seen.keys()) {
    if (seen.size < maxKeys) break;
    seen.delete(key);
  }
}
