import { describe, expect, it } from 'vitest';
import { arrayFieldOf, asRecord, field, labelKeysOf, labelOf, stringFieldOf, stringOrNull } from './safe-access.ts';

describe('safe-access', () => {
  it('asRecord accepts plain objects only', () => {
    expect(asRecord({ a: 1 })).toEqual({ a: 1 });
    for (const v of [null, undefined, [], 'x', 1, true]) expect(asRecord(v)).toBeNull();
  });

  it('field reads own properties only', () => {
    expect(field({ a: 1 }, 'a')).toBe(1);
    expect(field({}, 'toString')).toBeUndefined();
    expect(field({}, '__proto__')).toBeUndefined();
    expect(field(null, 'a')).toBeUndefined();
  });

  it('labels: string values only, tolerant of junk', () => {
    const c = { labels: { a: 'x', b: 1, c: '' } };
    expect(labelOf(c, 'a')).toBe('x');
    expect(labelOf(c, 'b')).toBeNull();
    expect(labelOf(c, 'c')).toBe('');
    expect(labelOf(c, 'constructor')).toBeNull();
    expect(labelKeysOf(c)).toEqual(['a', 'c']);
    expect(labelKeysOf({ labels: ['a'] })).toEqual([]);
    expect(labelOf(undefined, 'a')).toBeNull();
  });

  it('typed field helpers', () => {
    expect(stringOrNull('x')).toBe('x');
    expect(stringOrNull(1)).toBeNull();
    expect(stringFieldOf({ name: 'n' }, 'name')).toBe('n');
    expect(stringFieldOf({ name: 5 }, 'name')).toBeNull();
    expect(arrayFieldOf({ m: [1] }, 'm')).toEqual([1]);
    expect(arrayFieldOf({ m: 'x' }, 'm')).toEqual([]);
  });
});
