import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from './suggest.ts';
import { limitsShape } from './schema.ts';

const LIMIT_KEYS = Object.keys(limitsShape);

describe('editDistance', () => {
  it('counts inserts, deletes and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('idle_timeout', 'idle_timeout_h')).toBe(2);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('memroy', 'memory')).toBe(1);
  });
});

describe('closestName', () => {
  it('finds the DS01 key behind common typos', () => {
    expect(closestName('max_gpu_equivelants', LIMIT_KEYS)).toBe('max_gpu_equivalents');
    expect(closestName('idle_timeout', LIMIT_KEYS)).toBe('idle_timeout_h');
    expect(closestName('max_runtime', LIMIT_KEYS)).toBe('max_runtime_h');
    expect(closestName('memroy', LIMIT_KEYS)).toBe('memory');
    expect(closestName('MAX_CPUS', LIMIT_KEYS)).toBe('max_cpus');
  });

  it('suggests nothing for unrelated names or an exact match', () => {
    expect(closestName('colour', LIMIT_KEYS)).toBeNull();
    expect(closestName('x', ['y', 'z'])).toBe('y');
    expect(closestName('abcdef', ['uvwxyz'])).toBeNull();
    expect(closestName('memory', ['memory'])).toBeNull();
  });

  it('prefers the nearest candidate, then the alphabetically first', () => {
    expect(closestName('abd', ['abc', 'abx', 'abdd'])).toBe('abc');
    expect(closestName('student', ['studnet', 'students'])).toBe('students');
  });
});

describe('didYouMean', () => {
  it('is a parenthesised hint or empty', () => {
    expect(didYouMean('researchr', ['student', 'researcher'])).toBe(' (did you mean researcher?)');
    expect(didYouMean('zzz', ['student'])).toBe('');
  });
});
