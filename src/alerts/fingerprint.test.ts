import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_MEMO_ENTRIES, fingerprint, identityText } from './fingerprint.ts';

describe('fingerprint', () => {
  it('ignores label order and is 16 hex digits', () => {
    const a = fingerprint('gpu-quota', { host: 'ds01', user: 'alice' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('gpu-quota', { user: 'alice', host: 'ds01' })).toBe(a);
  });

  it('differs by rule, label value and label name', () => {
    const base = fingerprint('gpu-quota', { host: 'ds01', user: 'alice' });
    expect(fingerprint('container-count', { host: 'ds01', user: 'alice' })).not.toBe(base);
    expect(fingerprint('gpu-quota', { host: 'ds01', user: 'bob' })).not.toBe(base);
    expect(fingerprint('gpu-quota', { host: 'ds01', owner: 'alice' })).not.toBe(base);
  });

  it('cannot be confused by separators inside values', () => {
    expect(identityText('r', { a: 'b,c=d' })).not.toBe(identityText('r', { a: 'b', c: 'd' }));
    expect(fingerprint('r', { a: 'b,c=d' })).not.toBe(fingerprint('r', { a: 'b', c: 'd' }));
  });

  it('is FNV-1a 64 of the identity text (stable across releases: stored alerts keep their identity)', () => {
    expect(identityText('gpu-quota', { user: 'alice', host: 'ds01' })).toBe('["gpu-quota",["host","ds01"],["user","alice"]]');
    // Oracle computed independently (Python) over the same text.
    expect(fingerprint('gpu-quota', { user: 'alice', host: 'ds01' })).toBe('de34286e9c5bbb1b');
  });

  it('equal inputs give equal outputs, different identity texts rarely collide', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), (rule, labels) => {
        const fp = fingerprint(rule, labels);
        const text = identityText(rule, labels);
        const other = seen.get(fp);
        if (other !== undefined) expect(other).toBe(text);
        seen.set(fp, text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fingerprint memo', () => {
  it('gives the same hash from the memo as computed, before and after the memo fills up and is emptied', () => {
    const golden = () => fingerprint('gpu-quota', { user: 'alice', host: 'ds01' });
    expect(golden()).toBe('de34286e9c5bbb1b');
    expect(golden()).toBe('de34286e9c5bbb1b');
    const first = fingerprint('r', { n: '0' });
    for (let i = 0; i < FINGERPRINT_MEMO_ENTRIES + 10; i++) fingerprint('r', { n: String(i) });
    expect(fingerprint('r', { n: '0' })).toBe(first);
    expect(golden()).toBe('de34286e9c5bbb1b');
    expect(fingerprint('r', { n: '1' })).not.toBe(first);
  });
});
