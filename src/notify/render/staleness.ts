// What a message says about data gpuwarden could not re-check: a firing alert whose sources are unreadable (stale),
// and an alert that ended because a source stayed unreadable (no longer tracked, which is not "fixed").
import type { Alert } from '../../alerts/alert.ts';
import { formatTime, oneLine } from './text.ts';

/** Source names as words: `docker`, `docker and gpu`, `docker, gpu and proc`; `a data source` for none. */
export function sourcesText(sources: readonly string[]): string {
  const names = sources.map(oneLine).filter((s) => s !== '');
  if (names.length === 0) return 'a data source';
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

/** `not re-checked since 2026-11-25 17:05 UTC: docker unreadable` for a stale alert; null when it is not stale. */
export function staleText(alert: Pick<Alert, 'stale'>): string | null {
  const stale = alert.stale;
  if (stale === null || stale === undefined) return null;
  return `not re-checked since ${formatTime(stale.since)}: ${sourcesText(stale.sources)} unreadable`;
}

/** Whether an alert ended because a source it needs stayed unreadable (so nobody knows whether it is fixed). */
export function endedUntracked(alert: Alert): boolean {
  return alert.resolvedReason === 'source-unavailable';
}

/**
 * Why an alert is no longer tracked, for admins (`docker has been unreadable since …; gpuwarden cannot tell whether this
 * is still the case`) or for the person concerned (`gpuwarden has not been able to read docker on ds01 since …`).
 */
export function untrackedText(alert: Alert, audience: 'user' | 'admin'): string {
  const sources = alert.stale?.sources ?? [];
  const since = alert.stale?.since;
  const what = sourcesText(sources);
  const when = since !== undefined ? ` since ${formatTime(since)}` : '';
  if (audience === 'user') {
    return `No longer tracked: gpuwarden has not been able to read ${what} on ${oneLine(alert.host)}${when}, so it cannot tell whether this still applies.`;
  }
  const verb = sources.length > 1 ? 'have' : 'has';
  return `No longer tracked: ${what} ${verb} been unreadable${when}; gpuwarden cannot tell whether this is still the case.`;
}
