// Grants, pure: an admin exempts one user from one rule until a time ("alice may keep her idle container until
// Friday"). While a grant is in force the user's alert from that rule is an FYI notice and no enforcement action is
// planned for it. Grants come from admins (stored, revocable) and from DS01's lifecycle-exemptions.yaml (read-only).
import { z } from 'zod';
import type { Exemption, ExemptionKind } from '../config/limits/exemptions.ts';
import type { AlertChange } from '../alerts/alert.ts';

/** Where a grant comes from: an admin through the API, or DS01's lifecycle-exemptions.yaml (read-only). */
export const GRANT_SOURCES = ['admin', 'lifecycle-exemptions'] as const;

/** One of GRANT_SOURCES. */
export type GrantSource = (typeof GRANT_SOURCES)[number];

/** The rule of a grant that covers every rule of its user. */
export const ANY_RULE = '*';

/** The `until` of a permanent grant (a lifecycle exemption without expires_on): later than any real time. */
export const PERMANENT_UNTIL = '9999-12-31T23:59:59.999Z';

/** Times as grants keep them: UTC ISO with milliseconds (what toISOString writes), so they also compare as text. */
export const GRANT_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Rule ids a grant may name: a rule id, or `*` for every rule of the user. */
export const GRANT_RULE_PATTERN = /^(?:\*|[A-Za-z0-9][A-Za-z0-9._:-]*)$/;

const grantTime = z.string().regex(GRANT_TIME_PATTERN, 'a UTC time such as 2026-12-04T17:00:00.000Z').refine((t) => !Number.isNaN(Date.parse(t)), 'not a real date');

/** One grant: `user` is exempt from `rule` (or every rule, `*`) until `until`, unless revoked earlier. */
export const grantSchema = z.strictObject({
  id: z.string().min(1).max(200),
  user: z.string().min(1).max(256).regex(/^[^\s\u0000-\u001f\u007f]+$/, 'a user name without spaces or control characters'),
  rule: z.string().min(1).max(200).regex(GRANT_RULE_PATTERN, 'a rule id (letters, digits and . _ : -) or *'),
  until: grantTime,
  reason: z.string().trim().min(1, 'say why the user is exempt').max(2000),
  /** The admin principal's name, or `lifecycle-exemptions.yaml` for a read-only grant. */
  createdBy: z.string().min(1).max(256),
  createdAt: grantTime,
  revokedAt: grantTime.nullable(),
  source: z.enum(GRANT_SOURCES),
});

/** One grant (see grantSchema). */
export type Grant = z.infer<typeof grantSchema>;

/** Filters of listGrants and GET /v1/grants; without includeInactive only grants in force are listed. */
export interface GrantFilter {
  includeInactive?: boolean;
  user?: string;
  /** Exact rule id (a `*` grant is listed only for rule `*`). */
  rule?: string;
}

/** Whether the grant is in force at `now`: not revoked (by then) and until later than now. */
export function grantActiveAt(grant: Grant, now: Date): boolean {
  const t = now.getTime();
  if (grant.revokedAt !== null && Date.parse(grant.revokedAt) <= t) return false;
  return Date.parse(grant.until) > t;
}

/**
 * The grant exempting `user` from `rule` at `now`, or null. An exact rule grant wins over a `*` grant; among
 * several, the one lasting longest (then the lowest id), so the answer does not depend on the order given.
 */
export function activeGrantFor(grants: readonly Grant[], subject: { user: string; rule: string }, now: Date): Grant | null {
  const active = grants.filter((g) => g.user === subject.user && (g.rule === subject.rule || g.rule === ANY_RULE) && grantActiveAt(g, now));
  const best = (rule: string): Grant | null =>
    active.filter((g) => g.rule === rule).sort((a, b) => Date.parse(b.until) - Date.parse(a.until) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0] ?? null;
  return best(subject.rule) ?? best(ANY_RULE);
}

/** listGrants order: newest createdAt first, then id. */
export function compareGrants(a: Grant, b: Grant): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The grants the filter selects at `now`, in listGrants order. */
export function filterGrants(grants: readonly Grant[], filter: GrantFilter, now: Date): Grant[] {
  return grants
    .filter((g) => (filter.includeInactive === true || grantActiveAt(g, now)) && (filter.user === undefined || g.user === filter.user))
    .filter((g) => filter.rule === undefined || g.rule === filter.rule)
    .sort(compareGrants);
}

/** The rule each lifecycle limit of DS01 is enforced by. */
export const EXEMPTION_RULES: Readonly<Record<ExemptionKind, string>> = {
  idle_timeout_h: 'idle-gpu-container',
  max_runtime_h: 'max-runtime',
};

/** Who read-only grants from lifecycle-exemptions.yaml are created by. */
export const EXEMPTIONS_CREATED_BY = 'lifecycle-exemptions.yaml';

/** The id of the read-only grant for one user and rule from lifecycle-exemptions.yaml. */
export function exemptionGrantId(user: string, rule: string): string {
  return `ds01-exemption:${user}:${rule}`;
}

/**
 * DS01's lifecycle exemptions as read-only grants (source `lifecycle-exemptions`): one per user and exempted
 * limit (idle_timeout_h → idle-gpu-container, max_runtime_h → max-runtime); a permanent exemption (no expires_on)
 * lasts until PERMANENT_UNTIL. Expired ones are kept (listed with ?all=1; never in force). A user listed twice for
 * the same limit gets one grant, the longest. `now` is their createdAt (they exist since the file was loaded).
 */
export function grantsFromExemptions(exemptions: readonly Exemption[], now: Date): Grant[] {
  const byId = new Map<string, Grant>();
  for (const e of exemptions) {
    const until = e.expiresAt === null ? PERMANENT_UNTIL : e.expiresAt.toISOString();
    for (const kind of e.exemptFrom) {
      const rule = EXEMPTION_RULES[kind];
      const id = exemptionGrantId(e.username, rule);
      const known = byId.get(id);
      if (known !== undefined && known.until >= until) continue;
      const reason = e.reason !== null && e.reason.trim() !== '' ? e.reason.trim() : `listed in lifecycle-exemptions.yaml (line ${e.line})`;
      byId.set(id, { id, user: e.username, rule, until, reason, createdBy: EXEMPTIONS_CREATED_BY, createdAt: now.toISOString(), revokedAt: null, source: 'lifecycle-exemptions' });
    }
  }
  return [...byId.values()].sort(compareGrants);
}

/** The changes with each alert of a granted user carrying its grant, so the notice says it is FYI. */
export function withGrantNotes(changes: readonly AlertChange[], grantOf: (user: string | null, rule: string) => Grant | null): AlertChange[] {
  return changes.map((c) => {
    const g = grantOf(c.alert.labels.user ?? null, c.alert.rule);
    return g === null ? c : { ...c, alert: { ...c.alert, grant: { id: g.id, until: g.until, reason: g.reason } } };
  });
}
