// Filters and orders of `gpuwarden usage`: pure functions over usage rows.
import type { UsageRow, UserUsage } from './rows.ts';

/** What --user, --host, --gpu and --container ask for; every one given must match (AND). */
export interface UsageFilter {
  user?: string;
  host?: string;
  /** A GPU index (`0`: the GPU and its MIG instances) or one MIG instance (`0:2`). */
  gpu?: string;
  /** A container name, or a prefix of its id (at least 4 hex digits). */
  container?: string;
}

/** The orders --sort accepts: most GPU-equivalents, most idle (lowest utilisation, longest idle), most memory. */
export const USAGE_SORTS = ['gpueq', 'idle', 'memory'] as const;
/** One of USAGE_SORTS. */
export type UsageSort = (typeof USAGE_SORTS)[number];

/** Whether a row matches every filter given. */
export function matchesUsageFilter(r: UsageRow, f: UsageFilter): boolean {
  if (f.user !== undefined && r.user !== f.user) return false;
  if (f.host !== undefined && r.host !== f.host) return false;
  if (f.gpu !== undefined) {
    const ok = f.gpu.includes(':') ? r.gpus.includes(f.gpu) : r.gpuIndexes.includes(Number(f.gpu));
    if (!ok) return false;
  }
  if (f.container !== undefined) {
    const byId = /^[0-9a-f]{4,64}$/.test(f.container) && r.containerId?.startsWith(f.container) === true;
    if (r.container !== f.container && !byId) return false;
  }
  return true;
}

/** Rows matching every filter. */
export function filterUsage(rows: readonly UsageRow[], f: UsageFilter): UsageRow[] {
  return rows.filter((r) => matchesUsageFilter(r, f));
}

const stable = (a: UsageRow, b: UsageRow): number =>
  a.host.localeCompare(b.host) || (a.gpus[0] ?? '').localeCompare(b.gpus[0] ?? '') || (a.container ?? '').localeCompare(b.container ?? '');

/** Descending, unknown (null) last. */
function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/**
 * Rows in the --sort order: gpueq (most first), memory (most first), idle (longest known idle first, then lowest
 * utilisation, unknown utilisation last); ties by host, GPU, container.
 */
export function sortUsage(rows: readonly UsageRow[], by: UsageSort): UsageRow[] {
  const key = (a: UsageRow, b: UsageRow): number => {
    if (by === 'gpueq') return b.gpuEquivalents - a.gpuEquivalents;
    if (by === 'memory') return desc(a.memoryMiB, b.memoryMiB);
    return desc(a.idleS, b.idleS) || desc(a.utilizationPct === null ? null : -a.utilizationPct, b.utilizationPct === null ? null : -b.utilizationPct);
  };
  return [...rows].sort((a, b) => key(a, b) || stable(a, b));
}

/** Users in the --sort order (idle: as gpueq, a user has no utilisation of their own). */
export function sortUsers(users: readonly UserUsage[], by: UsageSort): UserUsage[] {
  const key = (a: UserUsage, b: UserUsage): number => (by === 'memory' ? desc(a.memoryMiB, b.memoryMiB) : b.gpuEquivalents - a.gpuEquivalents);
  return [...users].sort((a, b) => key(a, b) || (a.user ?? '').localeCompare(b.user ?? ''));
}
