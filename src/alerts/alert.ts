import type { Severity } from '../engine/finding.ts';

/** Where an alert is in its life: pending (matching, `for` not yet elapsed), firing, resolved. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/**
 * One alert, identified by its fingerprint (rule id + sorted labels). Times are ISO strings.
 * `activeSince`: first evaluation that matched in the current episode; `lastMatchedAt` / `updatedAt`: the
 * evidence time (snapshot takenAt or tick time) of the last evaluation that changed the alert (state, severity,
 * stage or text); evaluations that change nothing do not rewrite it.
 */
export interface Alert {
  fingerprint: string;
  rule: string;
  host: string;
  severity: Severity;
  stage: string | null;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
  notify: string[];
  state: AlertState;
  activeSince: string;
  firedAt: string | null;
  resolvedAt: string | null;
  lastMatchedAt: string;
  updatedAt: string;
  /**
   * A higher stage whose own `for` has not elapsed yet (e.g. > 90 °C for 2 min while the alert fires at > 85 °C):
   * the alert keeps its current stage until the candidate has held since `since` for its `for`.
   */
  pendingStage?: { id: string | null; since: string } | null;
  /**
   * Set while a source the rule needs (docker, gpu, proc, users) failed on the host: the alert keeps its state
   * unconfirmed, since `since`. Null or absent when the last evaluation saw every source it needs.
   */
  stale?: AlertStaleness | null;
  /** A firing alert whose condition stopped holding at this time: it resolves once the rule's keepFiringFor has passed. */
  keepFiringSince?: string | null;
  /** Why a resolved alert resolved: its condition cleared, or a source it needs stayed unreadable too long. */
  resolvedReason?: ResolvedReason | null;
  /**
   * In notifications only (never stored with the alert): the enforcement action taken on it, as known when the
   * message was queued. A message says an action happened only when this carries the probe's result.
   */
  action?: AlertActionNote | null;
  /** In notifications only: the grant exempting the alert's user from its rule (the message is then FYI). */
  grant?: AlertGrantNote | null;
}

/** The grant a message names for an exempt user's alert. */
export interface AlertGrantNote {
  id: string;
  until: string;
  reason: string;
}

/** What a message says about an alert's enforcement action. */
export interface AlertActionNote {
  id: string;
  type: 'warn' | 'stop-container' | 'signal-process';
  /** awaiting-approval, scheduled, or the outcome (done, dry-run, vetoed, target-changed, failed, expired, refused). */
  state: string;
  /** stop-container: the container is removed once stopped. */
  remove: boolean;
  notBefore: string;
  /** When the outcome was reached; null while open. */
  at: string | null;
  /** The probe's one-line account; null while open. */
  detail: string | null;
}

/** A source an alert's rule needs failed: since when, and which. */
export interface AlertStaleness {
  since: string;
  sources: string[];
}

/** Why an alert resolved. */
export type ResolvedReason = 'cleared' | 'source-unavailable';

/** A state change produced by one evaluation (what notifications will be made of). */
export interface AlertChange {
  fingerprint: string;
  from: AlertState | 'inactive';
  to: AlertState;
  /** Severity or stage moved while the alert stayed firing. */
  escalated: boolean;
  alert: Alert;
}
