// The host page's model: per GPU and MIG instance, who uses it (container, person, memory, utilisation, idle time).
import type { GpuProcess, HostSnapshot, SourceError } from '../../../snapshot/schema.ts';
import { placeOf, type UsageRow } from '../../../usage/rows.ts';
import { activeAlerts } from './active-alerts.ts';
import type { AlertView } from './alert-view.ts';
import { loadFleet, type WebModelDeps } from './fleet.ts';

/** One container (or the host's own processes of one person: untracked) on one GPU or MIG instance. */
export interface SlotUse {
  container: string | null;
  user: string | null;
  /** GPU processes outside any container: nothing tracks or limits them. */
  untracked: boolean;
  /** Memory its processes use on this slot, in MiB; null when unknown or none run there (held only). */
  memoryMiB: number | null;
  /** The whole GPU's utilisation in %; null on MIG instances (nvidia-smi reports none) or when unknown. */
  utilizationPct: number | null;
  /** Seconds since it was last active (the engine's tracked state); null when not known. */
  idleS: number | null;
  /** GPU-equivalents it holds or uses in all (across every slot it uses). */
  gpuEquivalents: number;
  /** Its GPU processes on this slot. */
  processCount: number;
}

/** A whole GPU (label `0`) or one MIG instance (label `0:2`) and who uses it. */
export interface SlotModel {
  label: string;
  profile: string | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  uses: SlotUse[];
}

/** One physical GPU. */
export interface GpuModel {
  index: number;
  name: string | null;
  migEnabled: boolean;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  utilizationPct: number | null;
  temperatureC: number | null;
  /** The GPU itself when MIG is off, else its MIG instances. */
  slots: SlotModel[];
}

/** The host page. */
export interface HostDetailModel {
  now: string;
  live: boolean;
  host: string;
  lastSeenAt: string | null;
  up: boolean;
  /** The kept snapshot's time and findings; null where none is kept here. */
  snapshotTakenAt: string | null;
  sourceErrors: SourceError[] | null;
  gpus: GpuModel[] | null;
  /** GPU processes outside containers (system processes not counted); null without a snapshot. */
  untrackedProcesses: number | null;
  alerts: AlertView[];
}

/** Whether process `p` belongs to usage row `r`. */
function belongsTo(p: GpuProcess, r: UsageRow): boolean {
  return r.containerId !== null ? p.containerId === r.containerId : p.containerId === null && p.user === r.user;
}

/** Who uses slot `label` of `s`, from the usage rows. */
function usesOf(s: HostSnapshot, rows: readonly UsageRow[], label: string, utilizationPct: number | null): SlotUse[] {
  return rows.filter((r) => r.gpus.includes(label)).map((r) => {
    const procs = s.gpuProcesses.filter((p) => belongsTo(p, r) && placeOf(p, s)?.label === label);
    const known = procs.map((p) => p.usedMemoryMiB).filter((m): m is number => m !== null);
    return {
      container: r.container, user: r.user, untracked: r.container === null,
      memoryMiB: known.length === 0 ? null : known.reduce((a, b) => a + b, 0),
      utilizationPct: label.includes(':') ? null : utilizationPct,
      idleS: r.idleS, gpuEquivalents: r.gpuEquivalents, processCount: procs.length,
    };
  });
}

/** The GPUs of `s` with who uses each slot. Pure. */
export function gpuModels(s: HostSnapshot, rows: readonly UsageRow[]): GpuModel[] {
  return s.gpus.map((g) => {
    const migEnabled = g.migMode === 'enabled';
    const slots: SlotModel[] = migEnabled
      ? g.migInstances.map((m) => ({ label: `${g.index}:${m.index}`, profile: m.profile, memoryUsedMiB: m.memoryUsedMiB, memoryTotalMiB: m.memoryTotalMiB, uses: usesOf(s, rows, `${g.index}:${m.index}`, null) }))
      : [{ label: String(g.index), profile: null, memoryUsedMiB: g.memoryUsedMiB, memoryTotalMiB: g.memoryTotalMiB, uses: usesOf(s, rows, String(g.index), g.utilizationPct) }];
    return { index: g.index, name: g.name, migEnabled, memoryUsedMiB: g.memoryUsedMiB, memoryTotalMiB: g.memoryTotalMiB, utilizationPct: g.utilizationPct, temperatureC: g.temperatureC, slots };
  });
}

/** Load the page of `host`; null when no such host is known. */
export async function loadHostDetail(deps: WebModelDeps, host: string): Promise<HostDetailModel | null> {
  const fleet = await loadFleet(deps, host);
  const h = fleet.hosts.find((x) => x.host === host);
  if (h === undefined) return null;
  const s = h.snapshot;
  return {
    now: fleet.now.toISOString(),
    live: fleet.live,
    host,
    lastSeenAt: h.record?.lastSeenAt ?? null,
    up: h.up,
    snapshotTakenAt: s?.takenAt ?? null,
    sourceErrors: s?.errors ?? null,
    gpus: s === null || h.rows === null ? null : gpuModels(s, h.rows),
    untrackedProcesses: s === null ? null : s.gpuProcesses.filter((p) => p.kind === 'host' && !p.system).length,
    alerts: await activeAlerts(deps.store, [host], fleet.now),
  };
}
