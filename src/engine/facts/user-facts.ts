import type { Subject } from '../subject.ts';
import { type FactContext, hoursBetween, msOf, ratio, round3 } from './context.ts';
import type { Capacity } from './host-facts.ts';

/** Per-user totals of one host, gathered from containers and GPU processes. */
interface UserUsage {
  gpuEquivalents: number;
  containers: number;
  gpuContainers: number;
  hostGpuProcesses: number;
}

/** Users seen on the host (container owners and process users) with what they hold now. */
export function usageByUser(ctx: FactContext): Map<string, UserUsage> {
  const out = new Map<string, UserUsage>();
  const get = (u: string): UserUsage => {
    let v = out.get(u);
    if (v === undefined) {
      v = { gpuEquivalents: 0, containers: 0, gpuContainers: 0, hostGpuProcesses: 0 };
      out.set(u, v);
    }
    return v;
  };
  for (const c of ctx.snapshot.containers) {
    if (c.owner.user === null || c.class === 'infrastructure') continue;
    const u = get(c.owner.user);
    u.containers += 1;
    const eq = ctx.holdings.get(c.id)?.gpuEquivalents ?? 0;
    if (eq > 0) u.gpuContainers += 1;
    u.gpuEquivalents += eq;
  }
  for (const p of ctx.snapshot.gpuProcesses) {
    if (p.kind === 'host' && !p.system && p.user !== null) get(p.user).hostGpuProcesses += 1;
  }
  return out;
}

/**
 * A host's fair share in GPU-hours: an equal part of what was used recently, among the users who used GPUs (decayed
 * GPU-hours at least 0.01, or holding GPUs now): Slurm-style usage share. Null when nobody did.
 */
export function fairShareOf(users: readonly { decayedGpuHours: number; gpuEquivalents: number }[]): number | null {
  const using = users.filter((u) => u.decayedGpuHours >= 0.01 || u.gpuEquivalents > 0);
  const totalDecayed = using.reduce((n, u) => n + u.decayedGpuHours, 0);
  return using.length > 0 && totalDecayed > 0 ? totalDecayed / using.length : null;
}

/**
 * Facts of each user (scope `user`): quota use, container count and fair share. Decayed GPU-hours
 * integrate GPU-equivalents held over time with the configured half-life; the fair share is an equal part of
 * all users' decayed GPU-hours, so fairShareRatio 2 means twice what an equal split would give. When Docker or
 * nvidia-smi failed, what users hold is unknown: quota and fair-share facts are null and decayed hours are kept
 * as they were (neither charged nor decayed by this snapshot).
 */
export function userSubjects(ctx: FactContext, capacity: Capacity | null): Subject[] {
  const usage = usageByUser(ctx);
  const known = !ctx.failed.has('docker') && !ctx.failed.has('gpu');
  const halfLifeH = ctx.limits.fairShareHalfLifeH;
  const maxStepH = (3 * ctx.limits.probeIntervalS) / 3600;
  for (const user of Object.keys(ctx.prev.users)) {
    if (!usage.has(user)) usage.set(user, { gpuEquivalents: 0, containers: 0, gpuContainers: 0, hostGpuProcesses: 0 });
  }
  const decayedByUser = new Map<string, number>();
  for (const [user, u] of usage) {
    const prev = ctx.prev.users[user];
    const prevMs = msOf(prev?.updatedAt);
    const stepH = prevMs === null ? 0 : Math.min(hoursBetween(prevMs, ctx.nowMs), maxStepH);
    const decay = prevMs === null ? 1 : 0.5 ** (hoursBetween(prevMs, ctx.nowMs) / halfLifeH);
    const decayed = (prev?.decayedGpuHours ?? 0) * decay + u.gpuEquivalents * stepH;
    decayedByUser.set(user, decayed);
    if (!known) {
      if (prev !== undefined) ctx.next.users[user] = prev;
    } else if (decayed >= 0.01 || u.gpuEquivalents > 0 || u.containers > 0) {
      ctx.next.users[user] = { decayedGpuHours: decayed, updatedAt: ctx.nowIso };
    }
  }
  const fairShareGpuHours = fairShareOf([...decayedByUser].map(([user, d]) => ({ decayedGpuHours: d, gpuEquivalents: usage.get(user)?.gpuEquivalents ?? 0 })));
  const subjects: Subject[] = [];
  for (const [user, u] of usage) {
    const decayed = decayedByUser.get(user) ?? 0;
    if (u.containers === 0 && u.hostGpuProcesses === 0 && u.gpuEquivalents === 0) continue;
    const limits = ctx.userLimits(user);
    subjects.push({
      scope: 'user',
      key: user,
      labels: { host: ctx.snapshot.host, user },
      facts: {
        group: limits.group,
        isAdmin: limits.isAdmin,
        gpuEquivalentsUsed: known ? round3(u.gpuEquivalents) : null,
        gpuEquivalentsQuota: limits.maxGpuEquivalents,
        gpuQuotaRatio: known ? ratio(round3(u.gpuEquivalents), limits.maxGpuEquivalents) : null,
        containers: ctx.failed.has('docker') ? null : u.containers,
        gpuContainers: known ? u.gpuContainers : null,
        containersLimit: limits.maxContainersPerUser,
        containersRatio: ctx.failed.has('docker') ? null : ratio(u.containers, limits.maxContainersPerUser),
        hostGpuProcesses: ctx.failed.has('gpu') || ctx.failed.has('proc') ? null : u.hostGpuProcesses,
        decayedGpuHours: known ? round3(decayed) : null,
        fairShareGpuHours: known && fairShareGpuHours !== null ? round3(fairShareGpuHours) : null,
        fairShareRatio: known ? ratio(decayed, fairShareGpuHours) : null,
        capacityFreeRatio: capacity !== null && capacity.totalGpuEquivalents > 0 ? round3(capacity.freeGpuEquivalents / capacity.totalGpuEquivalents) : null,
      },
    });
  }
  return subjects;
}
