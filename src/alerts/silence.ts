// Silences, pure: matchers (parse, format, match), whether a silence mutes an alert at a time, and which
// expire-on-resolve silences are done. Alertmanager semantics: an absent label matches as the empty string.
import type { Silence } from '../store/store.ts';
import type { Alert } from './alert.ts';
import { alertLabels } from './alert-labels.ts';

export { alertLabels } from './alert-labels.ts';

/** One label matcher: `name=value`, `name!=value`, `name=~regex`, `name!~regex`. */
export type Matcher = Silence['matchers'][number];

/** A matcher that cannot be read; the message says what is wrong and what is accepted. */
export class MatcherError extends Error {
  override name = 'MatcherError';
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.:-]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;
const FORMS = 'use name=value, name!=value, name=~regex or name!~regex (the value may be "quoted")';
// Written without quotes when it reads back the same: not empty, no space or comma, not starting with a quote.
const PLAIN_VALUE = /^[^\s"',][^\s,]*$/;
const regexCache = new Map<string, RegExp | null>();

/** The fully anchored RegExp of a regex matcher's value, or null when it is not a valid pattern (cached). */
export function matcherRegExp(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    if (regexCache.size >= 512) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

function unquote(raw: string, text: string): string {
  if (raw.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string') return value;
    } catch {
      // fall through to the error below
    }
    throw new MatcherError(`matcher ${JSON.stringify(text)}: the quoted value is not closed or has a bad escape`);
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) throw new MatcherError(`matcher ${JSON.stringify(text)}: the quoted value is not closed`);
    return raw.slice(1, -1);
  }
  return raw;
}

/** Parse `name=value`, `name!=value`, `name=~regex` or `name!~regex`; throws MatcherError (an invalid regex too). */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (m === null) throw new MatcherError(`matcher ${JSON.stringify(text)} is not valid: ${FORMS}`);
  const [, name = '', op = '', raw = ''] = m;
  const value = unquote(raw, text);
  const isRegex = op === '=~' || op === '!~';
  if (isRegex && matcherRegExp(value) === null) throw new MatcherError(`matcher ${JSON.stringify(text)}: ${JSON.stringify(value)} is not a valid regular expression`);
  return { name, value, isRegex, isEqual: op === '=' || op === '=~' };
}

/** A matcher as text parseMatcher reads back (`user="a b"`, `alertname=~idle-.*`). */
export function formatMatcher(m: Matcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  const value = PLAIN_VALUE.test(m.value) ? m.value : JSON.stringify(m.value);
  return `${m.name}${op}${value}`;
}

/** Whether one matcher matches the labels (absent label = empty string; an invalid regex never matches). */
export function matcherMatches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, m.name) ? (labels[m.name] ?? '') : '';
  if (!m.isRegex) return (value === m.value) === m.isEqual;
  const re = matcherRegExp(m.value);
  if (re === null) return false;
  return re.test(value) === m.isEqual;
}

/** Whether every matcher matches (an empty list matches everything: silences refuse that on their own). */
export function matchersMatch(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

/** Whether a silence's matchers match; a silence without matchers matches nothing (never mutes everything by accident). */
function silenceMatchersMatch(silence: Silence, labels: Readonly<Record<string, string>>): boolean {
  return silence.matchers.length > 0 && matchersMatch(silence.matchers, labels);
}

/** Whether the silence is in force at `at`: startsAt <= at < endsAt and not expired by then. */
export function silenceActiveAt(silence: Silence, at: Date): boolean {
  const t = at.getTime();
  const expiredAt = silence.expiredAt === null ? Number.POSITIVE_INFINITY : Date.parse(silence.expiredAt);
  return Date.parse(silence.startsAt) <= t && t < Date.parse(silence.endsAt) && t < expiredAt;
}

/** Whether the silence mutes labels at `at`: in force then, and all its matchers match. */
export function silenceMatches(silence: Silence, labels: Readonly<Record<string, string>>, at: Date): boolean {
  return silenceActiveAt(silence, at) && silenceMatchersMatch(silence, labels);
}


/** The first silence (in the given order) that mutes the alert at `at`, or null. */
export function silencedBy(silences: readonly Silence[], alert: Alert, at: Date): Silence | null {
  if (silences.length === 0) return null;
  const labels = alertLabels(alert);
  return silences.find((s) => silenceMatches(s, labels, at)) ?? null;
}

/**
 * Ids of the expire-on-resolve silences that are done: not expired yet, matching at least one of `alerts`, and
 * every alert they match resolved. (Time windows are not looked at: a silence that has not started or has ended
 * is expired all the same once its alerts resolved.)
 */
export function silencesToExpire(silences: readonly Silence[], alerts: readonly Alert[]): string[] {
  const candidates = silences.filter((s) => s.expireOnResolve && s.expiredAt === null);
  if (candidates.length === 0) return [];
  const labelled = alerts.map((alert) => ({ alert, labels: alertLabels(alert) }));
  return candidates
    .filter((s) => {
      const matched = labelled.filter(({ labels }) => silenceMatchersMatch(s, labels));
      return matched.length > 0 && matched.every(({ alert }) => alert.state === 'resolved');
    })
    .map((s) => s.id);
}
