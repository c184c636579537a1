// The long-running probe: collect → spool → drain in order → sleep, until the signal fires. Sampling keeps its
// schedule: a cycle waits for its delivery only until the next sample is due; a push still in flight (a hanging
// service) carries on meanwhile, the next snapshots are spooled, and no second delivery starts until it ends.
import { setTimeout as delay } from 'node:timers/promises';
import type { ActionResult } from '../../enforcement/action.ts';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { drainSpool, type DrainResult } from './drain.ts';
import { createProblemLog, describeOutcome } from './problem-log.ts';
import { pushSnapshot, redactToken, type PushOutcome, type PushReply } from './push-client.ts';
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
  /** How a cycle waits, at most, for a delivery in flight before the next sample is due (default: a real timer, even with a fake `sleep`). */
  waitForDelivery?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Stop after this many collections (after that cycle's drain, without a final sleep). */
  maxCycles?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** First retry delay after a retryable failure, doubled each time and capped at the interval (default 1 s). */
  retryBaseMs?: number;
  spoolBounds?: Partial<SpoolBounds>;
  /** Enforcement: each accepted reply's actions go to it; its results ride in the next built snapshot. */
  enforcement?: EnforcementChannel;
}

/** What the push loop needs of the action runner (src/enforcement/probe/runner.ts). */
export interface EnforcementChannel {
  /** Start the actions of an accepted reply; must not block (actions run in the background). */
  accept(actions: PushReply['actions'], invalid: PushReply['invalidActions']): void;
  /** The snapshot just built, for what it says about targets. */
  observe(snapshot: HostSnapshot): void;
  /** Results not yet sent; they then travel with the snapshot (through the spool). */
  takeResults(): ActionResult[];
}

/** The snapshot with the enforcement results waiting to be sent (unchanged when there are none). */
export function withActionResults(snapshot: HostSnapshot, channel: EnforcementChannel | undefined): HostSnapshot {
  if (channel === undefined) return snapshot;
  channel.observe(snapshot);
  const results = channel.takeResults();
  return results.length === 0 ? snapshot : { ...snapshot, actionResults: [...(snapshot.actionResults ?? []), ...results] };
}

/** Hand an accepted reply's actions to the channel; a throwing channel is logged, never allowed to break delivery. */
export function handOverActions(outcome: PushOutcome, channel: EnforcementChannel | undefined, log: (line: string) => void): void {
  if (channel === undefined || outcome.kind !== 'accepted' || outcome.reply === undefined) return;
  try {
    channel.accept(outcome.reply.actions, outcome.reply.invalidActions);
  } catch (err) {
    log(`enforcement: cannot take the reply's actions (${err instanceof Error ? err.message : String(err)})`);
  }
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
  const waitForDelivery = options.waitForDelivery ?? abortableSleep;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const spool: Spool = await openSpool({ dir: options.spoolDir, ...options.spoolBounds, log });
  const problems = createProblemLog(url, intervalMs, log);
  const push = async (body: HostSnapshot | string): Promise<PushOutcome> => {
    const outcome = await pushSnapshot(url, token, body, { timeoutMs, now: () => new Date(now()) });
    handOverActions(outcome, options.enforcement, log);
    return outcome;
  };
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

  let inFlight: Promise<DrainResult> | null = null;
  /** Start a delivery unless one is in flight (then the snapshot waits in the spool for the next one). */
  function deliver(unspooled: HostSnapshot | null): Promise<DrainResult> {
    if (inFlight !== null) {
      if (unspooled !== null) log(`snapshot taken at ${unspooled.takenAt} is lost: it could not be spooled and a push is still in flight`);
      return inFlight;
    }
    const started = attempt(unspooled).finally(() => {
      inFlight = null;
    });
    inFlight = started;
    return started;
  }
  /** The delivery's result, or null when the next sample is due (or the signal fired) first. */
  async function settledBy(delivery: Promise<DrainResult>, deadlineMs: number): Promise<DrainResult | null> {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    let done: DrainResult | null = null;
    const finished = delivery.then((r) => {
      done = r;
      controller.abort();
    });
    try {
      await Promise.race([finished, waitForDelivery(Math.max(0, deadlineMs - now()), controller.signal)]);
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', stop);
    }
    return done;
  }

  let failures = 0;
  while (!aborted() && (options.maxCycles === undefined || summary.cycles < options.maxCycles)) {
    const cycleStartMs = now();
    summary.cycles += 1;
    let unspooled: HostSnapshot | null = null;
    try {
      const snapshot = withActionResults(await options.collect(), options.enforcement);
      try {
        await spool.append(snapshot);
      } catch (err) {
        log(`cannot spool the snapshot (${errorText(err, token)}); pushing it without a copy on disk`);
        unspooled = snapshot;
      }
    } catch (err) {
      log(`collect failed: ${errorText(err, token)}`);
    }
    const nextCycleMs = Math.max(cycleStartMs + intervalMs, now());
    const fresh = inFlight === null;
    let delivery = deliver(unspooled);
    if (aborted() || summary.cycles === options.maxCycles) {
      const last = await delivery;
      // A delivery that began before this snapshot was spooled did not send it: one more drain, so the last cycle is sent.
      if (!fresh && last.stoppedBy === null && !aborted() && spool.pending().length > 0) await deliver(null);
      break;
    }
    let result = await settledBy(delivery, nextCycleMs);
    if (aborted()) break;
    if (result === null) continue; // the next sample is due; this delivery goes on in the background

    for (;;) {
      if (result.stoppedBy?.kind === 'retry') {
        failures += 1;
        const retryAtMs = now() + backoffMs(failures, retryBaseMs, intervalMs);
        if (retryAtMs < nextCycleMs) {
          await sleep(retryAtMs - now(), signal);
          if (aborted()) break;
          delivery = deliver(null);
          result = await settledBy(delivery, nextCycleMs);
          if (result === null || aborted()) break;
          continue;
        }
      } else if (result.stoppedBy === null) {
        failures = 0;
        // A delivery that began before this cycle's snapshot was spooled did not see it: send it now, not a cycle later.
        if (spool.pending().length > 0 && !aborted()) {
          delivery = deliver(null);
          result = await settledBy(delivery, nextCycleMs);
          if (result === null || aborted()) break;
          continue;
        }
      }
      const waitMs = nextCycleMs - now();
      if (waitMs > 0) await sleep(waitMs, signal);
      break;
    }
  }
  if (inFlight !== null) await inFlight; // the request in flight is finished first
  summary.pending = spool.pending().length;
  summary.droppedTotal = spool.droppedTotal();
  return summary;
}
