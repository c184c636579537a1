import type { Alert } from './alert.ts';

/**
 * The labels routes, silences and inhibition rules match on: the alert's labels plus `alertname` (the rule id) and
 * `severity` (these two win over labels of the same name). A null-prototype object, so no label name is special.
 */
export function alertLabels(alert: Pick<Alert, 'rule' | 'severity' | 'labels'>): Record<string, string> {
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(alert.labels)) labels[key] = value;
  labels.alertname = alert.rule;
  labels.severity = alert.severity;
  return labels;
}
