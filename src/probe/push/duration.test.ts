import { describe, expect, it } from 'vitest';
import { parseIntervalMs } from './duration.ts';

describe('parseIntervalMs', () => {
  it('reads the shared duration grammar, compound units included', () => {
    expect(parseIntervalMs('500ms')).toBe(500);
    expect(parseIntervalMs('30s')).toBe(30_000);
    expect(parseIntervalMs('1m30s')).toBe(90_000);
    expect(parseIntervalMs('1d')).toBe(86_400_000);
  });

  it('refuses zero, a bare number and a fraction, saying what was meant', () => {
    expect(() => parseIntervalMs('0s')).toThrow('not a positive duration');
    expect(() => parseIntervalMs('30')).toThrow('a unit is required (30s?)');
    expect(() => parseIntervalMs('1.5s')).toThrow('fractions are not allowed (1s500ms?)');
  });
});
