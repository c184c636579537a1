import { parseArgs } from 'node:util';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../probe/build-snapshot.ts';
import { readCaptureDir } from '../probe/capture-dir.ts';
import { collectRaw } from '../probe/collect.ts';
import { collectOptionsFrom, SOURCE_FLAGS, UsageError } from './source-options.ts';
import { renderTable } from './render-table.ts';
import type { CliIo } from './io.ts';

/** Usage text of `gpuwarden probe`. */
export const PROBE_USAGE = `gpuwarden probe --once [--json] [--replay DIR] [source flags]

  --once               collect one snapshot and print it (required for now; pushing to the service comes later)
  --json               print the HostSnapshot JSON instead of the table
  --replay DIR         build the snapshot from a capture folder (no GPU, Docker or root needed)
  --nvidia-smi PATH    nvidia-smi to run (default: nvidia-smi on PATH, or $GPUWARDEN_NVIDIA_SMI)
  --docker-socket P    Docker Engine socket (default: $DOCKER_HOST or /var/run/docker.sock); --no-docker to skip
  --home-root DIR      where home folders live, for owner detection (default /home)
  --host NAME          host name to report (default: this machine's)
`;

/** `gpuwarden probe`: collect (or replay) one snapshot and print it. Exit 0 even when a source failed. */
export async function probeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { once: { type: 'boolean' }, json: { type: 'boolean' }, replay: { type: 'string' }, ...SOURCE_FLAGS },
    strict: true,
  });
  if (values.once !== true) throw new UsageError('probe needs --once (continuous pushing arrives with the rules service)');
  const raw =
    values.replay === undefined ? await collectRaw(collectOptionsFrom(values, io.env)) : await readCaptureDir(values.replay);
  const homeRoot = typeof values['home-root'] === 'string' ? values['home-root'] : DEFAULT_BUILD_OPTIONS.homeRoot;
  const snapshot = buildSnapshot(raw, { ...DEFAULT_BUILD_OPTIONS, homeRoot });
  io.stdout(values.json === true ? `${JSON.stringify(snapshot, null, 2)}\n` : renderTable(snapshot));
  if (snapshot.errors.length > 0) {
    const sources = [...new Set(snapshot.errors.map((e) => e.source))].join(', ');
    io.stderr(`warning: ${snapshot.errors.length} source error(s) (${sources}); they are listed in the snapshot's errors\n`);
  }
  return 0;
}
