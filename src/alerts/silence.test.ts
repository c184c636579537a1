import { describe, expect, it } from 'vitest';
import type { Silence } from '../store/store.ts';
import type { Alert } from './alert.ts';
import {
  alertLabels, formatMatcher, matcherMatches, matcherRegExp, MatcherError, matchersMatch, parseMatcher, silenceActiveAt,
  silencedBy, silenceMatches, silencesToExpire, type Matcher,
} from './silence.ts';

const T0 = '2026-11-25T10:00:00.000Z';
const minute = (n: number): Date => new Date(Date.parse(T0) + n * 60_000);

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    fingerprint: 'fp-1', rule: 'idle-gpu-container', host: 'ds01', severity: 'warning', stage: null,
    labels: { host: 'ds01', user: 'alice', container: 'c1' }, annotations: { summary: 's', description: 'd' }, notify: ['admins'],
    state: 'firing', activeSince: T0, firedAt: T0, resolvedAt: null, lastMatchedAt: T0, updatedAt: T0, ...overrides,
  };
}

function silence(matchers: string[], overrides: Partial<Silence> = {}): Silence {
  return {
    id: 's1', matchers: matchers.map(parseMatcher), createdBy: 'bob', comment: 'c', startsAt: minute(0).toISOString(),
    endsAt: minute(60).toISOString(), expireOnResolve: false, createdAt: minute(-1).toISOString(), expiredAt: null, ...overrides,
  };
}

const m = (name: string, value: string, isEqual = true, isRegex = false): Matcher => ({ name, value, isRegex, isEqual });

describe('parseMatcher', () => {
  it('reads the four operators', () => {
    expect(parseMatcher('user=alice')).toEqual(m('user', 'alice'));
    expect(parseMatcher('user!=alice')).toEqual(m('user', 'alice', false));
    expect(parseMatcher('alertname=~idle-.*')).toEqual(m('alertname', 'idle-.*', true, true));
    expect(parseMatcher('alertname!~idle-.*')).toEqual(m('alertname', 'idle-.*', false, true));
  });

  it('trims spaces around the name, operator and value', () => {
    expect(parseMatcher('  user = alice  ')).toEqual(m('user', 'alice'));
    expect(parseMatcher('severity =~ warning|info')).toEqual(m('severity', 'warning|info', true, true));
  });

  it('reads double-quoted values with escapes and single-quoted values verbatim', () => {
    expect(parseMatcher('comment="a b, c"')).toEqual(m('comment', 'a b, c'));
    expect(parseMatcher('x="say \\"hi\\" \\\\ back"')).toEqual(m('x', 'say "hi" \\ back'));
    expect(parseMatcher("user='h.baker@hertie-school.lan'")).toEqual(m('user', 'h.baker@hertie-school.lan'));
    expect(parseMatcher('user=""')).toEqual(m('user', ''));
    expect(parseMatcher('alertname=~"idle-.*|gpu-waste"')).toEqual(m('alertname', 'idle-.*|gpu-waste', true, true));
  });

  it('keeps an unquoted value as written, = signs and unicode included', () => {
    expect(parseMatcher('user=')).toEqual(m('user', ''));
    expect(parseMatcher('user=jörg=x')).toEqual(m('user', 'jörg=x'));
    expect(parseMatcher('user=12345678')).toEqual(m('user', '12345678'));
  });

  it('accepts dotted, dashed and colon names', () => {
    expect(parseMatcher('ds01.user=a').name).toBe('ds01.user');
    expect(parseMatcher('container-name=a').name).toBe('container-name');
    expect(parseMatcher('_x:y=a').name).toBe('_x:y');
  });

  it('refuses text that is not a matcher, naming the accepted forms', () => {
    for (const bad of ['', 'user', '=alice', 'user alice', '1user=a', 'us er=a', 'user~alice']) {
      expect(() => parseMatcher(bad), bad).toThrow(MatcherError);
    }
    expect(() => parseMatcher('user')).toThrow('matcher "user" is not valid: use name=value, name!=value, name=~regex or name!~regex (the value may be "quoted")');
  });

  it('refuses an unclosed quote or a bad escape', () => {
    expect(() => parseMatcher('user="alice')).toThrow('matcher "user=\\"alice": the quoted value is not closed or has a bad escape');
    expect(() => parseMatcher('user="a\\q"')).toThrow(MatcherError);
    expect(() => parseMatcher("user='alice")).toThrow('the quoted value is not closed');
    expect(() => parseMatcher('user="a"b')).toThrow(MatcherError);
  });

  it('refuses an invalid regular expression', () => {
    expect(() => parseMatcher('alertname=~(idle')).toThrow('matcher "alertname=~(idle": "(idle" is not a valid regular expression');
    expect(() => parseMatcher('alertname!~[')).toThrow(MatcherError);
  });
});

