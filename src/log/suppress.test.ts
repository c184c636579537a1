import { describe, expect, it } from 'vitest';
import { createSuppressor } from './suppress.ts';

describe('createSuppressor', () => {
  it('lets one line per key through per window and reports how many were held back', () => {
    const s = createSuppressor({ windowMs: 10_000 });
    expect(s.decide('10.0.0.1', 0)).toEqual({ log: true, suppressed: 0 });
    for (let t = 1; t <= 500; t += 1) expect(s.decide('10.0.0.1', t)).toEqual({ log: false });
    expect(s.decide('10.0.0.2', 600)).toEqual({ log: true, suppressed: 0 });
    expect(s.decide('10.0.0.1', 9_999)).toEqual({ log: false });
    expect(s.decide('10.0.0.1', 10_000)).toEqual({ log: true, suppressed: 501 });
    expect(s.decide('10.0.0.1', 10_001)).toEqual({ log: false });
    expect(s.decide('10.0.0.1', 30_000)).toEqual({ log: true, suppressed: 1 });
  });

  it('a clock stepped backwards starts a new window instead of holding lines back forever', () => {
    const s = createSuppressor({ windowMs: 10_000 });
    s.decide('k', 50_000);
    expect(s.decide('k', 1_000)).toEqual({ log: true, suppressed: 0 });
  });

  it('remembers at most maxKeys keys: expired ones go first, then the oldest', () => {
    const s = createSuppressor({ windowMs: 100, maxKeys: 2 });
    s.decide('a', 0);
    s.decide('b', 50);
    s.decide('a', 60); // held
    s.decide('c', 120); // full: a (expired) goes, b (in its window) stays
    expect(s.decide('b', 121)).toEqual({ log: false });
    expect(s.decide('a', 122)).toEqual({ log: true, suppressed: 0 }); // a was forgotten, with its count; full again: b, the oldest, goes
    expect(s.decide('b', 123)).toEqual({ log: true, suppressed: 0 });
    expect(s.decide('a', 124)).toEqual({ log: false }); // a stays remembered: c, now the oldest, went
  });

  it('throws for a window or size that is not a positive whole number', () => {
    expect(() => createSuppressor({ windowMs: 0 })).toThrow(/windowMs must be a positive whole number, got 0/);
    expect(() => createSuppressor({ windowMs: 10, maxKeys: 1.5 })).toThrow(/maxKeys must be a positive whole number, got 1.5/);
  });
});
