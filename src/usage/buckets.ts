// Pure: how an interval of holding splits over the history's time buckets.
import { USAGE_RETENTION_MS, USAGE_STEPS_S, type UsageIncrement, type UsageStepS } from './history.ts';

/** The part of an interval that falls into one bucket: the bucket's start (epoch s) and the seconds in it. */
export interface BucketShare {
  startS: number;
  seconds: number;
}

/** One addition to a stored bucket: key (stepS, host, user, startS) and the GPU-seconds to add. */
export interface BucketAdd {
  stepS: UsageStepS;
  host: string;
  user: string;
  startS: number;
  gpuSeconds: number;
  idleGpuSeconds: number;
}

/** Split [fromMs, toMs) over buckets of `stepS` seconds aligned to the epoch (UTC); empty when the interval is. */
export function splitIntoBuckets(fromMs: number, toMs: number, stepS: number): BucketShare[] {
  const out: BucketShare[] = [];
  const stepMs = stepS * 1000;
  for (let start = Math.floor(fromMs / stepMs) * stepMs; start < toMs; start += stepMs) {
    const seconds = (Math.min(toMs, start + stepMs) - Math.max(fromMs, start)) / 1000;
    if (seconds > 0) out.push({ startS: start / 1000, seconds });
  }
  return out;
}

/** The bucket additions of some increments, at every resolution (5-min and hourly); nothing for zero holdings. */
export function bucketAdds(increments: readonly UsageIncrement[]): BucketAdd[] {
  const out: BucketAdd[] = [];
  for (const inc of increments) {
    if (inc.gpuEquivalents <= 0) continue;
    for (const stepS of USAGE_STEPS_S) {
      for (const share of splitIntoBuckets(Date.parse(inc.from), Date.parse(inc.to), stepS)) {
        out.push({ stepS, host: inc.host, user: inc.user, startS: share.startS, gpuSeconds: inc.gpuEquivalents * share.seconds, idleGpuSeconds: inc.idleGpuEquivalents * share.seconds });
      }
    }
  }
  return out;
}

/** Per bucket width, the newest bucket start (epoch s) that is past its retention at `now`: buckets starting at or before it go. */
export function usagePruneCutoffs(now: string): Record<UsageStepS, number> {
  const nowMs = Date.parse(now);
  const cutoff = (stepS: UsageStepS): number => Math.floor((nowMs - USAGE_RETENTION_MS[stepS]) / 1000) - stepS;
  return { 300: cutoff(300), 3600: cutoff(3600) };
}

/** The bucket-start range [fromS, toS) whose buckets overlap [from, to) at `stepS`. */
export function bucketRange(from: string, to: string, stepS: number): { fromS: number; toS: number } {
  const fromS = Math.floor(Date.parse(from) / 1000 / stepS) * stepS;
  return { fromS, toS: Date.parse(to) / 1000 };
}
