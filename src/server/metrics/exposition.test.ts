import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatValue, renderExposition } from './exposition.ts';
import { parseExpositionStrictly } from './strict-parse.test-support.ts';

describe('exposition', () => {
  it('escapes label values and HELP text as format 0.0.4 says', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });

  it('writes NaN and infinities as the format spells them', () => {
    expect([NaN, Infinity, -Infinity, 1.5, 0].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '1.5', '0']);
  });

  it('refuses an invalid metric or label name', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: 'x', type: 'gauge', samples: [] }])).toThrow(/invalid metric name "bad-name"/);
    expect(() => renderExposition([{ name: 'ok', help: 'x', type: 'gauge', samples: [{ labels: { 'a-b': '1' }, value: 1 }] }])).toThrow(/invalid label name "a-b"/);
  });

  it('renders text the strict parser accepts, and that parser rejects a broken line', () => {
    const text = renderExposition([{ name: 'x_total', help: 'h', type: 'counter', samples: [{ labels: { a: 'b' }, value: 3 }] }]);
    expect(text).toBe('# HELP x_total h\n# TYPE x_total counter\nx_total{a="b"} 3\n');
    expect(parseExpositionStrictly(text)[0]?.metrics).toEqual([{ value: '3', labels: { a: 'b' } }]);
    expect(() => parseExpositionStrictly('# HELP x h\n# TYPE x gauge\nx{a="b} 1\n')).toThrow(/line 3/);
  });
});
