import { describe, expect, it } from 'vitest';
import type { TopLevelCondition } from './condition-schema.ts';
import { referenceMatches } from './reference.ts';

describe('referenceMatches', () => {
  it('runs json-rules-engine with undefined facts allowed', async () => {
    const rule = { conditions: { all: [{ fact: 'missing', operator: 'equal', value: 1 }] } as TopLevelCondition };
    await expect(referenceMatches(rule, {})).resolves.toBe(false);
  });

  it('uses the property-walk path resolver (jsonpath-plus syntax such as $[0] is not understood)', async () => {
    const walk = { conditions: { all: [{ fact: 'l', path: '$.0', operator: 'equal', value: 'x' }] } as TopLevelCondition };
    const jsonpath = { conditions: { all: [{ fact: 'l', path: '$[0]', operator: 'equal', value: 'x' }] } as TopLevelCondition };
    await expect(referenceMatches(walk, { l: ['x'] })).resolves.toBe(true);
    await expect(referenceMatches(jsonpath, { l: ['x'] })).resolves.toBe(false);
  });

  it('reuses one engine per rule object and leaves the rule untouched', async () => {
    const conditions: TopLevelCondition = { any: [{ fact: 'a', operator: 'greaterThan', value: 1 }] };
    const before = JSON.stringify(conditions);
    const rule = { conditions };
    expect(await referenceMatches(rule, { a: 2 })).toBe(true);
    expect(await referenceMatches(rule, { a: 0 })).toBe(false);
    expect(await referenceMatches(rule, { a: 3 })).toBe(true);
    expect(JSON.stringify(conditions)).toBe(before);
  });

  it('rejects where json-rules-engine throws', async () => {
    const rule = { conditions: { all: [{ fact: 'a', operator: 'in', value: 5 }] } as unknown as TopLevelCondition };
    await expect(referenceMatches(rule, { a: 1 })).rejects.toThrow(TypeError);
  });
});
