import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'ABC', 0],
    ['abc', 'abd', 1],
    ['abc', 'acb', 1],
    ['greaterThen', 'greaterThan', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%j ↔ %j = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest / didYouMean', () => {
  const facts = ['idleMinutes', 'idleRatio', 'runtimeHours'];
  it('suggests the nearest candidate for a typo', () => {
    expect(closest('idleMinuts', facts)).toBe('idleMinutes');
    expect(didYouMean('idleratio', facts)).toBe(' (did you mean "idleRatio"?)');
  });
  it('suggests nothing when nothing is close', () => {
    expect(closest('temperature', facts)).toBeNull();
    expect(didYouMean('x', [])).toBe('');
  });
  it('allows more edits for longer names', () => {
    expect(closest('gpuEquivalentUsd', ['gpuEquivalentsUsed'])).toBe('gpuEquivalentsUsed');
    expect(closest('ab', ['xb'])).toBe('xb');
    expect(closest('gt', ['in'])).toBeNull();
    expect(closest('abcdef', ['abxyef'])).toBe('abxyef');
  });
  it('suggests the shortest candidate that starts with a name of 3 or more letters', () => {
    expect(closest('temp', ['temperatureC', 'tempX1234567'])).toBe('tempX1234567'.length < 'temperatureC'.length ? 'tempX1234567' : 'temperatureC');
    expect(closest('temp', ['temperatureC', 'index'])).toBe('temperatureC');
    expect(closest('te', ['temperatureC'])).toBeNull();
  });
});
