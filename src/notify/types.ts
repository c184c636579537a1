import type { Alert } from '../alerts/alert.ts';

/** Why a notification is sent about an alert; `action`: its enforcement action has a result. */
export type NotifyReason = 'firing' | 'escalated' | 'repeat' | 'resolved' | 'action';

/** Who a message is written for: the person concerned, or the operators. */
export type Audience = 'user' | 'admin';

/** One alert inside a grouped message, with why it is (re)sent. */
export interface NotifiedAlert {
  alert: Alert;
  reason: NotifyReason;
}

/**
 * One message to one receiver: a group of alerts (Alertmanager-style grouping by the route's group_by labels).
 * For `audience: 'user'`, `user` is the person it is addressed to.
 */
export interface MessageGroup {
  receiver: string;
  audience: Audience;
  user: string | null;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
  /** A drill (`gpuwarden notify test`): rendered with a clear TEST marker. */
  test?: boolean;
  /** Base URL of the service, for links in messages (optional). */
  serviceUrl?: string;
}

/** Where a message goes, resolved from the receiver config and the user directory (secrets included: never log it). */
export type Destination =
  | { kind: 'slack'; webhookUrl: string; mention: string | null }
  | { kind: 'email'; to: string[] }
  | { kind: 'teams'; webhookUrl: string }
  | WebhookDestination;

/** A generic webhook (Alertmanager's webhook payload); `url` and `bearerToken` are secrets. `maxAlerts` 0 = all. */
export interface WebhookDestination {
  kind: 'webhook';
  url: string;
  bearerToken: string | null;
  maxAlerts: number;
}

/**
 * A destination without its secret (webhook URLs and tokens come from the receiver config at send time). Persisted
 * in the outbox: kinds are only ever added, so older rows stay readable.
 */
export type StoredDestination = { kind: 'slack'; mention: string | null } | { kind: 'email'; to: string[] } | { kind: 'teams' } | { kind: 'webhook' };

/** Outcome of one delivery attempt. `retry` says whether trying again can help (5xx, 429, timeouts: yes). */
export type SendResult =
  | { ok: true }
  | { ok: false; retry: boolean; retryAfterMs: number | null; error: string };
