// Pure: what each user held over the interval an evaluation closes, from the facts of that evaluation.
import type { Subject } from '../engine/subject.ts';
import type { UsageIncrement } from './history.ts';

/** The interval an evaluation closes: the host's previous evaluation time to this one, and the longest span to credit. */
export interface UsageInterval {
  host: string;
  /** The previous evaluation's time; null for a host's first evaluation (nothing is recorded then). */
  from: Date | null;
  to: Date;
  /** At most this many seconds are credited (3 × the probe interval): a gap between snapshots is not usage. */
  maxSpanS: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** GPU-equivalents each user holds in idle containers: running ones idle since before now, or holding GPUs while not running. */
function idleByUser(subjects: readonly Subject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of subjects) {
    if (s.scope !== 'container') continue;
    const f = s.facts;
    const owner = f['owner'];
    const held = num(f['gpuEquivalents']);
    if (typeof owner !== 'string' || f['class'] === 'infrastructure' || held === null || held <= 0) continue;
    const idleMinutes = num(f['idleMinutes']);
    const idle = f['running'] === false || (idleMinutes !== null && idleMinutes > 0);
    if (idle) out.set(owner, (out.get(owner) ?? 0) + held);
  }
  return out;
}

/**
 * The usage increments of one evaluation: each user's GPU-equivalents held at this snapshot (the user fact
 * gpuEquivalentsUsed) and the part in idle containers, credited over the end of the interval since the previous
 * evaluation, at most maxSpanS long. Nothing when it cannot be told: the host's first evaluation, an empty interval,
 * or unknown holdings (a failed GPU or Docker collector makes gpuEquivalentsUsed null). Users holding nothing get no
 * increment (absence in a known interval means zero).
 */
export function usageIncrements(subjects: readonly Subject[], interval: UsageInterval): UsageIncrement[] {
  if (interval.from === null) return [];
  const toMs = interval.to.getTime();
  const fromMs = Math.max(interval.from.getTime(), toMs - interval.maxSpanS * 1000);
  if (!(toMs > fromMs)) return [];
  const users = subjects.filter((s) => s.scope === 'user');
  if (users.some((s) => num(s.facts['gpuEquivalentsUsed']) === null)) return [];
  const idle = idleByUser(subjects);
  const from = new Date(fromMs).toISOString();
  const to = interval.to.toISOString();
  const out: UsageIncrement[] = [];
  for (const s of users) {
    const held = num(s.facts['gpuEquivalentsUsed']) ?? 0;
    if (held <= 0) continue;
    out.push({ host: interval.host, user: s.key, from, to, gpuEquivalents: held, idleGpuEquivalents: Math.min(held, idle.get(s.key) ?? 0) });
  }
  return out;
}
