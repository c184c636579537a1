// The probe never sends a snapshot its own service rejects: a garbage reading (nvidia-smi reporting 1e300 W, a counter
// that wrapped) becomes null plus an entry in errors[], never a 400 that loses the whole cycle.
import { isoTimeInRange, SNAPSHOT_BOUNDS as B, type Container, type Gpu, type GpuProcess, type MigInstance, type SourceError } from '../snapshot/schema.ts';

type Range = readonly [min: number, max: number, unit: string];

const MIB: Range = [0, B.maxMiB, 'MiB'];
const GPU_RANGES = {
  memoryTotalMiB: MIB,
  memoryUsedMiB: MIB,
  utilizationPct: [0, 100, '%'],
  temperatureC: [B.minTemperatureC, B.maxTemperatureC, '°C'],
  powerW: [0, B.maxPowerW, 'W'],
} as const satisfies Record<string, Range>;
const USAGE_RANGES = {
  cpuPct: [0, B.maxCpuPct, '%'],
  netRxBytesPerS: [0, B.maxBytesPerS, 'bytes/s'],
  netTxBytesPerS: [0, B.maxBytesPerS, 'bytes/s'],
  activeProcessCount: [0, B.maxPid, 'processes'],
} as const satisfies Record<string, Range>;

/** Null for a value outside its range (and one error line saying what was dropped), the value otherwise. */
function fit(value: number | null, [min, max, unit]: Range, what: string, report: (message: string) => void): number | null {
  if (value === null || (Number.isFinite(value) && value >= min && value <= max)) return value;
  report(`${what} ${String(value)} is outside ${min}..${max} ${unit}; sent as null`);
  return null;
}

function fitFields<T extends object>(item: T, ranges: Record<string, Range>, where: string, report: (m: string) => void): T {
  const out = { ...item } as Record<string, unknown>;
  for (const [key, range] of Object.entries(ranges)) {
    if (key in out) out[key] = fit(out[key] as number | null, range, `${where} ${key}`, report);
  }
  return out as T;
}

/** GPUs and their MIG instances with every out-of-range reading nulled (source `gpu` errors say which). */
export function fitGpus(gpus: readonly Gpu[], errors: SourceError[]): Gpu[] {
  const report = (message: string): void => void errors.push({ source: 'gpu', message });
  return gpus.map((g) => ({
    ...fitFields(g, GPU_RANGES, `gpu ${g.index}:`, report),
    migInstances: g.migInstances.map((m): MigInstance => fitFields(m, { memoryTotalMiB: MIB, memoryUsedMiB: MIB }, `gpu ${g.index} mig ${m.index}:`, report)),
  }));
}

/** GPU processes the contract can carry: pids above Linux's pid_max dropped, impossible memory and start times nulled. */
export function fitGpuProcesses(processes: readonly GpuProcess[], errors: SourceError[]): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (const p of processes) {
    if (p.pid > B.maxPid) {
      errors.push({ source: 'gpu', message: `pid ${p.pid} is above Linux's pid_max limit ${B.maxPid}; process skipped` });
      continue;
    }
    const report = (message: string): void => void errors.push({ source: 'gpu', message });
    const usedMemoryMiB = fit(p.usedMemoryMiB, MIB, `pid ${p.pid}: usedMemoryMiB`, report);
    const startTime = p.startTime !== null && !isoTimeInRange(p.startTime) ? null : p.startTime;
    if (startTime !== p.startTime) errors.push({ source: 'proc', message: `pid ${p.pid}: start time ${String(p.startTime)} is outside 2000-2200; sent as null` });
    out.push({ ...p, usedMemoryMiB, startTime });
  }
  return out;
}

/** A container's usage with impossible rates nulled; an impossible interval drops the measurement. */
export function fitContainerUsage(container: Container, errors: SourceError[]): Container {
  const usage = container.usage;
  if (usage === null || usage === undefined) return container;
  const where = `container ${container.name}:`;
  const report = (message: string): void => void errors.push({ source: 'usage', message });
  if (!(Number.isFinite(usage.intervalS) && usage.intervalS > 0 && usage.intervalS <= B.maxIntervalS)) {
    report(`${where} interval ${String(usage.intervalS)} s is outside (0, ${B.maxIntervalS}] s; usage sent as null`);
    return { ...container, usage: null };
  }
  return { ...container, usage: fitFields(usage, USAGE_RANGES, where, report) };
}
