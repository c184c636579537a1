// Inhibition, pure, with Alertmanager's semantics: a firing alert matching a rule's source matchers mutes the
// alerts matching its target matchers whose `equal` labels have the same values (absent = empty string).
import type { Alert } from './alert.ts';
import { alertLabels, matchersMatch, type Matcher } from './silence.ts';

/** One inhibition rule: sources mute targets that agree with them on every `equal` label. */
export interface InhibitRule {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

const eq = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });

/** The labels that name an alert's subject (engine/subject.ts): what "the same subject" compares. */
export const SUBJECT_LABELS: readonly string[] = ['host', 'user', 'container', 'pid', 'gpu'];

/**
 * The built-in rules: (1) a silent host (`host-silent` firing) mutes every other alert of that host, whose data is
 * stale anyway; (2) a critical alert mutes the warning and info alerts of the same rule and subject.
 */
export const DEFAULT_INHIBIT_RULES: readonly InhibitRule[] = [
  {
    sourceMatchers: [eq('alertname', 'host-silent')],
    targetMatchers: [{ name: 'alertname', value: 'host-silent', isRegex: false, isEqual: false }],
    equal: ['host'],
  },
  {
    sourceMatchers: [eq('severity', 'critical')],
    targetMatchers: [{ name: 'severity', value: 'warning|info', isRegex: true, isEqual: true }],
    equal: ['alertname', ...SUBJECT_LABELS],
  },
];

function labelValue(labels: Readonly<Record<string, string>>, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';
}

/** Whether two label sets agree on every name in `equal` (a label absent from both agrees). */
export function equalLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>, equal: readonly string[]): boolean {
  return equal.every((name) => labelValue(a, name) === labelValue(b, name));
}

/**
 * The firing alert that inhibits `alert` under the first rule that applies, or null. An alert never inhibits
 * itself; and, as in Alertmanager, when the alert matches both sides of a rule, sources that also match both
 * sides are ignored (two such alerts would otherwise mute each other).
 */
export function inhibitedBy(rules: readonly InhibitRule[], alert: Alert, firingAlerts: readonly Alert[]): Alert | null {
  if (rules.length === 0 || firingAlerts.length === 0) return null;
  const target = alertLabels(alert);
  const sources = firingAlerts
    .filter((source) => source.state === 'firing' && source.fingerprint !== alert.fingerprint)
    .map((source) => ({ source, labels: alertLabels(source) }));
  for (const rule of rules) {
    if (!matchersMatch(rule.targetMatchers, target)) continue;
    const twoSided = matchersMatch(rule.sourceMatchers, target);
    const found = sources.find(
      ({ labels }) =>
        matchersMatch(rule.sourceMatchers, labels) &&
        !(twoSided && matchersMatch(rule.targetMatchers, labels)) &&
        equalLabels(labels, target, rule.equal),
    );
    if (found !== undefined) return found.source;
  }
  return null;
}
