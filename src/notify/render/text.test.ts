import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeSlack, formatTime, oneLine, plural, truncate, truncateEscaped } from './text.ts';

describe('render text helpers', () => {
  it('oneLine flattens line breaks and control characters', () => {
    expect(oneLine(' a\r\nb\u2028c\u0007  d ')).toBe('a b c d');
  });
  it('truncate counts UTF-16 units, never splits a surrogate pair and marks the cut', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('🙂🙂🙂🙂', 3)).toBe('🙂…');
    expect(truncate('🙂🙂🙂🙂', 4)).toBe('🙂…');
    expect(truncate('🙂🙂🙂🙂', 6)).toBe('🙂🙂…');
  });
  it('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
  it('escapeSlack defuses links, mentions and <!channel>', () => {
    expect(escapeSlack('<!channel> <@U123> <https://evil|click> & co')).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; &amp; co');
  });
  it('truncateEscaped does not leave half an entity', () => {
    expect(truncateEscaped('abc&amp;def', 6)).toBe('abc…');
    expect(truncateEscaped('abc', 6)).toBe('abc');
    expect(truncateEscaped('ab🙂cdef', 4)).toBe('ab…');
  });
  it('formatTime shows minutes in UTC, and unparsable input as is', () => {
    expect(formatTime('2026-11-25T17:17:49.467Z')).toBe('2026-11-25 17:17 UTC');
    expect(formatTime('2026-11-25T18:17:49+01:00')).toBe('2026-11-25 17:17 UTC');
    expect(formatTime('yesterday\n')).toBe('yesterday');
  });
  it('plural', () => {
    expect([plural(1, 'alert'), plural(2, 'alert'), plural(0, 'alert')]).toEqual(['1 alert', '2 alerts', '0 alerts']);
  });
});
