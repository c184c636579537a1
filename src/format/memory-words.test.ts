import { describe, expect, it } from 'vitest';
import { formatMiB } from './memory-words.ts';

describe('formatMiB', () => {
  it.each([
    [0, '0 MiB'],
    [512.4, '512 MiB'],
    [1023, '1023 MiB'],
    [1024, '1 GiB'],
    [7484, '7.31 GiB'],
    [81559, '79.6 GiB'],
    [1_048_576, '1024 GiB'],
    [null, 'unknown'],
    [Number.NaN, 'unknown'],
  ])('%s MiB → %s', (mib, text) => {
    expect(formatMiB(mib)).toBe(text);
  });
});
