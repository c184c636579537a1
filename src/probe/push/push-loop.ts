// The long-running probe: collect → spool → drain in order → sleep, until the signal fires.
import { setTimeout as delay } from 'node:timers/promises';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { drainSpool, type DrainResult } from './drain.ts';
import { createProblemLog, describeOutcome } from './problem-log.ts';
import { pushSnapshot, redactToken, type PushOutcome } from './push-client.ts';
import { openSpool, type Spool } from './spool.ts';
import { backoffMs, type SpoolBounds } from './spool-policy.ts';

/** Everything the loop needs; `now`, `sleep` and `maxCycles` exist so tests run on a fake clock. */
export interface PushLoopOptions {
  collect: () => Promise<HostSnapshot>;
  url: string;
  token: string;
  spoolDir: string;
  intervalMs: number;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Stop after this many collections (after that cycle's drain, without a final sleep). */
  maxCycles?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** First retry delay after a retryable failure, doubled each time and capped at the interval (default 1 s). */
  retryBaseMs?: number;
  spoolBounds?: Partial<SpoolBounds>;
}

/** Totals of a finished loop. */
export interface PushLoopSummary {
  cycles: number;
  delivered: number;
  rejected: number;
  pending: number;
  droppedTotal: number;
}

/** Default per-request timeout. */
export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
/** Default first retry delay. */
export const DEFAULT_RETRY_BASE_MS = 1_000;

/** Sleep that resolves early (without throwing) when the signal fires. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (err) {
    if (signal?.aborted !== true) throw err;
  }
}

function errorText(err: unknown, token: string): string {
  return redactToken(err instanceof Error ? err.message : String(err), token);
}

/** Run the push loop until `signal` fires (the current request is finished first) or `maxCycles` is reached. */
export async function runPushLoop(options: PushLoopOptions): Promise<PushLoopSummary> {
  const { url, token, intervalMs, signal } = options;
  const log = (line: string): void => options.log(redactToken(line, token));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const spool: Spool = await openSpool({ dir: options.spoolDir, ...options.spoolBounds, log });
  const problems = createProblemLog(url, intervalMs, log);
  const push = (body: HostSnapshot | string): Promise<PushOutcome> => pushSnapshot(url, token, body, { timeoutMs, now: () => new Date(now()) });
  const aborted = (): boolean => signal?.aborted === true;
  const summary: PushLoopSummary = { cycles: 0, delivered: 0, rejected: 0, pending: 0, droppedTotal: 0 };

  /** Drain the spool, then push the one snapshot that could not be spooled (if any and if the way is clear). */
  async function attempt(unspooled: HostSnapshot | null): Promise<DrainResult> {
    let result: DrainResult;
    try {
      result = await drainSpool(spool, { push, log, ...(signal === undefined ? {} : { signal }) });
    } catch (err) {
      log(`spool error: ${errorText(err, token)}`);
      result = { handled: [], delivered: 0, rejected: 0, stoppedBy: { kind: 'retry', message: `spool error: ${errorText(err, token)}` } };
    }
    if (unspooled !== null && result.stoppedBy === null && !aborted()) {
      const outcome = await push(unspooled);
      if (outcome.kind === 'accepted' || outcome.kind === 'duplicate') result.delivered += 1;
      else if (outcome.kind === 'rejected') result.rejected += 1;
      else result.stoppedBy = outcome;
      if (outcome.kind !== 'accepted' && outcome.kind !== 'duplicate') {
        log(`snapshot taken at ${unspooled.takenAt} is lost: it could not be spooled and was not delivered (${describeOutcome(outcome)})`);
      }
    }
    summary.delivered += result.delivered;
    summary.rejected += result.rejected;
    if (result.stoppedBy === null) problems.delivered(result.delivered, spool.pending().length);
    else problems.failed(result.stoppedBy, spool.pending().length);
    return result;
  }

  let failures = 0;
  while (!aborted() && (options.maxCycles === undefined || summary.cycles < options.maxCycles)) {
    const cycleStartMs = now();
    summary.cycles += 1;
    let unspooled: HostSnapshot | null = null;
    try {
      const snapshot = await options.collect();
      try {
        await spool.append(snapshot);
      } catch (err) {
        log(`cannot spool the snapshot (${errorText(err, token)}); pushing it without a copy on disk`);
        unspooled = snapshot;
      }
    } catch (err) {
      log(`collect failed: ${errorText(err, token)}`);
    }
    let result = await attempt(unspooled);
    if (aborted() || summary.cycles === options.maxCycles) break;

    const nextCycleMs = Math.max(cycleStartMs + intervalMs, now());
    for (;;) {
      if (result.stoppedBy?.kind === 'retry') {
        failures += 1;
        const retryAtMs = now() + backoffMs(failures, retryBaseMs, intervalMs);
        if (retryAtMs < nextCycleMs) {
          await sleep(retryAtMs - now(), signal);
          if (aborted()) break;
          result = await attempt(null);
          continue;
        }
      } else if (result.stoppedBy === null) {
        failures = 0;
      }
      const waitMs = nextCycleMs - now();
      if (waitMs > 0) await sleep(waitMs, signal);
      break;
    }
  }
  summary.pending = spool.pending().length;
  summary.droppedTotal = spool.droppedTotal();
  return summary;
}
