import { describe, expect, it } from 'vitest';
import { formatMatcher, formatMatchers, matcherMatches, parseMatcher } from './matcher.ts';
import type { Matcher } from './types.ts';

function ok(text: string): Matcher {
  const r = parseMatcher(text);
  if (!r.ok) throw new Error(r.message);
  return r.matcher;
}

function error(text: string): string {
  const r = parseMatcher(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return r.message;
}

describe('parseMatcher', () => {
  it.each([
    ['severity=critical', 'severity', '=', 'critical'],
    ['severity="critical"', 'severity', '=', 'critical'],
    [' host != ds01 ', 'host', '!=', 'ds01'],
    ['alertname=~"gpu-.*"', 'alertname', '=~', 'gpu-.*'],
    ['alertname!~gpu-.*', 'alertname', '!~', 'gpu-.*'],
    ['user=', 'user', '=', ''],
    ['user=""', 'user', '=', ''],
    ['summary="a \\"quoted\\" word"', 'summary', '=', 'a "quoted" word'],
    ['gpu=MIG-0000=1', 'gpu', '=', 'MIG-0000=1'],
    ['user=h.baker@hertie-school.lan', 'user', '=', 'h.baker@hertie-school.lan'],
  ])('%s', (text, name, op, value) => {
    expect(ok(text)).toMatchObject({ name, op, value });
  });

  it('compiles regexes anchored at both ends, and only for =~ / !~', () => {
    expect(ok('a=~"b|c"').regex?.source).toBe('^(?:b|c)$');
    expect(ok('a=b.c').regex).toBeNull();
  });

  it.each([
    ['severity', '"severity" is not a matcher: write name=value, name!=value, name=~regex or name!~regex'],
    ['=critical', '"=critical" is not a matcher: write name=value, name!=value, name=~regex or name!~regex'],
    ['severity==critical', '"severity==critical" is not a matcher: use a single "=" (or "=~" for a regex); write name=value, name!=value, name=~regex or name!~regex'],
    ['1abc=x', '"1abc" is not a label name (letters, digits, _; not starting with a digit)'],
    ['host-name=x', '"host-name" is not a label name (letters, digits, _; not starting with a digit)'],
    ['a="b', 'unbalanced quotes in "\\"b"'],
    ['a=b"', 'unbalanced quotes in "b\\""'],
    ['a="b\\q"', 'invalid quoted value "b\\q" (escape " and \\ with a backslash)'],
    ['a=~"(b"', 'invalid regex "(b": Unterminated group'],
    ['a=~[', 'invalid regex "[": Unterminated character class'],
  ])('rejects %s', (text, message) => {
    expect(error(text)).toBe(message);
  });
});

describe('matcherMatches', () => {
  const labels = { alertname: 'gpu-temperature', severity: 'critical', host: 'ds01' };

  it.each([
    ['severity=critical', true],
    ['severity=warning', false],
    ['severity!=warning', true],
    ['severity!=critical', false],
    ['alertname=~"gpu-.*"', true],
    ['alertname=~"gpu"', false],
    ['alertname=~"temperature"', false],
    ['alertname!~"gpu-.*"', false],
    ['alertname!~"capacity-.*"', true],
    ['user=""', true],
    ['user!=""', false],
    ['user=~".*"', true],
    ['user=~".+"', false],
    ['toString=""', true],
  ])('%s → %s', (text, expected) => {
    expect(matcherMatches(ok(text), labels)).toBe(expected);
  });
});

describe('formatMatcher(s)', () => {
  it('prints what Alertmanager prints, and parses back to the same matcher', () => {
    const texts = ['severity=critical', 'host!="ds 01"', 'alertname=~"gpu-(a|b)"', 'x!~"\\\\d+"'];
    for (const t of texts) {
      const m = ok(t);
      expect(ok(formatMatcher(m))).toEqual(m);
    }
    expect(formatMatchers(texts.slice(0, 2).map(ok))).toBe('{severity="critical", host!="ds 01"}');
    expect(formatMatchers([])).toBe('{}');
  });
});
