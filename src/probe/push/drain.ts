// Send the spooled snapshots oldest first; stop at the first one that must wait, so the order is kept.
import type { PushOutcome } from './push-client.ts';
import type { Spool } from './spool.ts';

/** What happened to one spooled file during a drain. */
export interface DrainedFile {
  name: string;
  outcome: PushOutcome;
}

/** Result of one drain: each file handled, and the failure that stopped it (null when the spool was emptied or the signal fired). */
export interface DrainResult {
  handled: DrainedFile[];
  delivered: number;
  rejected: number;
  stoppedBy: PushOutcome | null;
}

/** How to drain: the push (JSON text in, outcome out), the log, and the stop signal checked before each request. */
export interface DrainOptions {
  push: (json: string) => Promise<PushOutcome>;
  log: (line: string) => void;
  signal?: AbortSignal;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Push every pending snapshot in order until one must be retried (auth or retry), or the signal fires. */
export async function drainSpool(spool: Spool, options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { handled: [], delivered: 0, rejected: 0, stoppedBy: null };
  for (const name of spool.pending()) {
    if (options.signal?.aborted === true) break;
    let json: string;
    try {
      json = await spool.read(name);
    } catch (err) {
      if (isMissing(err)) {
        await spool.remove(name); // removed by hand meanwhile: nothing to send
        continue;
      }
      throw err;
    }
    const outcome: PushOutcome = isJsonObject(json)
      ? await options.push(json)
      : { kind: 'rejected', message: 'the spooled file is not a JSON object (damaged on disk)' };
    result.handled.push({ name, outcome });
    if (outcome.kind === 'accepted' || outcome.kind === 'duplicate') {
      await spool.remove(name);
      result.delivered += 1;
    } else if (outcome.kind === 'rejected') {
      const target = await spool.reject(name);
      result.rejected += 1;
      const status = outcome.status === undefined ? 'not sent' : `HTTP ${outcome.status}`;
      options.log(`snapshot ${name} rejected (${status}: ${outcome.message ?? 'no message'}); moved to ${target}`);
    } else {
      result.stoppedBy = outcome;
      break;
    }
  }
  return result;
}
