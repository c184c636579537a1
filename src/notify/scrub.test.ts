import { describe, expect, it } from 'vitest';
import { base64Utf8, oneLineExcerpt, scrubSecrets } from './scrub.ts';

describe('scrubSecrets', () => {
  it('removes a secret in every form a library may print it', () => {
    const pass = 'pä ss/wörd';
    const text = [pass, encodeURIComponent(pass), JSON.stringify(pass), base64Utf8(pass)].join(' | ');
    const out = scrubSecrets(text, [pass]);
    expect(out).not.toContain('ss/w');
    expect(out).not.toContain(encodeURIComponent(pass));
    expect(out).not.toContain(base64Utf8(pass));
    expect(out.split('[redacted]').length).toBe(5);
  });

  it('redacts any URL and any Slack webhook path, listed or not', () => {
    expect(scrubSecrets('POST https://hooks.slack.com/services/T1/B2/abc failed', [])).toBe('POST [redacted] failed');
    expect(scrubSecrets('path /services/T1/B2/abc unknown', [])).toBe('path [redacted] unknown');
    expect(scrubSecrets('smtp://user:pw@mail.example.org:25 refused', [])).toBe('[redacted] refused');
  });

  it('ignores empty secrets and leaves other text alone', () => {
    expect(scrubSecrets('HTTP 404 no_service', ['', 'zzz'])).toBe('HTTP 404 no_service');
  });

  it('base64Utf8 matches Buffer', () => {
    for (const s of ['', 'a', '\u0000user\u0000pässword', '🙂']) expect(base64Utf8(s)).toBe(Buffer.from(s, 'utf8').toString('base64'));
  });
});

describe('oneLineExcerpt', () => {
  it('flattens control characters and cuts long text', () => {
    expect(oneLineExcerpt('a\r\nb\tc\u0000d', 100)).toBe('a b c d');
    expect(oneLineExcerpt('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
