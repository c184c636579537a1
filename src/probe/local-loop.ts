// The probe loop of `serve --local-probe`: collect this machine → the snapshot contract → the core's ingest, every
// interval, in the serve process. No HTTP, token or spool: the core is right here. The reply's due actions go to the
// probe's action runner exactly as a pushing probe's accepted reply does, and the results ride in the next snapshot.
import { parseActions } from '../enforcement/probe/parse-actions.ts';
import type { IngestResult } from '../service/core.ts';
import { hostSnapshotSchema, type HostSnapshot } from '../snapshot/schema.ts';
import { abortableSleep, handOverActions, withActionResults, type EnforcementChannel } from './push/push-loop.ts';

/** What the local loop needs; `now`, `sleep` and `maxCycles` exist so tests need no real timers. */
export interface LocalLoopOptions {
  collect: () => Promise<HostSnapshot>;
  /** The service core's ingest (serve passes `core.ingest` with its clock as receive time). */
  ingest: (snapshot: HostSnapshot) => Promise<Pick<IngestResult, 'accepted' | 'actions'>>;
  intervalMs: number;
  log: (line: string) => void;
  enforcement?: EnforcementChannel;
  /** Each snapshot as it goes to ingest (serve prints the source notice and changes of source errors). */
  onSnapshot?: (snapshot: HostSnapshot) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  maxCycles?: number;
}

/** Totals of the loop so far. */
export interface LocalLoopSummary {
  cycles: number;
  accepted: number;
  duplicate: number;
  /** Snapshots that did not fit the contract, or whose ingest failed. */
  failed: number;
}

/** A running local probe loop. */
export interface LocalLoop {
  /** Stop after the cycle in flight (its ingest finishes first); resolves with the totals. Idempotent. */
  stop(): Promise<LocalLoopSummary>;
  /** Settles when the loop has ended (stop() or maxCycles). */
  done: Promise<LocalLoopSummary>;
}

/** The snapshot as the service would receive it over HTTP (JSON, then the HostSnapshot schema), or why it does not fit. */
export function asReceived(snapshot: HostSnapshot): { ok: true; snapshot: HostSnapshot } | { ok: false; message: string } {
  const parsed = hostSnapshotSchema.safeParse(JSON.parse(JSON.stringify(snapshot)));
  if (parsed.success) return { ok: true, snapshot: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, message: `${parsed.error.issues.length} problem(s): ${issues.join('; ')}` };
}

/** Start the loop: the first snapshot at once, then one every `intervalMs` from the start of the previous cycle. */
export function startLocalLoop(options: LocalLoopOptions): LocalLoop {
  const { log, enforcement } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const controller = new AbortController();
  const summary: LocalLoopSummary = { cycles: 0, accepted: 0, duplicate: 0, failed: 0 };

  async function cycle(): Promise<void> {
    let built: HostSnapshot;
    try {
      built = withActionResults(await options.collect(), enforcement);
    } catch (err) {
      summary.failed += 1;
      log(`local probe: collect failed: ${messageOf(err)}`);
      return;
    }
    const received = asReceived(built);
    if (!received.ok) {
      summary.failed += 1;
      log(`local probe: snapshot taken at ${built.takenAt} does not fit the snapshot contract, not evaluated (${received.message})`);
      return;
    }
    try {
      options.onSnapshot?.(received.snapshot);
    } catch (err) {
      log(`local probe: ${messageOf(err)}`);
    }
    let result: Pick<IngestResult, 'accepted' | 'actions'>;
    try {
      result = await options.ingest(received.snapshot);
    } catch (err) {
      summary.failed += 1;
      log(`local probe: ingest of the snapshot taken at ${built.takenAt} failed: ${messageOf(err)}`);
      return;
    }
    if (result.accepted) summary.accepted += 1;
    else summary.duplicate += 1;
    // The actions as a pushing probe reads them from the JSON reply: each parsed, a bad one reported, never dropped.
    const { actions, invalid } = parseActions(JSON.parse(JSON.stringify(result.actions)) as unknown[]);
    const reply = { accepted: result.accepted, alerts: [], actions, invalidActions: invalid };
    handOverActions({ kind: result.accepted ? 'accepted' : 'duplicate', reply }, enforcement, log);
  }

  const done = (async (): Promise<LocalLoopSummary> => {
    const { signal } = controller;
    while (!signal.aborted && (options.maxCycles === undefined || summary.cycles < options.maxCycles)) {
      const startedMs = now();
      summary.cycles += 1;
      await cycle();
      if (signal.aborted || summary.cycles === options.maxCycles) break;
      const waitMs = startedMs + options.intervalMs - now();
      if (waitMs > 0) await sleep(waitMs, signal);
    }
    return { ...summary };
  })();

  return {
    done,
    stop: (): Promise<LocalLoopSummary> => {
      controller.abort();
      return done;
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
