// Pure: turns a stream of push failures and successes into log lines, one per distinct problem.
import { formatDurationMs } from '../../format/duration.ts';
import type { PushOutcome } from './push-client.ts';

/** Logs a delivery problem once while it lasts, and one line when deliveries resume. */
export interface ProblemLog {
  /** A push stopped draining (auth or retry); logs only when it differs from the problem already reported. */
  failed(outcome: PushOutcome, pendingCount: number): void;
  /** Snapshots were delivered; after a problem, logs that deliveries resumed. */
  delivered(count: number, pendingCount: number): void;
}

/** One-line description of why a push did not go through (`HTTP 503: busy`, `network error: ECONNREFUSED`). */
export function describeOutcome(outcome: PushOutcome): string {
  const status = outcome.status === undefined ? '' : `HTTP ${outcome.status}`;
  const message = outcome.message ?? '';
  return [status, message].filter((s) => s !== '').join(': ') || outcome.kind;
}

/** A problem log for pushes to `url` every `intervalMs`, writing through `log`. */
export function createProblemLog(url: string, intervalMs: number, log: (line: string) => void): ProblemLog {
  let current: string | null = null;
  return {
    failed(outcome, pendingCount) {
      const key = `${outcome.kind}\u0000${describeOutcome(outcome)}`;
      if (key === current) return;
      current = key;
      const why = describeOutcome(outcome);
      log(
        outcome.kind === 'auth'
          ? `push to ${url} refused the credentials (${why}); check --token-file. ${pendingCount} snapshot(s) stay spooled, retrying every ${formatDurationMs(intervalMs)}`
          : `push to ${url} failed (${why}); ${pendingCount} snapshot(s) stay spooled and will be retried`,
      );
    },
    delivered(count, pendingCount) {
      if (current === null || count === 0) return;
      current = null;
      log(`push to ${url} works again: delivered ${count} snapshot(s), ${pendingCount} still spooled`);
    },
  };
}
