// Pure: the periods the usage history is shown over, and the bucket-aligned window of each.
import type { UsageStepS } from './history.ts';

/** The periods GET /v1/usage/history and the web view's charts offer. */
export const USAGE_RANGES = ['24h', '7d', '30d'] as const;
/** One of USAGE_RANGES. */
export type UsageRange = (typeof USAGE_RANGES)[number];

const SPAN_MS: Readonly<Record<UsageRange, number>> = { '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000, '30d': 30 * 24 * 3_600_000 };
const STEP_S: Readonly<Record<UsageRange, UsageStepS>> = { '24h': 300, '7d': 3600, '30d': 3600 };

/** A range's words for people: "the last 24 hours". */
export const USAGE_RANGE_WORDS: Readonly<Record<UsageRange, string>> = { '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' };

/** The window of a range at `now`: bucket width, and [from, to) ending at the end of the bucket holding `now`. */
export function usageWindow(range: UsageRange, now: Date): { stepS: UsageStepS; from: Date; to: Date } {
  const stepS = STEP_S[range];
  const stepMs = stepS * 1000;
  const toMs = Math.floor(now.getTime() / stepMs) * stepMs + stepMs;
  return { stepS, from: new Date(toMs - SPAN_MS[range]), to: new Date(toMs) };
}
