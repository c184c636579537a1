import { describe, expect, it } from 'vitest';
import { BUILT_IN_VALUE_PATTERNS, compileRedactPatterns, maskPattern, RedactPatternError } from './redact-patterns.ts';

function maskAll(text: string, patterns: readonly RegExp[] = BUILT_IN_VALUE_PATTERNS): string {
  return patterns.reduce((t, p) => maskPattern(t, p).text, text);
}

describe('built-in value patterns', () => {
  it.each([
    ['hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', '***'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', '***'],
    ['sk-proj-abcdefghijklmnopqrstuvwx', '***'],
    ['xoxb-123456789012-abcdefghij', '***'],
    ['AKIAIOSFODNN7EXAMPLE', '***'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'Authorization: Bearer ***'],
  ])('masks %s', (input, expected) => {
    expect(maskAll(input)).toBe(expected);
  });

  it.each(['hf_hub', 'sk-learn', 'task-12', 'AKIA', 'Bearer', '--risk-free', 'ghp_short'])('leaves %s alone', (input) => {
    expect(maskAll(input)).toBe(input);
  });
});

describe('compileRedactPatterns', () => {
  it('masks group 1 when there is one, else the whole match', () => {
    const [sig, ticket] = compileRedactPatterns(['--sig=(\\S+)', 'TICKET-\\d{6}']);
    expect(maskPattern('--sig=abc123', sig ?? /x/g)).toEqual({ text: '--sig=***', masked: true });
    expect(maskPattern('see TICKET-123456 and TICKET-654321', ticket ?? /x/g).text).toBe('see *** and ***');
    expect(maskPattern('nothing here', ticket ?? /x/g)).toEqual({ text: 'nothing here', masked: false });
  });

  it('is idempotent: an already-masked value stays and counts as masked', () => {
    const [sig] = compileRedactPatterns(['--sig=(\\S+)']);
    expect(maskPattern('--sig=***', sig ?? /x/g)).toEqual({ text: '--sig=***', masked: true });
  });

  it('refuses invalid regexes and ones that match the empty string, naming the pattern', () => {
    expect(() => compileRedactPatterns(['(unclosed'])).toThrow(RedactPatternError);
    expect(() => compileRedactPatterns(['(unclosed'])).toThrow(/--redact "\(unclosed": not a valid regular expression/);
    expect(() => compileRedactPatterns(['x*'])).toThrow(/matches the empty string/);
    expect(() => compileRedactPatterns([''])).toThrow(/matches the empty string/);
  });
});

describe('maskPattern', () => {
  it('accepts a pattern compiled without the d flag and skips empty matches', () => {
    expect(maskPattern('id=7 id=8', /id=(\d)/g)).toEqual({ text: 'id=*** id=***', masked: true });
    expect(maskPattern('abc', /x*/g)).toEqual({ text: 'abc', masked: false });
  });

  it('masks only group 1 even when it repeats text found earlier in the match', () => {
    expect(maskPattern('k=k', /(?:k)=(k)/dg).text).toBe('k=***');
  });

  it('the cheap hint never hides a built-in match', () => {
    for (const sample of ['hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'xoxp-1234567890-abc', 'Basic dXNlcjpwYXNz']) {
      expect(BUILT_IN_VALUE_PATTERNS.some((p) => maskPattern(sample, p).masked)).toBe(true);
    }
  });
});
