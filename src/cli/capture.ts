import { parseArgs } from 'node:util';
import { writeCaptureDir } from '../probe/capture-dir.ts';
import { collectRaw } from '../probe/collect.ts';
import { collectOptionsFrom, SOURCE_FLAGS, UsageError } from './source-options.ts';
import type { CliIo } from './io.ts';

/** Usage text of `gpuwarden capture`. */
export const CAPTURE_USAGE = `gpuwarden capture DIR [source flags]

  Records this host's raw probe inputs (nvidia-smi -q -x and -L, docker inspect, /proc of each GPU
  process, NSS lines of the users seen, owners of home bind mounts) into DIR, for a bug report or a test.
  Command lines are stored with secrets masked (as in the snapshot); add site patterns with --redact REGEX.
  Replay anywhere with: gpuwarden probe --once --replay DIR
`;

/** `gpuwarden capture DIR`: record the raw inputs of this host. */
export async function captureCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...SOURCE_FLAGS }, allowPositionals: true, strict: true });
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new UsageError('capture takes exactly one folder: gpuwarden capture DIR');
  const options = collectOptionsFrom(values, io.env);
  const raw = await collectRaw(options);
  await writeCaptureDir(dir, raw);
  const failed = [raw.nvidiaSmiXml, raw.nvidiaSmiList, raw.dockerInspect, raw.passwd].filter((s) => s !== null && !s.ok).length;
  io.stdout(`captured ${raw.proc.size} GPU process(es) into ${dir}${failed > 0 ? `; ${failed} source(s) failed (see *.error.json)` : ''}\n`);
  return 0;
}
