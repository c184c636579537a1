import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkConditions } from './check-conditions.ts';
import { OPERATORS, topLevelConditionSchema } from './condition-schema.ts';

const ctx = { scope: 'container', facts: null };

// Condition-like JSON: mostly well-formed, with the usual mistakes mixed in.
const jsonValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 5 }), fc.constantFrom('a', '', 'x:y'), fc.constant([1, 'a']), fc.constant({}));
const leafLike = fc.record(
  {
    fact: fc.oneof({ arbitrary: fc.constantFrom('a', 'b'), weight: 5 }, { arbitrary: jsonValue, weight: 1 }),
    operator: fc.oneof({ arbitrary: fc.constantFrom(...OPERATORS), weight: 5 }, { arbitrary: fc.constantFrom('gt', 'not:equal', 1), weight: 1 }),
    value: fc.oneof(jsonValue, fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 2 })), { maxLength: 3 }), fc.record({ fact: fc.constantFrom('a', 'b', '') }, { requiredKeys: [] })),
    path: fc.constantFrom('$', '$.a', '$[0]', 3),
    params: fc.oneof(fc.constant({ x: 1 }), fc.constant(1)),
    priority: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 1.5, '1')),
    name: fc.oneof(fc.constant('n'), fc.constant(1)),
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);
const { node } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leafLike, weight: 4 },
    { arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((all) => ({ all })), weight: 2 },
    { arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((any) => ({ any })), weight: 2 },
    { arbitrary: tie('node').map((not) => ({ not })), weight: 1 },
    { arbitrary: fc.constantFrom({ condition: 'c' }, { all: [], any: [] }, { not: [] }, { all: {} }, 'x', null), weight: 1 },
  ),
}));
const root = fc.oneof(
  fc.array(node, { maxLength: 3 }).map((all) => ({ all })),
  fc.array(node, { maxLength: 3 }).map((any) => ({ any })),
  node.map((not) => ({ not })),
  node,
);

describe('checkConditions', () => {
  it('accepts a well-formed tree', () => {
    const tree = {
      any: [
        { all: [{ fact: 'a', operator: 'equal', value: 1 }, { not: { fact: 'b', operator: 'in', value: ['x'] } }], priority: 2, name: 'both' },
        { fact: 'a', operator: 'greaterThan', value: { fact: 'b', path: '$.length' }, priority: 1 },
        { fact: 'l', operator: 'contains', value: 'x', params: {} },
      ],
    };
    expect(checkConditions(tree, '$.conditions', ctx)).toEqual([]);
  });

  it('checks fact names only when the scope has a catalogue', () => {
    const tree = { all: [{ fact: 'idel', operator: 'equal', value: 1 }] };
    expect(checkConditions(tree, '$', ctx)).toEqual([]);
    expect(checkConditions(tree, '$', { scope: 'gpu', facts: ['idle'] })).toEqual([
      { jsonPath: '$.all[0].fact', message: 'unknown fact "idel" for scope gpu (did you mean "idle"?)' },
    ]);
  });

  it('keeps checking siblings after a problem', () => {
    const tree = { all: [{ fact: 'a', operator: 'x', value: 1 }, { fact: 'a', operator: 'equal' }, { condition: 'c' }] };
    expect(checkConditions(tree, '$', ctx).map((p) => p.jsonPath)).toEqual(['$.all[0].operator', '$.all[1].value', '$.all[2].condition']);
  });

  it('is at least as strict as the zod condition schema (so its precise messages replace zod\'s)', () => {
    let rejectedByZod = 0;
    fc.assert(
      fc.property(root, (tree) => {
        const problems = checkConditions(tree, '$', ctx);
        const zodOk = topLevelConditionSchema.safeParse(tree).success;
        if (!zodOk) {
          rejectedByZod++;
          expect(problems.length).toBeGreaterThan(0);
        }
        for (const p of problems) expect(p.jsonPath.startsWith('$')).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(rejectedByZod).toBeGreaterThan(100);
  });

  it('accepts nothing zod rejects and everything zod accepts except the documented extra checks', () => {
    // Extra checks beyond zod: value types per operator (in/notIn lists, numeric numbers, no list for equal/contains).
    const extra = /needs a|never matches|takes one value/;
    fc.assert(
      fc.property(root, (tree) => {
        const problems = checkConditions(tree, '$', ctx);
        if (topLevelConditionSchema.safeParse(tree).success) expect(problems.filter((p) => !extra.test(p.message))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
