import type { Database, Statement } from 'better-sqlite3';
import { bucketAdds, bucketRange, usagePruneCutoffs, type BucketAdd } from '../../usage/buckets.ts';
import { usageHistoryQuerySchema, usageIncrementSchema, type UsageBucket, type UsageHistoryQuery, type UsageIncrement } from '../../usage/history.ts';

/** One usage_history row as better-sqlite3 binds and returns it. */
export interface UsageRow {
  step_s: number;
  start_s: number;
  host: string;
  user: string;
  gpu_seconds: number;
  idle_gpu_seconds: number;
}

/** The bound parameters of a history query. */
export interface UsageQueryParams {
  stepS: number;
  fromS: number;
  toS: number;
  user: string | null;
  host: string | null;
}

/** The usage_history statements (named parameters; the D1 store rewrites them to `?N`). */
export const USAGE_SQL = {
  /** Add GPU-seconds into a bucket (created at the first addition). */
  add: `INSERT INTO usage_history (step_s, start_s, host, user, gpu_seconds, idle_gpu_seconds) VALUES (@stepS, @startS, @host, @user, @gpuSeconds, @idleGpuSeconds)
    ON CONFLICT (step_s, start_s, host, user) DO UPDATE SET gpu_seconds = gpu_seconds + excluded.gpu_seconds, idle_gpu_seconds = idle_gpu_seconds + excluded.idle_gpu_seconds`,
  /** Buckets of one width starting in [fromS, toS), by start, host, user. */
  select: `SELECT step_s, start_s, host, user, gpu_seconds, idle_gpu_seconds FROM usage_history
    WHERE step_s = @stepS AND start_s >= @fromS AND start_s < @toS AND (@user IS NULL OR user = @user) AND (@host IS NULL OR host = @host)
    ORDER BY start_s, host, user`,
  /** Drop buckets of one width starting at or before the cutoff. */
  prune: 'DELETE FROM usage_history WHERE step_s = @stepS AND start_s <= @cutoffS',
} as const;

/** The bucket additions of checked increments (a bad increment throws naming its field, before anything is written). */
export function usageAdds(increments: readonly UsageIncrement[]): BucketAdd[] {
  return bucketAdds(increments.map((inc, i) => {
    const parsed = usageIncrementSchema.safeParse(inc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(`usage[${i}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }));
}

/** The bound parameters of a checked history query. */
export function usageQueryParams(q: UsageHistoryQuery): UsageQueryParams {
  const checked = usageHistoryQuerySchema.parse(q);
  const { fromS, toS } = bucketRange(checked.from, checked.to, checked.stepS);
  return { stepS: checked.stepS, fromS, toS, user: checked.user ?? null, host: checked.host ?? null };
}

/** The bucket a row holds. */
export function rowToUsageBucket(row: UsageRow): UsageBucket {
  return { user: row.user, host: row.host, start: new Date(row.start_s * 1000).toISOString(), gpuSeconds: row.gpu_seconds, idleGpuSeconds: row.idle_gpu_seconds };
}

/** The prune parameters of each bucket width at `now`. */
export function usagePruneParams(now: string): { stepS: number; cutoffS: number }[] {
  const cutoffs = usagePruneCutoffs(new Date(now).toISOString());
  return [{ stepS: 300, cutoffS: cutoffs[300] }, { stepS: 3600, cutoffS: cutoffs[3600] }];
}

/** The usage_history table of one connection: add, query, prune. */
export class SqliteUsageTable {
  private readonly addStmt: Statement<[BucketAdd]>;
  private readonly selectStmt: Statement<[UsageQueryParams], UsageRow>;
  private readonly pruneStmt: Statement<[{ stepS: number; cutoffS: number }]>;

  /** Prepares the statements (the 0012 migration must have run). */
  constructor(db: Database) {
    this.addStmt = db.prepare(USAGE_SQL.add);
    this.selectStmt = db.prepare(USAGE_SQL.select);
    this.pruneStmt = db.prepare(USAGE_SQL.prune);
  }

  /** Add checked bucket additions (call inside a transaction to make them part of one). */
  add(adds: readonly BucketAdd[]): void {
    for (const a of adds) this.addStmt.run(a);
  }

  /** Buckets of a query, by start. */
  history(q: UsageHistoryQuery): UsageBucket[] {
    return this.selectStmt.all(usageQueryParams(q)).map(rowToUsageBucket);
  }

  /** Drop buckets past their retention at `now`; returns how many went. */
  prune(now: string): number {
    return usagePruneParams(now).reduce((n, p) => n + this.pruneStmt.run(p).changes, 0);
  }
}
