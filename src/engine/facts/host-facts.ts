import type { HostSnapshot } from '../../snapshot/schema.ts';
import type { Subject } from '../subject.ts';
import { round3 } from './context.ts';

/** Capacity of a host in GPU-equivalents: total, and what no container holds. */
export interface Capacity {
  totalGpuEquivalents: number;
  freeGpuEquivalents: number;
}

/**
 * Facts of a host (scope `host`). `secondsSinceSnapshot` is 0 when built from a snapshot and grows when the
 * scheduled tick rebuilds it from the stored host record, which is how "host silent" fires with no snapshot.
 */
export function hostSubject(
  host: string,
  input: {
    snapshot: HostSnapshot | null;
    capacity: Capacity | null;
    secondsSinceSnapshot: number;
    probeIntervalS: number;
    silentAfterIntervals: number;
    clockSkewS?: number | null;
    maxClockSkewS?: number | null;
  },
): Subject {
  const errors = input.snapshot?.errors ?? [];
  const skew = input.clockSkewS ?? null;
  const maxSkew = input.maxClockSkewS ?? null;
  const sources = [...new Set(errors.map((e) => e.source))].sort();
  const cap = input.capacity;
  return {
    scope: 'host',
    key: host,
    labels: { host },
    facts: {
      secondsSinceSnapshot: round3(input.secondsSinceSnapshot),
      intervalsMissed: Math.floor(input.secondsSinceSnapshot / input.probeIntervalS),
      silentAfterIntervals: input.silentAfterIntervals,
      fromSnapshot: input.snapshot !== null,
      errorCount: errors.length,
      errorSources: sources,
      errorSummary: errors.slice(0, 3).map((e) => `[${e.source}] ${e.message}`).join('; '),
      disabledSources: [...(input.snapshot?.disabledSources ?? [])].sort(),
      exitedProcesses: input.snapshot?.exitedProcesses ?? null,
      clockSkewSeconds: skew === null ? null : round3(skew),
      maxClockSkewSeconds: maxSkew,
      clockSkewed: skew === null || maxSkew === null ? null : Math.abs(skew) > maxSkew,
      gpuCount: cap === null && errors.some((e) => e.source === 'gpu') ? null : (input.snapshot?.gpus.length ?? null),
      totalGpuEquivalents: cap === null ? null : round3(cap.totalGpuEquivalents),
      freeGpuEquivalents: cap === null ? null : round3(cap.freeGpuEquivalents),
      freeRatio: cap === null || cap.totalGpuEquivalents <= 0 ? null : round3(cap.freeGpuEquivalents / cap.totalGpuEquivalents),
    },
  };
}
