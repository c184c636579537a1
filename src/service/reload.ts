import type { Alert } from '../alerts/alert.ts';
import type { ReloadReport } from '../server/routes/events.ts';
import type { Store } from '../store/store.ts';
import { reloadEvent } from '../events/event.ts';
import type { ServeParts } from './load-serve-parts.ts';
import { logText } from './log-text.ts';

/** What a reloader works with: the parts in force, how to read new ones, and how to swap them in. */
export interface ReloaderDeps {
  store: Store;
  clock: () => Date;
  log: (line: string) => void;
  current: () => ServeParts;
  /** Read and check every file again; throws with every problem. */
  read: () => Promise<ServeParts>;
  /** Swap the new parts in; returns the alerts dropped because their rule is gone. */
  swap: (next: ServeParts) => Promise<Alert[]>;
  newId?: () => string;
}

/** Alert lines listed in a reload event at most (the count is always given). */
const MAX_DROPPED_LINES = 50;

function problemLines(err: unknown): string[] {
  const problems = (err as { problems?: unknown } | null)?.problems;
  if (Array.isArray(problems) && problems.every((p) => typeof p === 'string')) return problems;
  return (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l !== '');
}

/** Settings that a running server cannot change (the socket, the store, timers, the body limit, the public URL): a reload reports them. */
function restartOnly(before: ServeParts['config'], after: ServeParts['config']): string[] {
  const changed: string[] = [];
  if (before.listen.host !== after.listen.host || before.listen.port !== after.listen.port) changed.push('listen');
  if (before.store !== after.store) changed.push('store');
  if (before.tickIntervalS !== after.tickIntervalS) changed.push('tick_interval_s');
  if (before.bodyLimitBytes !== after.bodyLimitBytes) changed.push('body_limit_bytes');
  if (before.publicUrl !== after.publicUrl) changed.push('public_url');
  return changed.map((k) => `${k} changed: takes effect at the next restart (the running value is kept)`);
}

function ruleChanges(before: ReadonlySet<string>, after: ReadonlySet<string>): { summary: string; details: string[] } {
  const added = [...after].filter((r) => !before.has(r)).sort();
  const removed = [...before].filter((r) => !after.has(r)).sort();
  const details = [...added.map((r) => `rule ${r} added`), ...removed.map((r) => `rule ${r} removed`)];
  return { summary: `${before.size} → ${after.size} rules (${added.length} added, ${removed.length} removed)`, details };
}

/**
 * Reload (SIGHUP, POST /v1/reload): read and check everything again; only when all of it is valid swap it in at
 * once, else keep the running config and say why. Each reload is logged and recorded as a `config.reload` (or `config.reload_failed`) event naming who
 * triggered it. Reloads run one at a time, in the order asked.
 */
export function createReloader(deps: ReloaderDeps): (by: string) => Promise<ReloadReport> {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let queue: Promise<unknown> = Promise.resolve();

  async function record(by: string, report: ReloadReport): Promise<ReloadReport> {
    deps.log(`reload (${logText(by)}): ${report.ok ? 'applied' : 'failed, the running config is kept'}: ${logText(report.summary)}`);
    for (const line of report.details) deps.log(`reload: ${logText(line)}`);
    await deps.store
      .addEvent(reloadEvent(newId(), deps.clock(), by, report))
      .catch((err: unknown) => deps.log(`reload: the event could not be recorded: ${logText(err instanceof Error ? err.message : String(err))}`));
    return report;
  }

  async function reloadOnce(by: string): Promise<ReloadReport> {
    const before = deps.current();
    let next: ServeParts;
    try {
      next = await deps.read();
    } catch (err) {
      const details = problemLines(err);
      return record(by, { ok: false, summary: `kept the running config (${before.rules.ruleIds.size} rules): ${details.length} problem(s)`, details });
    }
    const rules = ruleChanges(before.rules.ruleIds, next.rules.ruleIds);
    const dropped = await deps.swap(next);
    const droppedLines = dropped.slice(0, MAX_DROPPED_LINES).map((a) => `alert ${a.rule} on ${a.host} (${a.state}, ${JSON.stringify(a.labels)}) dropped: its rule is gone, so it is no longer checked`);
    if (dropped.length > MAX_DROPPED_LINES) droppedLines.push(`and ${dropped.length - MAX_DROPPED_LINES} more alerts dropped`);
    const summary = `${rules.summary}${dropped.length === 0 ? '' : `, ${dropped.length} alert(s) of removed rules dropped`}`;
    return record(by, { ok: true, summary, details: [...rules.details, ...droppedLines, ...restartOnly(before.config, next.config)] });
  }

  return (by) => {
    const run = queue.then(() => reloadOnce(by));
    queue = run.catch(() => undefined);
    return run;
  };
}
