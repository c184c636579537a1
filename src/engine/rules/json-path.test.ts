import { describe, expect, it } from 'vitest';
import { appendJsonPath, isJsonObject, jsonPathOf, jsonTypeOf } from './json-path.ts';

describe('json paths', () => {
  it('appends keys and indices', () => {
    expect(appendJsonPath('$', 'conditions')).toBe('$.conditions');
    expect(appendJsonPath('$.all', 2)).toBe('$.all[2]');
    expect(appendJsonPath('$', 'a b')).toBe('$["a b"]');
    expect(appendJsonPath('$', '$schema')).toBe('$.$schema');
    expect(appendJsonPath('$', '2x')).toBe('$["2x"]');
  });
  it('joins a zod path', () => {
    expect(jsonPathOf('$[1]', ['conditions', 'all', 2, 'operator'])).toBe('$[1].conditions.all[2].operator');
    expect(jsonPathOf('$', [])).toBe('$');
  });
  it('names JSON types', () => {
    expect([null, [], {}, 'x', 1, true, undefined].map(jsonTypeOf)).toEqual(['null', 'array', 'object', 'string', 'number', 'boolean', 'undefined']);
    expect([null, [], {}, 'x'].map(isJsonObject)).toEqual([false, false, true, false]);
  });
});
