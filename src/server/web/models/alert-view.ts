// Alerts, silences and enforcement actions as the pages show them: plain data with their evidence.
import type { Alert, AlertState } from '../../../alerts/alert.ts';
import { formatMatcher, silencedBy } from '../../../alerts/silence.ts';
import type { StoredAction } from '../../../enforcement/stored-action.ts';
import type { Silence } from '../../../store/store.ts';

/** One pending or firing alert and the evidence behind it. */
export interface AlertView {
  fingerprint: string;
  rule: string;
  host: string;
  severity: string;
  stage: string | null;
  state: AlertState;
  summary: string;
  description: string;
  /** Its labels (user, container, gpu, …) sorted by name. */
  labels: [string, string][];
  user: string | null;
  activeSince: string;
  firedAt: string | null;
  lastMatchedAt: string;
  /** A source the rule needs failed: the alert's state is unconfirmed since then. */
  stale: { since: string; sources: string[] } | null;
  /** The condition stopped holding at this time; the alert resolves after the rule's keepFiringFor. */
  keepFiringSince: string | null;
  /** The silence muting its notifications now, by id. */
  silencedBy: string | null;
}

/** A silence in force. */
export interface SilenceView {
  id: string;
  /** Its matchers as text (`user="bob"`). */
  matchers: string[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

/** An enforcement action and where it stands. */
export interface ActionView {
  id: string;
  type: string;
  host: string;
  user: string | null;
  /** The container name or `pid N`. */
  target: string;
  state: string;
  notBefore: string;
  expiresAt: string;
  createdAt: string;
  approvedBy: string | null;
  rule: string;
  summary: string;
  /** The probe's (or the service's) report; null while open. */
  result: { outcome: string; detail: string; at: string } | null;
}

/** An alert as shown, muted or not by `silences` at `now`. */
export function alertView(a: Alert, silences: readonly Silence[], now: Date): AlertView {
  return {
    fingerprint: a.fingerprint, rule: a.rule, host: a.host, severity: a.severity, stage: a.stage, state: a.state,
    summary: a.annotations.summary, description: a.annotations.description,
    labels: Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y)),
    user: a.labels.user ?? null,
    activeSince: a.activeSince, firedAt: a.firedAt, lastMatchedAt: a.lastMatchedAt,
    stale: a.stale === undefined || a.stale === null ? null : { since: a.stale.since, sources: [...a.stale.sources] },
    keepFiringSince: a.keepFiringSince ?? null,
    silencedBy: silencedBy(silences, a, now)?.id ?? null,
  };
}

/** Firing first, then pending; the longest active first within each. */
export function compareAlerts(a: AlertView, b: AlertView): number {
  const rank = (s: AlertState): number => (s === 'firing' ? 0 : s === 'pending' ? 1 : 2);
  return rank(a.state) - rank(b.state) || a.activeSince.localeCompare(b.activeSince) || a.fingerprint.localeCompare(b.fingerprint);
}

/** A silence as shown. */
export function silenceView(s: Silence): SilenceView {
  return { id: s.id, matchers: s.matchers.map(formatMatcher), createdBy: s.createdBy, comment: s.comment, startsAt: s.startsAt, endsAt: s.endsAt };
}

/** An action as shown. */
export function actionView(s: StoredAction): ActionView {
  const a = s.action;
  return {
    id: a.id, type: a.type, host: a.host, user: a.user,
    target: a.target.kind === 'container' ? a.target.name : `pid ${a.target.pid}`,
    state: s.state, notBefore: a.notBefore, expiresAt: a.expiresAt, createdAt: s.createdAt, approvedBy: s.approvedBy,
    rule: a.reason.rule, summary: a.reason.summary,
    result: s.result === null ? null : { outcome: s.result.outcome, detail: s.result.detail, at: s.result.at },
  };
}
