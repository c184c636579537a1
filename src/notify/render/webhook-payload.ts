// Alertmanager's webhook payload (version 4) of a message group, so that an existing Alertmanager webhook receiver,
// or any tool that takes Alertmanager's webhooks, can receive gpuwarden's alerts.
import { alertLabels } from '../../alerts/alert-labels.ts';
import type { WebhookAlert, WebhookPayload } from '../notifier.ts';
import type { MessageGroup, NotifiedAlert } from '../types.ts';

/** `endsAt` of an alert that has not ended: Go's zero time, as Alertmanager sends it. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A copy with keys in code-unit order (Alertmanager's Go maps marshal sorted), without prototype keys. */
function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] ?? '';
  return out;
}

/** The pairs every record has with the same value (Alertmanager's commonLabels / commonAnnotations). */
function common(records: readonly Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = records;
  if (first === undefined) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(first)) {
    if (rest.every((r) => Object.hasOwn(r, key) && r[key] === value)) out[key] = value;
  }
  return out;
}

function webhookAlert(n: NotifiedAlert, alertsUrl: string | null): WebhookAlert {
  const { alert } = n;
  const resolved = n.reason === 'resolved' || alert.state === 'resolved';
  const annotations: Record<string, string> = { description: alert.annotations.description, summary: alert.annotations.summary };
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: sorted(alertLabels(alert)),
    annotations,
    startsAt: alert.firedAt ?? alert.activeSince,
    endsAt: resolved && alert.resolvedAt !== null ? alert.resolvedAt : ZERO_TIME,
    generatorURL: alertsUrl === null ? '' : `${alertsUrl}?rule=${encodeURIComponent(alert.rule)}`,
    fingerprint: alert.fingerprint,
  };
}

/**
 * The group as Alertmanager's webhook payload: `status` firing while any alert fires, labels with `alertname` (the
 * rule id) and `severity`, `externalURL` the service URL when known. Every alert is in it; a receiver's `max_alerts`
 * is applied when sending (`truncatedAlerts` says how many were left out). Pure.
 */
export function renderWebhook(group: MessageGroup): WebhookPayload {
  const base = group.serviceUrl !== undefined && group.serviceUrl !== '' ? group.serviceUrl.replace(/\/+$/, '') : null;
  const alerts = group.alerts.map((n) => webhookAlert(n, base === null ? null : `${base}/v1/alerts`));
  return {
    version: '4',
    groupKey: group.groupKey,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: group.receiver,
    groupLabels: sorted(group.groupLabels),
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: base ?? '',
    alerts,
  };
}

/** The payload with at most `maxAlerts` alerts (0 = all), `truncatedAlerts` counting the rest, as Alertmanager's max_alerts. */
export function truncateWebhook(payload: WebhookPayload, maxAlerts: number): WebhookPayload {
  if (maxAlerts <= 0 || payload.alerts.length <= maxAlerts) return payload;
  return { ...payload, alerts: payload.alerts.slice(0, maxAlerts), truncatedAlerts: payload.truncatedAlerts + payload.alerts.length - maxAlerts };
}
