/**
 * Parses `nvidia-smi -L`: GPU lines and their indented MIG device lines. Pure, CRLF tolerant, never throws.
 * Anything that is neither (error text such as "No devices found") is returned in `unparsedLines`.
 */
import { parseIntOrNull } from './parse-value.ts';

/** One `  MIG <profile> Device N: (UUID: MIG-…)` line; `deviceIndex` restarts at 0 for every GPU. */
export interface ListMigDevice {
  profile: string;
  deviceIndex: number;
  uuid: string;
}

/** One `GPU N: <name> (UUID: GPU-…)` line with the MIG devices listed under it. */
export interface ListGpu {
  index: number;
  name: string;
  uuid: string;
  migDevices: ListMigDevice[];
}

/** Outcome of parsing `nvidia-smi -L`; non-empty lines that match neither form are kept verbatim. */
export interface ListParseResult {
  gpus: ListGpu[];
  unparsedLines: string[];
}

/** GPU / instance ids encoded in a pre-R470 MIG UUID (`MIG-GPU-<gpu-uuid>/<gi>/<ci>`). */
export interface LegacyMigUuid {
  gpuUuid: string;
  gpuInstanceId: number;
  computeInstanceId: number;
}

const GPU_LINE = /^GPU\s+(\d+):\s+(.*?)\s+\(UUID:\s+([^)\s]+)\)\s*$/;
const MIG_LINE = /^\s+MIG\s+(\S+)\s+Device\s+(\d+):\s+\(UUID:\s+(MIG-[^)\s]+)\)\s*$/;
const LEGACY_MIG_UUID = /^MIG-(GPU-[0-9a-fA-F-]+)\/(\d+)\/(\d+)$/;

/** Parses `nvidia-smi -L` output into GPUs and MIG devices. */
export function parseNvidiaSmiList(text: string): ListParseResult {
  const gpus: ListGpu[] = [];
  const unparsedLines: string[] = [];
  if (typeof text !== 'string') return { gpus, unparsedLines: ['nvidia-smi -L output is not text'] };

  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    if (line.trim() === '') continue;
    const gpuMatch = GPU_LINE.exec(line);
    if (gpuMatch !== null) {
      const [, indexText, name = '', uuid = ''] = gpuMatch;
      const index = parseIntOrNull(indexText);
      if (index !== null) {
        gpus.push({ index, name, uuid, migDevices: [] });
        continue;
      }
    }
    const migMatch = MIG_LINE.exec(line);
    const parent = gpus[gpus.length - 1];
    if (migMatch !== null && parent !== undefined) {
      const [, profile = '', indexText, uuid = ''] = migMatch;
      const deviceIndex = parseIntOrNull(indexText);
      if (deviceIndex !== null) {
        parent.migDevices.push({ profile, deviceIndex, uuid });
        continue;
      }
    }
    unparsedLines.push(line);
  }
  return { gpus, unparsedLines };
}

/** Splits an old-style `MIG-GPU-<uuid>/<gi>/<ci>` UUID into its parts; modern `MIG-<uuid>` and anything else → null. */
export function parseLegacyMigUuid(uuid: string): LegacyMigUuid | null {
  const match = LEGACY_MIG_UUID.exec(uuid);
  if (match === null) return null;
  const [, gpuUuid = '', gi, ci] = match;
  const gpuInstanceId = parseIntOrNull(gi);
  const computeInstanceId = parseIntOrNull(ci);
  if (gpuInstanceId === null || computeInstanceId === null) return null;
  return { gpuUuid, gpuInstanceId, computeInstanceId };
}