describe('formatMatcher', () => {
  it('writes what parseMatcher reads back, quoting only when needed', () => {
    const cases: Array<[Matcher, string]> = [
      [m('user', 'alice'), 'user=alice'],
      [m('user', 'alice', false), 'user!=alice'],
      [m('alertname', 'idle-.*', true, true), 'alertname=~idle-.*'],
      [m('alertname', '\\d+', false, true), 'alertname!~\\d+'],
      [m('user', ''), 'user=""'],
      [m('comment', 'a b'), 'comment="a b"'],
      [m('x', 'a,b'), 'x="a,b"'],
      [m('x', '"q"'), 'x="\\"q\\""'],
      [m('user', 'h.baker@hertie-school.lan'), 'user=h.baker@hertie-school.lan'],
    ];
    for (const [matcher, text] of cases) {
      expect(formatMatcher(matcher)).toBe(text);
      expect(parseMatcher(text)).toEqual(matcher);
    }
  });
});

describe('matcherMatches', () => {
  const labels = { user: 'alice', host: 'ds01', empty: '' };

  it('compares equality and its negation', () => {
    expect(matcherMatches(m('user', 'alice'), labels)).toBe(true);
    expect(matcherMatches(m('user', 'bob'), labels)).toBe(false);
    expect(matcherMatches(m('user', 'alice', false), labels)).toBe(false);
    expect(matcherMatches(m('user', 'bob', false), labels)).toBe(true);
  });

  it('treats an absent label as the empty string', () => {
    expect(matcherMatches(m('gpu', ''), labels)).toBe(true);
    expect(matcherMatches(m('gpu', 'x', false), labels)).toBe(true);
    expect(matcherMatches(m('gpu', 'x'), labels)).toBe(false);
    expect(matcherMatches(m('empty', ''), labels)).toBe(true);
  });

  it('anchors regexes at both ends', () => {
    expect(matcherMatches(m('user', 'ali', true, true), labels)).toBe(false);
    expect(matcherMatches(m('user', 'ali.*', true, true), labels)).toBe(true);
    expect(matcherMatches(m('user', 'lic', true, true), labels)).toBe(false);
    expect(matcherMatches(m('user', 'bob|alice', true, true), labels)).toBe(true);
    expect(matcherMatches(m('user', 'x|alice|y', true, true), { user: 'xalicey' })).toBe(false);
    expect(matcherMatches(m('user', 'bob|carol', false, true), labels)).toBe(true);
    expect(matcherMatches(m('gpu', '.*', true, true), labels)).toBe(true);
    expect(matcherMatches(m('gpu', '.+', true, true), labels)).toBe(false);
  });

  it('never matches with an invalid regex, negative or not', () => {
    expect(matcherMatches(m('user', '(', true, true), labels)).toBe(false);
    expect(matcherMatches(m('user', '(', false, true), labels)).toBe(false);
  });

  it('reads only own labels, never inherited properties', () => {
    expect(matcherMatches(m('constructor', '', true), {})).toBe(true);
    expect(matcherMatches(m('toString', '.+', true, true), {})).toBe(false);
    const proto = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(matcherMatches(m('__proto__', 'x'), proto)).toBe(true);
  });
});

describe('matcherRegExp', () => {
  it('caches compiled patterns and returns null for invalid ones', () => {
    expect(matcherRegExp('a.c')).toBe(matcherRegExp('a.c'));
    expect(matcherRegExp('a.c')?.source).toBe('^(?:a.c)$');
    expect(matcherRegExp('[')).toBeNull();
  });
});

describe('matchersMatch', () => {
  it('needs every matcher to match; an empty list matches everything', () => {
    expect(matchersMatch([m('a', '1'), m('b', '2')], { a: '1', b: '2' })).toBe(true);
    expect(matchersMatch([m('a', '1'), m('b', '2')], { a: '1', b: '3' })).toBe(false);
    expect(matchersMatch([], { a: '1' })).toBe(true);
  });
});

describe('alertLabels', () => {
  it('adds alertname (the rule id) and severity, over labels of the same name', () => {
    const labels = alertLabels(alert({ labels: { host: 'ds01', alertname: 'spoofed', severity: 'info' }, severity: 'critical' }));
    expect({ ...labels }).toEqual({ host: 'ds01', alertname: 'idle-gpu-container', severity: 'critical' });
  });

  it('keeps __proto__ as a plain label', () => {
    const labels = alertLabels(alert({ labels: JSON.parse('{"__proto__":"p"}') as Record<string, string> }));
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('p');
  });
});

