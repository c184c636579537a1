/**
 * Joins `nvidia-smi -q -x` (metrics, MIG GI/CI, processes) with `nvidia-smi -L` (GPU index, MIG UUIDs and
 * profiles) into the HostSnapshot `Gpu` shape. Pure, never throws, and never returns an empty GPU list
 * without saying why in `errors`.
 *
 * Fallback when the XML is missing or failed but `-L` parsed: GPUs come from `-L` with every metric null,
 * MIG GI/CI ids null (unless an old-style `MIG-GPU-<uuid>/<gi>/<ci>` UUID carries them), no processes, and
 * `migMode` = 'enabled' when `-L` lists MIG devices under the GPU, otherwise 'unsupported' (`-L` cannot tell
 * "MIG-capable but disabled" from "not MIG-capable", and 'unsupported' claims the least).
 */
import type { Gpu, MigInstance } from '../../snapshot/schema.ts';
import { parseLegacyMigUuid, type ListGpu, type ListParseResult } from './parse-list.ts';
import type { XmlGpu, XmlParseResult } from './parse-xml.ts';

/** A process seen holding a GPU context, before PID → container/user attribution. */
export interface GpuProcessSighting {
  pid: number;
  gpuUuid: string | null;
  migUuid: string | null;
  usedMemoryMiB: number | null;
  processName: string | null;
  type: string | null;
}

/** GPUs in snapshot shape, the processes on them, and every problem met on the way. */
export interface BuildGpusResult {
  gpus: Gpu[];
  processes: GpuProcessSighting[];
  errors: string[];
}

const MAX_MESSAGE = 500;
const MAX_UNPARSED_REPORTED = 5;

/** Builds snapshot GPUs from parsed `-q -x` and `-L` output; either may be null (not run / failed). */
export function buildGpus(xml: XmlParseResult | null, list: ListParseResult | null): BuildGpusResult {
  try {
    return build(xml, list);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { gpus: [], processes: [], errors: [clip(`building GPU list failed: ${reason}`)] };
  }
}

function build(xml: XmlParseResult | null, list: ListParseResult | null): BuildGpusResult {
  const errors: string[] = [];
  if (list !== null) reportUnparsed(list, errors);

  if (xml === null) errors.push('nvidia-smi -q -x output is missing');
  else if (!xml.ok) errors.push(clip(`nvidia-smi -q -x: ${xml.message}`));
  else errors.push(...xml.warnings.map((w) => clip(`nvidia-smi -q -x: ${w}`)));

  if (xml === null || !xml.ok || xml.gpus.length === 0) {
    const listGpus = list?.gpus ?? [];
    if (listGpus.length === 0) {
      errors.push(list === null ? 'no GPU data: nvidia-smi -L output is missing too' : 'no GPU data: nvidia-smi -L listed no GPUs');
      return { gpus: [], processes: [], errors };
    }
    errors.push('GPU metrics unknown: using the nvidia-smi -L list only');
    const gpus = listGpus.map(gpuFromList);
    reportDuplicateIndexes(gpus, errors);
    return { gpus, processes: [], errors };
  }

  const gpus: Gpu[] = [];
  const processes: GpuProcessSighting[] = [];
  const matched = new Set<ListGpu>();
  for (const xmlGpu of xml.gpus) {
    const listGpu = findListGpu(list, xmlGpu.uuid);
    if (listGpu !== undefined) matched.add(listGpu);
    const gpu = gpuFromXml(xmlGpu, listGpu);
    gpus.push(gpu);
    processes.push(...sightings(xmlGpu, gpu));
  }

  for (const listGpu of list?.gpus ?? []) {
    if (matched.has(listGpu)) continue;
    errors.push(clip(`GPU ${listGpu.index} (${listGpu.uuid}) is in nvidia-smi -L but not in the XML; metrics unknown`));
    gpus.push(gpuFromList(listGpu));
  }
  if (list === null && gpus.some((g) => g.migInstances.length > 0)) {
    errors.push('nvidia-smi -L output is missing: MIG instance UUIDs and profiles unknown');
  }
  reportDuplicateIndexes(gpus, errors);
  return { gpus, processes, errors };
}

/** The `-L` entry with the same UUID, only when exactly one entry has it (masked all-zero UUIDs do not join). */
function findListGpu(list: ListParseResult | null, uuid: string | null): ListGpu | undefined {
  if (list === null || uuid === null) return undefined;
  const candidates = list.gpus.filter((g) => g.uuid.toLowerCase() === uuid.toLowerCase());
  return candidates.length === 1 ? candidates[0] : undefined;
}

