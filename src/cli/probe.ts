import { parseArgs } from 'node:util';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../probe/build-snapshot.ts';
import { readCaptureDir } from '../probe/capture-dir.ts';
import { collectRaw, createCollectSession, type CollectOptions } from '../probe/collect.ts';
import { formatDurationMs } from '../format/duration.ts';
import { parseIntervalMs } from '../probe/push/duration.ts';
import { describeOutcome } from '../probe/push/problem-log.ts';
import { pushOnce, type PushOnceResult } from '../probe/push/push-once.ts';
import { DEFAULT_PUSH_TIMEOUT_MS, runPushLoop, type EnforcementChannel } from '../probe/push/push-loop.ts';
import { defaultSpoolDir, parseServiceUrl } from '../probe/push/push-settings.ts';
import { SpoolError } from '../probe/push/spool.ts';
import { createCounterMemory } from '../probe/usage/counter-memory.ts';
import { readTokenFile, TokenFileError } from '../probe/push/token-file.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import { collectOptionsFrom, redactionFrom, replayHostFrom, SOURCE_FLAGS, UsageError } from './source-options.ts';
import type { RawCapture } from '../probe/raw-capture.ts';
import { renderTable } from './render-table.ts';
import type { CliIo } from './io.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { PROBE_USAGE } from './usage.ts';

const PUSH_FLAGS = {
  push: { type: 'string' },
  'token-file': { type: 'string' },
  interval: { type: 'string' },
  spool: { type: 'string' },
  'enforcement-config': { type: 'string' },
} as const;

/** parseArgs options of `gpuwarden probe`. */
export const PROBE_FLAGS = { once: { type: 'boolean' }, json: { type: 'boolean' }, replay: { type: 'string' }, ...PUSH_FLAGS, ...SOURCE_FLAGS } as const;

const DEFAULT_INTERVAL_MS = 30_000;

function sourceErrorWarning(snapshot: HostSnapshot): string | null {
  if (snapshot.errors.length === 0) return null;
  const sources = [...new Set(snapshot.errors.map((e) => e.source))].join(', ');
  return `warning: ${snapshot.errors.length} source error(s) (${sources}); they are listed in the snapshot's errors\n`;
}

function onceResultLine(snapshot: HostSnapshot, url: string, spoolDir: string, r: PushOnceResult): string {
  const what = `${snapshot.host} ${snapshot.takenAt}`;
  const older = r.olderDelivered > 0 ? `; also delivered ${r.olderDelivered} older spooled snapshot(s)` : '';
  const why = r.outcome === null ? 'unknown' : describeOutcome(r.outcome);
  switch (r.fate) {
    case 'accepted': {
      const reply = r.outcome?.reply;
      return `delivered ${what} to ${url} (accepted; ${reply?.alerts.length ?? 0} alert(s), ${reply?.actions.length ?? 0} action(s))${older}`;
    }
    case 'duplicate':
      return `delivered ${what} to ${url} (duplicate: the service already had it)${older}`;
    case 'rejected':
      return `rejected ${what} by ${url} (${why})${r.rejectedPath === null ? '' : `; moved to ${r.rejectedPath}`}${older}`;
    case 'spooled':
      return `spooled ${what} in ${spoolDir} (${why}); ${r.pending} snapshot(s) wait for the next push${older}`;
    case 'lost':
      return `not delivered and not spooled: ${what} (${why})`;
  }
}