describe('silenceActiveAt and silenceMatches', () => {
  const s = silence(['user=alice', 'alertname=~idle-.*']);
  const labels = alertLabels(alert());

  it('is in force from startsAt (inclusive) to endsAt (exclusive)', () => {
    expect(silenceActiveAt(s, minute(-1))).toBe(false);
    expect(silenceActiveAt(s, minute(0))).toBe(true);
    expect(silenceActiveAt(s, minute(59))).toBe(true);
    expect(silenceActiveAt(s, minute(60))).toBe(false);
  });

  it('stops at expiredAt', () => {
    const expired = { ...s, expiredAt: minute(10).toISOString() };
    expect(silenceActiveAt(expired, minute(9))).toBe(true);
    expect(silenceActiveAt(expired, minute(10))).toBe(false);
  });

  it('compares instants, whatever the ISO spelling', () => {
    const offset = { ...s, startsAt: '2026-11-25T11:00:00+01:00', endsAt: '2026-11-25T10:30:00Z' };
    expect(silenceActiveAt(offset, minute(0))).toBe(true);
    expect(silenceActiveAt(offset, minute(30))).toBe(false);
  });

  it('is never in force with unreadable times', () => {
    expect(silenceActiveAt({ ...s, startsAt: 'soon' }, minute(1))).toBe(false);
    expect(silenceActiveAt({ ...s, endsAt: 'later' }, minute(1))).toBe(false);
  });

  it('matches when in force and every matcher matches', () => {
    expect(silenceMatches(s, labels, minute(1))).toBe(true);
    expect(silenceMatches(s, labels, minute(61))).toBe(false);
    expect(silenceMatches(s, { ...labels, user: 'bob' }, minute(1))).toBe(false);
    expect(silenceMatches(s, { ...labels, alertname: 'gpu-waste' }, minute(1))).toBe(false);
  });

  it('matches nothing without matchers', () => {
    expect(silenceMatches({ ...s, matchers: [] }, labels, minute(1))).toBe(false);
  });
});

describe('silencedBy', () => {
  it('returns the first silence that mutes the alert now', () => {
    const other = silence(['user=bob'], { id: 'other' });
    const ended = silence(['user=alice'], { id: 'ended', endsAt: minute(1).toISOString() });
    const byHost = silence(['host=ds01'], { id: 'by-host' });
    const byRule = silence(['alertname=idle-gpu-container', 'severity=warning'], { id: 'by-rule' });
    expect(silencedBy([other, ended, byHost, byRule], alert(), minute(5))?.id).toBe('by-host');
    expect(silencedBy([other, ended, byRule], alert(), minute(5))?.id).toBe('by-rule');
    expect(silencedBy([other, ended], alert(), minute(0))?.id).toBe('ended');
    expect(silencedBy([other, ended], alert(), minute(5))).toBeNull();
    expect(silencedBy([], alert(), minute(5))).toBeNull();
  });

  it('matches severity and negative matchers on the alert labels', () => {
    const notCritical = silence(['host=ds01', 'severity!=critical'], { id: 'nc' });
    expect(silencedBy([notCritical], alert({ severity: 'warning' }), minute(1))?.id).toBe('nc');
    expect(silencedBy([notCritical], alert({ severity: 'critical' }), minute(1))).toBeNull();
  });
});

describe('silencesToExpire', () => {
  const onResolve = (id: string, matchers: string[], overrides: Partial<Silence> = {}): Silence =>
    silence(matchers, { id, expireOnResolve: true, ...overrides });

  it('lists expire-on-resolve silences whose matched alerts are all resolved', () => {
    const alerts = [
      alert({ fingerprint: 'a', labels: { host: 'ds01', user: 'alice' }, state: 'resolved' }),
      alert({ fingerprint: 'b', labels: { host: 'ds01', user: 'bob' }, state: 'firing' }),
      alert({ fingerprint: 'c', labels: { host: 'ds02', user: 'alice' }, state: 'resolved' }),
    ];
    const silences = [
      onResolve('alice-done', ['user=alice']),
      onResolve('host-busy', ['host=ds01']),
      onResolve('nothing-matched', ['user=carol']),
      silence(['user=alice'], { id: 'not-on-resolve' }),
      onResolve('already-expired', ['user=alice'], { expiredAt: minute(1).toISOString() }),
      onResolve('no-matchers', []),
    ];
    expect(silencesToExpire(silences, alerts)).toEqual(['alice-done']);
  });

  it('counts a pending alert as not resolved', () => {
    const alerts = [alert({ state: 'pending' }), alert({ fingerprint: 'x', state: 'resolved' })];
    expect(silencesToExpire([onResolve('s', ['user=alice'])], alerts)).toEqual([]);
  });

  it('returns nothing without candidates or alerts', () => {
    expect(silencesToExpire([], [alert({ state: 'resolved' })])).toEqual([]);
    expect(silencesToExpire([onResolve('s', ['user=alice'])], [])).toEqual([]);
  });

  it('matches on alertname and severity too', () => {
    const alerts = [alert({ state: 'resolved' }), alert({ fingerprint: 'other-rule', rule: 'gpu-waste', state: 'firing' })];
    expect(silencesToExpire([onResolve('idle', ['alertname=idle-gpu-container'])], alerts)).toEqual(['idle']);
    expect(silencesToExpire([onResolve('all-warn', ['severity=warning'])], alerts)).toEqual([]);
  });
});