function gpuFromXml(xmlGpu: XmlGpu, listGpu: ListGpu | undefined): Gpu {
  const migInstances: MigInstance[] = xmlGpu.migDevices.map((device, position) => {
    const index = device.index ?? position;
    const listMig = listGpu?.migDevices.find((m) => m.deviceIndex === index);
    return {
      index,
      uuid: listMig?.uuid ?? null,
      profile: listMig?.profile ?? null,
      gpuInstanceId: nonNegative(device.gpuInstanceId),
      computeInstanceId: nonNegative(device.computeInstanceId),
      memoryTotalMiB: device.memoryTotalMiB,
      memoryUsedMiB: device.memoryUsedMiB,
    };
  });
  // MIG devices listed by -L that the XML did not describe still exist; keep them with unknown metrics.
  for (const listMig of listGpu?.migDevices ?? []) {
    if (migInstances.some((m) => m.index === listMig.deviceIndex)) continue;
    migInstances.push(migFromList(listMig));
  }
  const listsMig = (listGpu?.migDevices.length ?? 0) > 0;
  return {
    index: listGpu?.index ?? xmlGpu.position,
    uuid: xmlGpu.uuid ?? listGpu?.uuid ?? null,
    name: xmlGpu.name ?? listGpu?.name ?? null,
    pciBusId: xmlGpu.pciBusId,
    memoryTotalMiB: xmlGpu.memoryTotalMiB,
    memoryUsedMiB: xmlGpu.memoryUsedMiB,
    utilizationPct: xmlGpu.utilizationPct,
    temperatureC: xmlGpu.temperatureC,
    powerW: xmlGpu.powerW,
    migMode: listsMig ? 'enabled' : xmlGpu.migMode,
    migInstances,
  };
}

function gpuFromList(listGpu: ListGpu): Gpu {
  return {
    index: listGpu.index,
    uuid: listGpu.uuid,
    name: listGpu.name,
    pciBusId: null,
    memoryTotalMiB: null,
    memoryUsedMiB: null,
    utilizationPct: null,
    temperatureC: null,
    powerW: null,
    migMode: listGpu.migDevices.length > 0 ? 'enabled' : 'unsupported',
    migInstances: listGpu.migDevices.map(migFromList),
  };
}

function migFromList(listMig: ListGpu['migDevices'][number]): MigInstance {
  const legacy = parseLegacyMigUuid(listMig.uuid);
  return {
    index: listMig.deviceIndex,
    uuid: listMig.uuid,
    profile: listMig.profile,
    gpuInstanceId: legacy?.gpuInstanceId ?? null,
    computeInstanceId: legacy?.computeInstanceId ?? null,
    memoryTotalMiB: null,
    memoryUsedMiB: null,
  };
}

/** Processes of one GPU; on MIG GPUs each is joined to the instance with the same GI and CI. */
function sightings(xmlGpu: XmlGpu, gpu: Gpu): GpuProcessSighting[] {
  return xmlGpu.processes.map((p) => {
    const instance =
      p.gpuInstanceId === null || p.computeInstanceId === null
        ? undefined
        : gpu.migInstances.find((m) => m.gpuInstanceId === p.gpuInstanceId && m.computeInstanceId === p.computeInstanceId);
    return {
      pid: p.pid,
      gpuUuid: gpu.uuid,
      migUuid: instance?.uuid ?? null,
      usedMemoryMiB: p.usedMemoryMiB,
      processName: p.processName,
      type: p.type,
    };
  });
}

function reportUnparsed(list: ListParseResult, errors: string[]): void {
  for (const line of list.unparsedLines.slice(0, MAX_UNPARSED_REPORTED)) {
    errors.push(clip(`nvidia-smi -L: unrecognised line: ${line}`));
  }
  const more = list.unparsedLines.length - MAX_UNPARSED_REPORTED;
  if (more > 0) errors.push(`nvidia-smi -L: ${more} more unrecognised line(s)`);
}

function reportDuplicateIndexes(gpus: Gpu[], errors: string[]): void {
  const seen = new Set<number>();
  for (const gpu of gpus) {
    if (seen.has(gpu.index)) errors.push(`GPU index ${gpu.index} appears more than once`);
    seen.add(gpu.index);
  }
}

function nonNegative(value: number | null): number | null {
  return value !== null && value >= 0 ? value : null;
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}
