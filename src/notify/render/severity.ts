// DS01's words for how serious a user message is (WARNING approaching, ALERT at/over, STOPPED just stopped, NOTICE
// for information) and its message titles, mapped from gpuwarden's alerts.
import type { Alert } from '../../alerts/alert.ts';

/** The severity word a message line carries; RESOLVED for an alert that has ended. */
export type SeverityWord = 'NOTICE' | 'WARNING' | 'ALERT' | 'STOPPED' | 'RESOLVED';

/** Stage id at which the default pack's lifecycle rules stop the container (the `stop-container` action). */
export const STOP_STAGE = 'limit';

/** Ordering for a group's headline word: the most serious firing alert wins; RESOLVED only when nothing fires. */
const RANK: Record<SeverityWord, number> = { RESOLVED: 0, NOTICE: 1, WARNING: 2, ALERT: 3, STOPPED: 4 };

/** The DS01 word for one firing alert: info → NOTICE, warning → WARNING, critical → ALERT, stage `limit` → STOPPED. */
export function severityWord(alert: Alert): SeverityWord {
  if (alert.stage === STOP_STAGE) return 'STOPPED';
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

/** DS01's message titles, by rule id and stage (`''` = the base stage). */
const DS01_TITLES: Record<string, Record<string, string>> = {
  'idle-gpu-container': { '': 'IDLE CONTAINER WARNING', final: 'FINAL IDLE WARNING', limit: 'CONTAINER AUTO-STOPPED' },
  'max-runtime': { '': 'MAX RUNTIME WARNING', final: 'FINAL RUNTIME WARNING', limit: 'CONTAINER STOPPED — RUNTIME LIMIT' },
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
