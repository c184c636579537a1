// The nvidia-smi part of a probe cycle: `-q -x` every cycle, `-L` only when its answer may have changed.
import { gpuLayoutOf } from './gpu/gpu-layout.ts';
import { parseNvidiaSmiXml } from './gpu/parse-xml.ts';
import type { RawSource } from './raw-capture.ts';
import type { RedactionRules } from './redact/redact-argv.ts';
import { redactXmlProcessNames } from './redact/redact-xml-process-names.ts';
import type { CommandRunner, RunOptions } from './run-command.ts';

/** Said for nvidia-smi when the previous cycle's one has not exited, instead of starting another. */
export const NVIDIA_SMI_STILL_RUNNING = 'nvidia-smi from the previous cycle is still running';

/** How long a cycle waits for the previous cycle's killed nvidia-smi to be reaped before calling it still running. */
const NVIDIA_SMI_EXIT_GRACE_MS = 500;

/** How long a kept `nvidia-smi -L` answer is used at most (a MIG instance destroyed and made again gets a new UUID). */
export const GPU_LIST_MAX_AGE_MS = 600_000;

/** The last good `nvidia-smi -L` answer, the GPU layout it was read under, and when. */
export interface KeptGpuList {
  layout: string;
  list: RawSource<string>;
  atMs: number;
}

/** One cycle's nvidia-smi inputs, process names in the XML already masked. */
export interface NvidiaSmiReading {
  xml: RawSource<string>;
  list: RawSource<string>;
}

/** What the step needs from the cycle. */
export interface NvidiaSmiStepOptions {
  path: string;
  run: RunOptions;
  redaction: RedactionRules;
  nowMs: number;
}

const busy: RawSource<string> = { ok: false, error: { exitCode: null, stderr: '', message: NVIDIA_SMI_STILL_RUNNING } };

function masked(xml: RawSource<string>, redaction: RedactionRules): RawSource<string> {
  // Secrets never leave the host: mask them in the raw inputs themselves, so a capture folder holds none either.
  return xml.ok ? { ok: true, value: redactXmlProcessNames(xml.value, redaction) } : xml;
}

function layoutOf(xml: RawSource<string>): string | null {
  return xml.ok ? gpuLayoutOf(parseNvidiaSmiXml(xml.value)) : null;
}

/**
 * Run `nvidia-smi -q -x`, and `-L` beside it when nothing is kept; with a kept `-L` answer, run `-L` again only
 * when the XML's GPU layout differs from the one it was read under, the XML failed, or it is older than
 * GPU_LIST_MAX_AGE_MS. Returns the reading and what to keep for the next cycle. No nvidia-smi is started while
 * one of an earlier cycle is still alive.
 */
export async function readNvidiaSmi(runner: CommandRunner, kept: KeptGpuList | null, o: NvidiaSmiStepOptions): Promise<{ reading: NvidiaSmiReading; kept: KeptGpuList | null }> {
  if (!(await runner.idle(NVIDIA_SMI_EXIT_GRACE_MS))) return { reading: { xml: busy, list: busy }, kept };
  let xml: RawSource<string>;
  let list: RawSource<string>;
  if (kept === null) {
    const [rawXml, rawList] = await Promise.all([runner.run(o.path, ['-q', '-x'], o.run), runner.run(o.path, ['-L'], o.run)]);
    xml = masked(rawXml, o.redaction);
    list = rawList;
  } else {
    xml = masked(await runner.run(o.path, ['-q', '-x'], o.run), o.redaction);
    const layout = layoutOf(xml);
    if (layout !== null && layout === kept.layout && o.nowMs - kept.atMs < GPU_LIST_MAX_AGE_MS) return { reading: { xml, list: kept.list }, kept };
    list = (await runner.idle(NVIDIA_SMI_EXIT_GRACE_MS)) ? await runner.run(o.path, ['-L'], o.run) : busy;
  }
  const layout = layoutOf(xml);
  const next = layout !== null && list.ok ? { layout, list, atMs: o.nowMs } : null;
  return { reading: { xml, list }, kept: next };
}
