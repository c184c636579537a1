// DS01's words for how serious a user message is (WARNING approaching, ALERT at/over, LIMIT REACHED at a lifecycle
// limit, NOTICE for information) and its message titles, mapped from gpuwarden's alerts. A word never claims an action:
// what enforcement did is said by the message's Action field, from the probe's result only.
import type { Alert } from '../../alerts/alert.ts';

/**
 * The severity word a message line carries: RESOLVED for an alert whose condition cleared, NO LONGER TRACKED for one
 * that ended because a source it needs stayed unreadable (nobody knows whether the problem is fixed).
 */
export type SeverityWord = 'NOTICE' | 'WARNING' | 'ALERT' | 'LIMIT REACHED' | 'RESOLVED' | 'NO LONGER TRACKED';

/** Stage id at which the default pack's lifecycle rules reach their limit (idle timeout, max runtime). */
export const LIMIT_STAGE = 'limit';

/** Ordering for a group's headline word: the most serious firing alert wins; the end words only when nothing fires. */
const RANK: Record<SeverityWord, number> = { RESOLVED: 0, 'NO LONGER TRACKED': 1, NOTICE: 2, WARNING: 3, ALERT: 4, 'LIMIT REACHED': 5 };

/** The DS01 word for one firing alert: info → NOTICE, warning → WARNING, critical → ALERT, stage `limit` → LIMIT REACHED. */
export function severityWord(alert: Alert): SeverityWord {
  // A user exempt from the rule by a grant gets an FYI notice, whatever the stage (DS01: "exempt users get one FYI").
  if ((alert.grant ?? null) !== null) return 'NOTICE';
  if (alert.stage === LIMIT_STAGE) return 'LIMIT REACHED';
  switch (alert.severity) {
    case 'info':
      return 'NOTICE';
    case 'warning':
      return 'WARNING';
    case 'critical':
      return 'ALERT';
  }
}

/** The most serious of several words (RESOLVED for none). */
export function worstWord(words: readonly SeverityWord[]): SeverityWord {
  return words.reduce<SeverityWord>((worst, w) => (RANK[w] > RANK[worst] ? w : worst), 'RESOLVED');
}

/** DS01's message titles, by rule id and stage (`''` = the base stage); the limit stages name the limit, not an action. */
const DS01_TITLES: Record<string, Record<string, string>> = {
  'idle-gpu-container': { '': 'IDLE CONTAINER WARNING', final: 'FINAL IDLE WARNING', limit: 'IDLE CONTAINER' },
  'max-runtime': { '': 'MAX RUNTIME WARNING', final: 'FINAL RUNTIME WARNING', limit: 'MAX RUNTIME' },
  'gpu-quota': { '': 'RESOURCE QUOTA ALERT' },
  'container-count': { '': 'RESOURCE QUOTA ALERT' },
};

/** A title for one alert: DS01's where it has one, else the rule id in words (`gpu-temperature` → `GPU TEMPERATURE`). */
export function alertTitle(alert: Alert): string {
  const byStage = Object.hasOwn(DS01_TITLES, alert.rule) ? DS01_TITLES[alert.rule] : undefined;
  const stage = alert.stage ?? '';
  const title = byStage !== undefined ? (Object.hasOwn(byStage, stage) ? byStage[stage] : byStage['']) : undefined;
  return title ?? alert.rule.replace(/[-_]+/g, ' ').toUpperCase();
}
