import { describe, expect, it } from 'vitest';
import { createHistogram } from './histogram.ts';

describe('createHistogram', () => {
  it('counts cumulatively per upper bound, a value on a bound in that bucket, and ignores negative or non-finite values', () => {
    const h = createHistogram([1, 2]);
    [0.5, 1, 1.5, 9, -1, NaN, Infinity].forEach((v) => h.observe(v));
    expect(h.counts()).toEqual({ buckets: [{ le: 1, count: 2 }, { le: 2, count: 3 }, { le: Infinity, count: 4 }], sum: 12, count: 4 });
  });

  it('refuses bounds that do not ascend', () => {
    expect(() => createHistogram([1, 1])).toThrow('histogram bounds must ascend, got 1, 1');
  });
});
