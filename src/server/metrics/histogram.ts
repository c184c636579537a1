/** What a histogram has counted: cumulative counts per upper bound (the last is +Inf), the sum and the count. */
export interface HistogramCounts {
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/** A Prometheus-style histogram kept in memory (per process; per isolate on Workers). */
export interface Histogram {
  /** Count one observation (seconds for a duration); a negative or non-finite value is ignored. */
  observe(value: number): void;
  /** The counts so far, cumulative as the exposition format wants them. */
  counts(): HistogramCounts;
}

/** Upper bounds for the snapshot ingest duration, in seconds (a snapshot takes milliseconds; seconds means trouble). */
export const INGEST_DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** A histogram over the given ascending upper bounds; +Inf is added. Throws for bounds not strictly ascending. */
export function createHistogram(bounds: readonly number[]): Histogram {
  for (let i = 1; i < bounds.length; i += 1) {
    if (!((bounds[i] ?? NaN) > (bounds[i - 1] ?? NaN))) throw new Error(`histogram bounds must ascend, got ${bounds.join(', ')}`);
  }
  const perBucket = new Array<number>(bounds.length + 1).fill(0);
  let sum = 0;
  let count = 0;
  return {
    observe(value) {
      if (!Number.isFinite(value) || value < 0) return;
      const i = bounds.findIndex((b) => value <= b);
      perBucket[i === -1 ? bounds.length : i] = (perBucket[i === -1 ? bounds.length : i] ?? 0) + 1;
      sum += value;
      count += 1;
    },
    counts() {
      let running = 0;
      const buckets = [...bounds, Infinity].map((le, i) => {
        running += perBucket[i] ?? 0;
        return { le, count: running };
      });
      return { buckets, sum, count };
    },
  };
}
