import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { writeCaptureDir } from '../probe/capture-dir.ts';
import { collectCounters, collectRaw } from '../probe/collect.ts';
import { parseDockerInspect } from '../probe/docker/parse-inspect.ts';
import { parseIntervalMs } from '../probe/push/duration.ts';
import type { CollectOptions } from '../probe/collect.ts';
import type { RawCapture } from '../probe/raw-capture.ts';
import { collectOptionsFrom, SOURCE_FLAGS, UsageError } from './source-options.ts';
import type { CliIo } from './io.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { CAPTURE_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden capture`. */
export const CAPTURE_FLAGS = { ...SOURCE_FLAGS, 'usage-interval': { type: 'string' } } as const;

const DEFAULT_USAGE_INTERVAL_MS = 1000;

/** Read the containers' counters again after `intervalMs`: the first reading becomes the previous one. */
async function secondReading(first: RawCapture, intervalMs: number, options: CollectOptions): Promise<RawCapture> {
  await delay(intervalMs);
  const containers = first.dockerInspect?.ok === true ? parseDockerInspect(first.dockerInspect.value).containers : [];
  const again = collectCounters(containers, options);
  return { ...first, previousCounters: first.counters, counters: again.counters, notes: [...first.notes, ...again.notes] };
}

/** `gpuwarden capture DIR`: record the raw inputs of this host. */
export async function captureCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: CAPTURE_FLAGS,
    allowPositionals: true,
    strict: true,
  });
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new UsageError('capture takes exactly one folder: gpuwarden capture DIR');
  const options = collectOptionsFrom(values, io.env);
  let intervalMs = DEFAULT_USAGE_INTERVAL_MS;
  if (values['usage-interval'] !== undefined) {
    try {
      intervalMs = values['usage-interval'] === '0' ? 0 : parseIntervalMs(values['usage-interval']);
    } catch (err) {
      throw new UsageError(`--usage-interval: ${(err as Error).message}`);
    }
  }
  const first = await collectRaw(options);
  const raw = intervalMs === 0 || first.counters.size === 0 ? first : await secondReading(first, intervalMs, options);
  await writeCaptureDir(dir, raw);
  const failed = [raw.nvidiaSmiXml, raw.nvidiaSmiList, raw.dockerInspect, raw.passwd].filter((s) => s !== null && !s.ok).length;
  io.stdout(`captured ${raw.proc.size} GPU process(es) into ${dir}${failed > 0 ? `; ${failed} source(s) failed (see *.error.json)` : ''}\n`);
  return 0;
}
