// The user directory's pure parts: building the lookup index, finding a person, and turning a name into an address.
import { isSystemAccount } from '../../users/system-accounts.ts';
import { closestName } from '../limits/suggest.ts';
import { isEmailAddress } from './email-address.ts';
import type { UserDefaults, UserDirectory, UserEntry, UsernameSanitiser } from './types.ts';

/** Placeholders an email pattern may use: the whole name, the part before `@`, DS01's sanitised name. */
export const EMAIL_PLACEHOLDERS = ['user', 'local', 'sanitised', 'sanitized'] as const;

/** The defaults of a users.yaml without a `default:` section: no pattern, no receivers, both channels. */
export const USER_DEFAULTS: UserDefaults = { emailPattern: null, emailReceiver: null, slackReceiver: null, notify: ['email', 'slack'] };

/** A directory with its sanitised-name index; on a sanitised collision the first entry keeps the name. */
export function makeUserDirectory(parts: {
  source?: string | null;
  users?: readonly UserEntry[];
  defaults?: Partial<UserDefaults>;
  sanitise: UsernameSanitiser;
}): UserDirectory {
  const users = new Map<string, UserEntry>();
  const bySanitised = new Map<string, string>();
  for (const entry of parts.users ?? []) {
    users.set(entry.name, entry);
    const key = parts.sanitise(entry.name);
    if (key !== '' && !bySanitised.has(key)) bySanitised.set(key, entry.name);
  }
  return { source: parts.source ?? null, users, bySanitised, defaults: { ...USER_DEFAULTS, ...parts.defaults }, sanitise: parts.sanitise };
}

/** The directory entry of a user: by exact name, else by DS01's sanitised name (`h.baker` ↔ `h.baker@hertie-school.lan`). */
export function findUser(directory: UserDirectory, name: string): UserEntry | null {
  const exact = directory.users.get(name);
  if (exact !== undefined) return exact;
  const key = directory.bySanitised.get(directory.sanitise(name));
  return key === undefined ? null : (directory.users.get(key) ?? null);
}

/** Why an email pattern cannot work, or null when it can (checked at load). */
export function emailPatternProblem(pattern: string): string | null {
  const names = [...pattern.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  const known: readonly string[] = EMAIL_PLACEHOLDERS;
  for (const name of names) {
    if (!known.includes(name)) {
      const close = closestName(name, EMAIL_PLACEHOLDERS.slice(0, 3));
      return `unknown placeholder {${name}}${close === null ? '' : ` (did you mean {${close}}?)`}; use {user}, {local} or {sanitised}`;
    }
  }
  if (names.length === 0) return 'has no placeholder, so every user would get the same address: use {user}, {local} or {sanitised}';
  if (/[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ''))) return 'has an unbalanced { or }';
  if (pattern.trim() === '{user}') return null; // user names that are addresses already (h.baker@hertie-school.lan)
  const sample = pattern.replace(/\{[^{}]*\}/g, 'x');
  if (!isEmailAddress(sample)) return 'does not give an address: write e.g. "{local}@example.org", or "{user}" when user names are addresses';
  return null;
}

/** Fill an email pattern's placeholders for one user name. */
export function expandEmailPattern(pattern: string, name: string, sanitise: UsernameSanitiser): string {
  const at = name.indexOf('@');
  const values: Record<string, string> = {
    user: name,
    local: at < 0 ? name : name.slice(0, at),
    sanitised: sanitise(name),
    sanitized: sanitise(name),
  };
  return pattern.replace(/\{([^{}]*)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** A user's address, or why there is none (`no address: not in users.yaml and no default.email_pattern`). */
export type AddressLookup = { ok: true; address: string } | { ok: false; reason: string };

/** The address to write to: the entry's `email`, else the default pattern; unresolved uids and system accounts get none. */
export function userAddress(directory: UserDirectory, name: string, entry: UserEntry | null = findUser(directory, name)): AddressLookup {
  if (entry?.email !== null && entry?.email !== undefined) return { ok: true, address: entry.email };
  const pattern = directory.defaults.emailPattern;
  if (pattern === null) {
    return { ok: false, reason: entry === null ? 'no address: not in the user directory and no default.email_pattern' : 'no address: no email and no default.email_pattern' };
  }
  if (entry === null && isSystemAccount(name)) {
    return { ok: false, reason: `no address: "${name}" is a system account (its alerts reach the admins; add it to users: with an email to reach it)` };
  }
  if (entry === null && /^[0-9]+$/.test(name)) {
    return { ok: false, reason: `no address: "${name}" is a uid no name was found for, not a user name (add it to users: to reach them)` };
  }
  const address = expandEmailPattern(pattern, name, directory.sanitise);
  if (!isEmailAddress(address)) return { ok: false, reason: `no address: default.email_pattern gives "${address}", which is not an address` };
  return { ok: true, address };
}
