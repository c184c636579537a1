/** How bad a finding is. */
export type Severity = 'info' | 'warning' | 'critical';

/** Severities from least to most severe, for comparing stages. */
export const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'critical'];

/**
 * A rule matching one subject in one evaluation. `stage` is the highest stage whose conditions matched
 * (null = only the base conditions); severity and `forSec` are that stage's.
 */
export interface Finding {
  rule: string;
  severity: Severity;
  stage: string | null;
  forSec: number;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
  notify: string[];
}
