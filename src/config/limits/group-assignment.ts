import { sanitiseUsername } from '../../users/sanitise-username.ts';
import type { LimitsConfig, OverrideEntry } from './limits-config.ts';

/** The names a user is looked up under, in DS01's order: as logged in, then sanitised (if different). */
export function lookupNames(username: string): string[] {
  const sanitised = sanitiseUsername(username);
  return sanitised === username || sanitised === '' ? [username] : [username, sanitised];
}

/** How a user's group was decided. */
export type GroupSource = 'group-overrides' | 'members' | 'default_group';

/** A user's group by membership (ignoring user overrides), and how it was found. */
export interface GroupAssignment {
  group: string;
  source: GroupSource;
}

/**
 * The user's group: a `group-overrides.txt` line beats member lists; member lists are checked group by group in
 * file order, each with the raw then the sanitised name (DS01 get_resource_limits.py); else `default_group`.
 */
export function assignGroup(config: LimitsConfig, username: string): GroupAssignment {
  const names = lookupNames(username);
  for (const name of names) {
    const line = config.groupOverrides.find((o) => o.user === name);
    if (line !== undefined) return { group: line.group, source: 'group-overrides' };
  }
  for (const [group, members] of config.members) {
    if (members.some((m) => names.includes(m.user))) return { group, source: 'members' };
  }
  return { group: config.defaultGroup, source: 'default_group' };
}

/** The user's override entry, looked up by raw then sanitised name, or null. */
export function findOverride(config: LimitsConfig, username: string): OverrideEntry | null {
  for (const name of lookupNames(username)) {
    const entry = config.userOverrides.get(name);
    if (entry !== undefined) return entry;
  }
  return null;
}
