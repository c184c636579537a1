// The long-running probe keeps the previous cycle's counter readings in memory, so each snapshot carries rates.
import type { RawCapture, RawContainerCounters } from '../raw-capture.ts';

/** Remembers the last cycle's readings (keyed by container id; `startedAt` in each reading guards restarts). */
export interface CounterMemory {
  /** Give `raw` the remembered readings as `previousCounters` (unless it has its own) and remember its own. */
  carry(raw: RawCapture): RawCapture;
}

/** A fresh memory: the first cycle has no previous readings, so its usage is null. */
export function createCounterMemory(): CounterMemory {
  let last = new Map<string, RawContainerCounters>();
  return {
    carry(raw) {
      const previous = raw.previousCounters.size > 0 ? raw.previousCounters : last;
      // Only containers still present matter: the memory never grows beyond the running containers of one cycle.
      last = raw.counters;
      return { ...raw, previousCounters: previous };
    },
  };
}
