// The per-user usage history the service keeps: GPU-seconds held per host, user and time bucket (two resolutions).
import { z } from 'zod';

/** Bucket widths in seconds: 5-minute buckets (kept 48 h) and hourly buckets (kept 90 days). */
export const USAGE_STEPS_S = [300, 3600] as const;
/** One of USAGE_STEPS_S. */
export type UsageStepS = (typeof USAGE_STEPS_S)[number];

/** How long buckets of each width are kept, in ms, counted from the end of the bucket. */
export const USAGE_RETENTION_MS: Readonly<Record<UsageStepS, number>> = { 300: 48 * 3_600_000, 3600: 90 * 24 * 3_600_000 };

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
const name = z.string().min(1).max(256);

/**
 * What one user held on one host over [from, to): GPU-equivalents held, and the part of it in containers that were
 * idle. The store adds gpuEquivalents × seconds into every bucket the interval overlaps.
 */
export const usageIncrementSchema = z.strictObject({
  host: name,
  user: name,
  from: isoTime,
  to: isoTime,
  gpuEquivalents: z.number().finite().min(0),
  idleGpuEquivalents: z.number().finite().min(0),
}).refine((u) => Date.parse(u.to) >= Date.parse(u.from), { message: 'to must not be before from', path: ['to'] })
  .refine((u) => u.idleGpuEquivalents <= u.gpuEquivalents, { message: 'must not exceed gpuEquivalents', path: ['idleGpuEquivalents'] });

/** One user's holding on one host over an interval (see usageIncrementSchema). */
export type UsageIncrement = z.infer<typeof usageIncrementSchema>;

/** One stored bucket: GPU-seconds the user held on the host in [start, start + stepS), and the idle part of them. */
export const usageBucketSchema = z.strictObject({
  user: name,
  host: name,
  start: isoTime,
  gpuSeconds: z.number().finite().min(0),
  idleGpuSeconds: z.number().finite().min(0),
});

/** One stored bucket (see usageBucketSchema). */
export type UsageBucket = z.infer<typeof usageBucketSchema>;

/** A history query: buckets of width stepS overlapping [from, to), optionally of one user and/or host. */
export const usageHistoryQuerySchema = z.strictObject({
  from: isoTime,
  to: isoTime,
  stepS: z.union([z.literal(300), z.literal(3600)]),
  user: name.optional(),
  host: name.optional(),
});

/** A history query (see usageHistoryQuerySchema). */
export type UsageHistoryQuery = z.infer<typeof usageHistoryQuerySchema>;
