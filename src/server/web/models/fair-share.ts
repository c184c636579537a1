// A person's fair-share standing per host, read from the engine's tracked state (the decayed GPU-hours the last
// evaluation stored) with the engine's own fair-share rule (fairShareOf): nothing re-derived here.
import { ratio, round3 } from '../../../engine/facts/context.ts';
import { fairShareOf } from '../../../engine/facts/user-facts.ts';
import type { FleetHost } from './fleet.ts';

/** Where one person stands on one host: their decayed GPU-hours against an equal share of everyone's. */
export interface FairShareStanding {
  host: string;
  decayedGpuHours: number;
  /** Null when nobody used GPUs on the host recently. */
  fairShareGpuHours: number | null;
  /** decayed / fair share (2: twice an equal split); null without a fair share. */
  ratio: number | null;
  /** When the engine last updated this person's decayed GPU-hours. */
  asOf: string;
}

/** GPU-equivalents each person holds on `h` now (0 where unknown: no snapshot). */
function heldNow(h: FleetHost): Map<string, number> {
  const held = new Map<string, number>();
  for (const r of h.rows ?? []) if (r.user !== null) held.set(r.user, (held.get(r.user) ?? 0) + r.gpuEquivalents);
  return held;
}

/** Every person's standing on host `h`, by user name (only people the tracked state remembers). */
export function fairShareOnHost(h: FleetHost): Map<string, FairShareStanding> {
  const held = heldNow(h);
  const users = Object.entries(h.tracked.users);
  const share = fairShareOf(users.map(([user, u]) => ({ decayedGpuHours: u.decayedGpuHours, gpuEquivalents: held.get(user) ?? 0 })));
  const out = new Map<string, FairShareStanding>();
  for (const [user, u] of users) {
    out.set(user, {
      host: h.host, decayedGpuHours: round3(u.decayedGpuHours), fairShareGpuHours: share === null ? null : round3(share),
      ratio: ratio(u.decayedGpuHours, share), asOf: u.updatedAt,
    });
  }
  return out;
}

/** One person's standing on every host where the tracked state remembers them, by host name. */
export function fairShareForUser(hosts: readonly FleetHost[], user: string): FairShareStanding[] {
  return hosts.flatMap((h) => {
    const s = fairShareOnHost(h).get(user);
    return s === undefined ? [] : [s];
  });
}
