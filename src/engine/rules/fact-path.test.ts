import { describe, expect, it } from 'vitest';
import { parseFactPath, resolveFactPath, walkFactPath } from './fact-path.ts';

describe('fact paths', () => {
  it('splits simple dotted paths', () => {
    expect(parseFactPath('$')).toEqual([]);
    expect(parseFactPath('$.a')).toEqual(['a']);
    expect(parseFactPath('$.a.0.b')).toEqual(['a', '0', 'b']);
  });

  it('walks own properties of objects and arrays', () => {
    const v = { a: { b: [10, 20] } };
    expect(walkFactPath(v, ['a', 'b', '1'])).toBe(20);
    expect(walkFactPath(v, ['a', 'b', 'length'])).toBe(2);
    expect(walkFactPath(v, [])).toBe(v);
    expect(resolveFactPath(['x', 'y'], '$.0')).toBe('x');
  });

  it('gives undefined for a missing step, a step into a scalar, or an inherited property', () => {
    expect(walkFactPath({ a: 1 }, ['b'])).toBeUndefined();
    expect(walkFactPath({ a: 1 }, ['a', 'b'])).toBeUndefined();
    expect(walkFactPath({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(walkFactPath({}, ['constructor'])).toBeUndefined();
    expect(walkFactPath('abc', ['length'])).toBeUndefined();
  });
});
