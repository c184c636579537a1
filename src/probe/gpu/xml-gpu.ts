/**
 * Reads one `<gpu>` element of `nvidia-smi -q -x` into a flat, typed record.
 * Keys on element names only (DTD v10–v13 all work); missing or placeholder values become null.
 */
import { cleanText, normalisePciBusId, parseIntOrNull, parseNumberWithUnit } from './parse-value.ts';
import { arrayAt, isXmlRecord, textAt } from './xml-node.ts';

/** MIG state of a GPU: `unsupported` covers `N/A` and drivers that omit `<mig_mode>`. */
export type MigMode = 'enabled' | 'disabled' | 'unsupported';

/** One `<mig_device>`; the XML carries neither the MIG UUID nor the profile name (those come from `nvidia-smi -L`). */
export interface XmlMigDevice {
  index: number | null;
  gpuInstanceId: number | null;
  computeInstanceId: number | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
}

/** One `<process_info>`; GI/CI ids are numbers only for processes inside MIG instances. */
export interface XmlProcess {
  pid: number;
  type: string | null;
  processName: string | null;
  usedMemoryMiB: number | null;
  gpuInstanceId: number | null;
  computeInstanceId: number | null;
}

/** One `<gpu>` element, in document order. */
export interface XmlGpu {
  position: number;
  pciBusId: string | null;
  uuid: string | null;
  name: string | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  utilizationPct: number | null;
  temperatureC: number | null;
  powerW: number | null;
  migMode: MigMode;
  migDevices: XmlMigDevice[];
  processes: XmlProcess[];
}

/** Power paths in order of preference: v12+ `gpu_power_readings`, then the ≤525 `power_readings`. */
const POWER_PATHS: readonly (readonly string[])[] = [
  ['gpu_power_readings', 'power_draw'],
  ['gpu_power_readings', 'instant_power_draw'],
  ['gpu_power_readings', 'average_power_draw'],
  ['power_readings', 'power_draw'],
];

/** Reads a `<gpu>` element (any shape, even a bare string) at a 0-based document position; never throws. */
export function readXmlGpu(node: unknown, position: number): { gpu: XmlGpu; warnings: string[] } {
  const warnings: string[] = [];
  const where = `gpu[${position}]`;
  const rawId = textAt(node, '@_id');
  let pciBusId = normalisePciBusId(rawId);
  if (pciBusId === null) pciBusId = normalisePciBusId(textAt(node, 'pci', 'pci_bus_id'));
  if (pciBusId === null && rawId !== null) warnings.push(`${where}: unrecognised PCI bus id "${rawId.slice(0, 40)}"`);

  const gpu: XmlGpu = {
    position,
    pciBusId,
    uuid: cleanText(textAt(node, 'uuid')),
    name: cleanText(textAt(node, 'product_name')),
    memoryTotalMiB: parseNumberWithUnit(textAt(node, 'fb_memory_usage', 'total')),
    memoryUsedMiB: parseNumberWithUnit(textAt(node, 'fb_memory_usage', 'used')),
    utilizationPct: parseNumberWithUnit(textAt(node, 'utilization', 'gpu_util')),
    temperatureC: parseNumberWithUnit(textAt(node, 'temperature', 'gpu_temp')),
    powerW: readPower(node),
    migMode: readMigMode(textAt(node, 'mig_mode', 'current_mig')),
    migDevices: arrayAt(node, 'mig_devices', 'mig_device').filter(isXmlRecord).map(readMigDevice),
    processes: readProcesses(node, where, warnings),
  };
  return { gpu, warnings };
}

function readPower(node: unknown): number | null {
  for (const path of POWER_PATHS) {
    const value = parseNumberWithUnit(textAt(node, ...path));
    if (value !== null) return value;
  }
  return null;
}

function readMigMode(current: string | null): MigMode {
  const value = current?.toLowerCase();
  if (value === 'enabled') return 'enabled';
  if (value === 'disabled') return 'disabled';
  return 'unsupported';
}

function readMigDevice(node: unknown): XmlMigDevice {
  return {
    index: parseIntOrNull(textAt(node, 'index')),
    gpuInstanceId: parseIntOrNull(textAt(node, 'gpu_instance_id')),
    computeInstanceId: parseIntOrNull(textAt(node, 'compute_instance_id')),
    memoryTotalMiB: parseNumberWithUnit(textAt(node, 'fb_memory_usage', 'total')),
    memoryUsedMiB: parseNumberWithUnit(textAt(node, 'fb_memory_usage', 'used')),
  };
}

function readProcesses(node: unknown, where: string, warnings: string[]): XmlProcess[] {
  const processes: XmlProcess[] = [];
  arrayAt(node, 'processes', 'process_info').forEach((info, i) => {
    const pid = parseIntOrNull(textAt(info, 'pid'));
    if (pid === null || pid <= 0) {
      warnings.push(`${where}: process_info[${i}] has no usable pid; skipped`);
      return;
    }
    processes.push({
      pid,
      type: cleanText(textAt(info, 'type')),
      processName: cleanText(textAt(info, 'process_name')),
      usedMemoryMiB: parseNumberWithUnit(textAt(info, 'used_memory')),
      gpuInstanceId: parseIntOrNull(textAt(info, 'gpu_instance_id')),
      computeInstanceId: parseIntOrNull(textAt(info, 'compute_instance_id')),
    });
  });
  return processes;
}
