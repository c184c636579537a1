// `probe --once --push`: spool one snapshot, drain the spool in order, and say what became of that snapshot.
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { drainSpool } from './drain.ts';
import { describeOutcome } from './problem-log.ts';
import { pushSnapshot, redactToken, type PushOutcome } from './push-client.ts';
import { openSpool } from './spool.ts';
import type { SpoolBounds } from './spool-policy.ts';

/** One delivery attempt of one snapshot, with older spooled ones sent first. */
export interface PushOnceOptions {
  snapshot: HostSnapshot;
  url: string;
  token: string;
  spoolDir: string;
  timeoutMs: number;
  log: (line: string) => void;
  spoolBounds?: Partial<SpoolBounds>;
}

/** What became of the snapshot: delivered (accepted or duplicate), rejected, spooled for later, or lost. */
export type PushOnceFate = 'accepted' | 'duplicate' | 'rejected' | 'spooled' | 'lost';

/** The fate, the outcome that decided it, and the state of the spool afterwards. */
export interface PushOnceResult {
  fate: PushOnceFate;
  outcome: PushOutcome | null;
  olderDelivered: number;
  pending: number;
  rejectedPath: string | null;
}

/** Spool the snapshot, drain the spool oldest first, and report this snapshot's fate; never throws for network trouble. */
export async function pushOnce(options: PushOnceOptions): Promise<PushOnceResult> {
  const { snapshot, url, token, timeoutMs } = options;
  const log = (line: string): void => options.log(redactToken(line, token));
  const push = (body: HostSnapshot | string): Promise<PushOutcome> => pushSnapshot(url, token, body, { timeoutMs });
  const spool = await openSpool({ dir: options.spoolDir, ...options.spoolBounds, log });

  let name: string | null = null;
  try {
    name = await spool.append(snapshot);
  } catch (err) {
    log(`cannot spool the snapshot (${redactToken((err as Error).message, token)}); pushing it without a copy on disk`);
  }
  const drained = await drainSpool(spool, { push, log });
  const mine = drained.handled.find((h) => h.name === name);
  const olderDelivered = drained.delivered - (mine !== undefined && (mine.outcome.kind === 'accepted' || mine.outcome.kind === 'duplicate') ? 1 : 0);
  const pending = spool.pending().length;

  if (name === null) {
    if (drained.stoppedBy !== null) return { fate: 'lost', outcome: drained.stoppedBy, olderDelivered, pending, rejectedPath: null };
    const outcome = await push(snapshot);
    const fate: PushOnceFate = outcome.kind === 'auth' || outcome.kind === 'retry' ? 'lost' : outcome.kind;
    if (fate === 'rejected') log(`snapshot rejected (${describeOutcome(outcome)})`);
    return { fate, outcome, olderDelivered, pending, rejectedPath: null };
  }
  if (mine === undefined) return { fate: 'spooled', outcome: drained.stoppedBy, olderDelivered, pending, rejectedPath: null };
  if (mine.outcome.kind === 'rejected') {
    return { fate: 'rejected', outcome: mine.outcome, olderDelivered, pending, rejectedPath: `${spool.rejectedDir}/${mine.name}` };
  }
  if (mine.outcome.kind === 'accepted' || mine.outcome.kind === 'duplicate') {
    return { fate: mine.outcome.kind, outcome: mine.outcome, olderDelivered, pending, rejectedPath: null };
  }
  return { fate: 'spooled', outcome: mine.outcome, olderDelivered, pending, rejectedPath: null };
}