/** `gpuwarden probe`: print one snapshot (`--once`), push one (`--once --push`), or push every interval (`--push`). */
export async function probeCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: PROBE_FLAGS,
    strict: true,
  });
  if (values.push === undefined) {
    for (const flag of ['token-file', 'interval', 'spool', 'enforcement-config'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} only applies with --push URL`);
    }
    if (values.once !== true) throw new UsageError('probe needs --once (print one snapshot) or --push URL (send snapshots to the service)');
  }
  const homeRoot = typeof values['home-root'] === 'string' ? values['home-root'] : DEFAULT_BUILD_OPTIONS.homeRoot;
  const buildOptions = { ...DEFAULT_BUILD_OPTIONS, homeRoot, redaction: redactionFrom(values) };
  const replay = values.replay;
  const collectOptions = replay === undefined ? collectOptionsFrom(values, io.env) : null;
  const replayHost = replay === undefined ? null : replayHostFrom(values);
  const readReplay = async (dir: string): Promise<RawCapture> => {
    const raw = await readCaptureDir(dir);
    return replayHost === null ? raw : { ...raw, meta: { ...raw.meta, host: replayHost } };
  };
  // Container usage needs two readings: the probe keeps the previous cycle's counters in memory.
  const memory = createCounterMemory();
  // Kept across cycles too: nvidia-smi children (a wedged one is never joined by another) and the user cache.
  const session = createCollectSession();
  const snapshotNow = async (): Promise<HostSnapshot> =>
    buildSnapshot(collectOptions === null ? await readReplay(replay ?? '') : memory.carry(await collectRaw(collectOptions, session)), buildOptions);

  if (values.push === undefined) {
    const snapshot = await snapshotNow();
    io.stdout(values.json === true ? `${JSON.stringify(snapshot, null, 2)}\n` : renderTable(snapshot));
    const warning = sourceErrorWarning(snapshot);
    if (warning !== null) io.stderr(warning);
    return 0;
  }

  if (values.json === true) throw new UsageError('--json prints a snapshot; it cannot be combined with --push');
  if (replay !== undefined && values.once !== true) throw new UsageError('--replay needs --once (a replayed capture is one snapshot)');
  if (values['token-file'] === undefined) throw new UsageError('--push needs --token-file F (a file holding the service token)');
  if (values['enforcement-config'] !== undefined && values.once === true) {
    throw new UsageError('--enforcement-config applies to the long-running probe (--push without --once): actions are reported in the next snapshot');
  }
  let url: string;
  let intervalMs = DEFAULT_INTERVAL_MS;
  try {
    const service = parseServiceUrl(values.push);
    url = service.url;
    if (service.cleartext) io.stderr(`warning: --push ${url} is plain http to another host: the token travels unencrypted\n`);
  } catch (err) {
    throw new UsageError(`--push: ${(err as Error).message}`);
  }
  if (values.interval !== undefined) {
    try {
      intervalMs = parseIntervalMs(values.interval);
    } catch (err) {
      throw new UsageError(`--interval: ${(err as Error).message}`);
    }
  }
  const spoolDir = values.spool ?? defaultSpoolDir(process.getuid?.());
  const log = (line: string): void => io.stderr(`${line}\n`);

  let token: string;
  try {
    const file = await readTokenFile(values['token-file']);
    token = file.token;
    if (file.warning !== null) io.stderr(`warning: ${file.warning}\n`);
  } catch (err) {
    if (!(err instanceof TokenFileError)) throw err;
    io.stderr(`gpuwarden probe: ${err.message} (--token-file)\n`);
    return 2;
  }

  try {
    if (values.once === true) {
      const snapshot = await snapshotNow();
      const warning = sourceErrorWarning(snapshot);
      if (warning !== null) io.stderr(warning);
      const result = await pushOnce({ snapshot, url, token, spoolDir, timeoutMs: DEFAULT_PUSH_TIMEOUT_MS, log });
      io.stdout(`${onceResultLine(snapshot, url, spoolDir, result)}\n`);
      // Refused credentials are a failure to fix now (the snapshot waits in the spool all the same).
      return result.fate === 'rejected' || result.fate === 'lost' || result.outcome?.kind === 'auth' ? 1 : 0;
    }
    const enforcement = await startEnforcement(values['enforcement-config'] ?? null, collectOptions, log, io);
    if (enforcement === null) return 2;
    return await pushForever({ url, token, spoolDir, intervalMs, log, io, collect: snapshotNow, signal, enforcement });
  } catch (err) {
    if (!(err instanceof SpoolError)) throw err;
    io.stderr(`gpuwarden probe: ${err.message} (--spool)\n`);
    return 1;
  }
}

interface ForeverOptions {
  url: string;
  token: string;
  spoolDir: string;
  intervalMs: number;
  log: (line: string) => void;
  io: CliIo;
  collect: () => Promise<HostSnapshot>;
  signal: AbortSignal | undefined;
  enforcement: EnforcementChannel;
}

/**
 * The action runner of the long-running probe, from --enforcement-config (default: dry-run, warn only); null after
 * printing why when the file is broken. Loaded only here, so `probe --once` never loads the enforcement modules.
 */
async function startEnforcement(file: string | null, collect: CollectOptions | null, log: (line: string) => void, io: CliIo): Promise<EnforcementChannel | null> {
  const { EnforcementConfigError } = await import('../enforcement/probe/settings.ts');
  const { startActionRunner } = await import('../enforcement/probe/start-runner.ts');
  try {
    return await startActionRunner(file, { dockerSocketPath: collect?.dockerSocketPath ?? null, procRoot: collect?.procRoot ?? '/proc' }, log);
  } catch (err) {
    if (!(err instanceof EnforcementConfigError)) throw err;
    io.stderr(`gpuwarden probe: ${err.message} (--enforcement-config)\n`);
    return null;
  }
}

/** The push loop, stopped by SIGTERM/SIGINT (or the given signal) after the request in flight. */
async function pushForever(o: ForeverOptions): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const signal = o.signal ?? controller.signal;
  if (o.signal === undefined) {
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  let lastWarning: string | null = null;
  const collect = async (): Promise<HostSnapshot> => {
    const snapshot = await o.collect();
    const warning = sourceErrorWarning(snapshot);
    if (warning !== null && warning !== lastWarning) o.io.stderr(warning);
    lastWarning = warning;
    return snapshot;
  };
  o.log(`pushing snapshots to ${o.url} every ${formatDurationMs(o.intervalMs)}; spool ${o.spoolDir}`);
  try {
    const s = await runPushLoop({ collect, url: o.url, token: o.token, spoolDir: o.spoolDir, intervalMs: o.intervalMs, log: o.log, signal, enforcement: o.enforcement });
    o.log(`stopped after ${s.cycles} cycle(s): ${s.delivered} delivered, ${s.rejected} rejected, ${s.pending} still spooled in ${o.spoolDir}`);
    return 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
