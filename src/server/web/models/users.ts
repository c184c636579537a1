// The users pages' models: each person's GPU-equivalents against their quota, containers, alerts, fair share.
import type { UsageRow } from '../../../usage/rows.ts';
import { activeAlerts } from './active-alerts.ts';
import type { AlertView } from './alert-view.ts';
import { fairShareForUser, type FairShareStanding } from './fair-share.ts';
import { loadFleet, type Fleet, type WebModelDeps } from './fleet.ts';

/** One person's line. */
export interface UserSummary {
  user: string;
  /** GPU-equivalents held now (all hosts); null where no live snapshot is kept (Workers). */
  gpuEquivalents: number | null;
  /** Their quota in GPU-equivalents; null: unlimited. */
  quota: number | null;
  overQuota: boolean;
  /** Containers holding or using GPUs now; null where not known. */
  containers: number | null;
  hosts: string[];
  firingAlerts: number;
  pendingAlerts: number;
  fairShare: FairShareStanding[];
}

/** The users page. */
export interface UsersModel {
  now: string;
  live: boolean;
  users: UserSummary[];
}

/** One person's page (the usage chart comes from the route). */
export interface UserModel {
  now: string;
  live: boolean;
  summary: UserSummary;
  /** Their containers (and untracked host processes) now; null where not known. */
  rows: UsageRow[] | null;
  alerts: AlertView[];
}

function summaryOf(deps: WebModelDeps, fleet: Fleet, alerts: readonly AlertView[], user: string): UserSummary {
  const rows = fleet.hosts.flatMap((h) => h.rows ?? []).filter((r) => r.user === user);
  const gpuEquivalents = fleet.live ? rows.reduce((n, r) => n + r.gpuEquivalents, 0) : null;
  const quota = deps.limits().forUser(user, fleet.now).maxGpuEquivalents;
  const fairShare = fairShareForUser(fleet.hosts, user);
  const mine = alerts.filter((a) => a.user === user);
  return {
    user, gpuEquivalents, quota,
    overQuota: gpuEquivalents !== null && quota !== null && gpuEquivalents > quota + 1e-9,
    containers: fleet.live ? rows.filter((r) => r.container !== null).length : null,
    hosts: [...new Set([...rows.map((r) => r.host), ...fairShare.map((f) => f.host)])].sort(),
    firingAlerts: mine.filter((a) => a.state === 'firing').length,
    pendingAlerts: mine.filter((a) => a.state === 'pending').length,
    fairShare,
  };
}

/** Everyone the service knows now: owners of rows, people in tracked state, people named by alerts. */
function peopleOf(fleet: Fleet, alerts: readonly AlertView[]): string[] {
  const names = new Set<string>();
  for (const h of fleet.hosts) {
    for (const r of h.rows ?? []) if (r.user !== null) names.add(r.user);
    for (const u of Object.keys(h.tracked.users)) names.add(u);
  }
  for (const a of alerts) if (a.user !== null) names.add(a.user);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Load the users page: most GPU-equivalents first, then by name. */
export async function loadUsers(deps: WebModelDeps): Promise<UsersModel> {
  const fleet = await loadFleet(deps);
  const alerts = await activeAlerts(deps.store, fleet.hosts.map((h) => h.host), fleet.now);
  const users = peopleOf(fleet, alerts).map((u) => summaryOf(deps, fleet, alerts, u))
    .sort((a, b) => (b.gpuEquivalents ?? 0) - (a.gpuEquivalents ?? 0) || a.user.localeCompare(b.user));
  return { now: fleet.now.toISOString(), live: fleet.live, users };
}

/** Load the page of `user` (a person nobody has seen gets an empty page, not an error: they may simply hold nothing). */
export async function loadUser(deps: WebModelDeps, user: string): Promise<UserModel> {
  const fleet = await loadFleet(deps);
  const alerts = await activeAlerts(deps.store, fleet.hosts.map((h) => h.host), fleet.now);
  return {
    now: fleet.now.toISOString(),
    live: fleet.live,
    summary: summaryOf(deps, fleet, alerts, user),
    rows: fleet.live ? fleet.hosts.flatMap((h) => h.rows ?? []).filter((r) => r.user === user) : null,
    alerts: alerts.filter((a) => a.user === user),
  };
}
