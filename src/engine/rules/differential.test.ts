import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkConditions } from './check-conditions.ts';
import { compileConditions, type FactMap } from './compile.ts';
import { OPERATORS, type ConditionValue, type NestedCondition, type Scalar, type TopLevelCondition } from './condition-schema.ts';
import { referenceMatches } from './reference.ts';

// Fact names include Object.prototype properties, which a plain-object fact map would otherwise leak.
const FACT_NAMES = ['a', 'b', 'c', 'n', 'list', 'toString', 'constructor'] as const;
const PATHS = ['$', '$.0', '$.1', '$.length', '$.x'] as const;

const numericString = fc.constantFrom('5', '5.5', ' 5', '5abc', '-0', '1e3', '0x10', 'Infinity', '-Infinity', 'NaN', '', 'abc', '.5', '5.');
// Small numbers near the awkward fact values make comparisons with null, booleans, '' and [] decisive.
const boundary = fc.constantFrom(-1, -0.5, 0, -0, 0.5, 0.8, 1, 5, 100);
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  boundary,
  fc.integer({ min: -3, max: 10 }),
  fc.double({ noDefaultInfinity: false }),
  numericString,
  fc.string({ maxLength: 3 }),
);
const factValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalar, weight: 6 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), weight: 1 },
  { arbitrary: fc.array(fc.oneof(numericString, fc.constantFrom('x', 'y', 'gpu-0')), { maxLength: 3 }), weight: 2 },
);
const ABSENT = Symbol('absent');
// Each fact is present four times out of five (a present key may still hold undefined).
const factMap: fc.Arbitrary<FactMap> = fc
  .tuple(...FACT_NAMES.map(() => fc.oneof({ arbitrary: factValue, weight: 4 }, { arbitrary: fc.constant(ABSENT), weight: 1 })))
  .map((values) => {
    const facts: Record<string, unknown> = {};
    values.forEach((v, i) => {
      if (v !== ABSENT) facts[FACT_NAMES[i] as string] = v;
    });
    return facts as FactMap;
  });

const factRef = fc.record(
  { fact: fc.constantFrom(...FACT_NAMES), path: fc.constantFrom(...PATHS), params: fc.constant({ p: 1 }) },
  { requiredKeys: ['fact'] },
);
const value: fc.Arbitrary<ConditionValue> = fc.oneof(
  { arbitrary: scalar, weight: 4 },
  { arbitrary: fc.array(scalar, { maxLength: 4 }), weight: 2 },
  { arbitrary: factRef, weight: 2 },
);
const leaf: fc.Arbitrary<NestedCondition> = fc.record(
  {
    fact: fc.constantFrom(...FACT_NAMES),
    operator: fc.constantFrom(...OPERATORS),
    value,
    path: fc.constantFrom(...PATHS),
    priority: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['fact', 'operator', 'value'] },
);

const { tree } = fc.letrec<{ tree: NestedCondition; node: NestedCondition }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((all): NestedCondition => ({ all })), weight: 2 },
    { arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((any): NestedCondition => ({ any })), weight: 2 },
    { arbitrary: tie('node').map((not): NestedCondition => ({ not })), weight: 1 },
  ),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('tree')),
}));
const topLevel = tree as fc.Arbitrary<TopLevelCondition>;

async function reference(conditions: TopLevelCondition, facts: FactMap): Promise<boolean | 'threw'> {
  try {
    return await referenceMatches({ conditions }, facts);
  } catch {
    return 'threw';
  }
}

function compiled(conditions: TopLevelCondition, facts: FactMap): boolean | 'threw' {
  try {
    return compileConditions(conditions)(facts);
  } catch {
    return 'threw';
  }
}

/**
 * Only `in` / `notIn` against a value without indexOf can throw (in either implementation), and the loader
 * refuses every such value. Which side throws may differ: json-rules-engine evaluates all conditions of a
 * priority group before combining them, the compiled predicate stops at the first decisive one.
 */
function loaderRejectsThrowingValue(conditions: TopLevelCondition): boolean {
  return checkConditions(conditions, '$', { scope: 'x', facts: null }).some((p) => /^(in|notIn) needs a (literal )?list/.test(p.message));
}

describe('compiled conditions ≡ json-rules-engine (differential)', () => {
  it('agree on generated conditions and fact maps', async () => {
    let threw = 0;
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(topLevel, factMap, async (conditions, facts) => {
        const expected = await reference(conditions, facts);
        const actual = compiled(conditions, facts);
        if (expected === 'threw' || actual === 'threw') {
          threw++;
          expect(loaderRejectsThrowingValue(conditions)).toBe(true);
          return;
        }
        if (expected) matched++;
        expect(actual).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(matched).toBeGreaterThan(100);
    expect(threw).toBeLessThan(1500 / 2);
  });

  it('agree on single leaves over every operator and awkward fact value', async () => {
    await fc.assert(
      fc.asyncProperty(leaf, factMap, async (l, facts) => {
        const conditions: TopLevelCondition = { all: [l] };
        const expected = await reference(conditions, facts);
        const actual = compiled(conditions, facts);
        // A single leaf has no evaluation order: both throw or neither does.
        expect(actual === 'threw').toBe(expected === 'threw');
        if (expected === 'threw') expect(loaderRejectsThrowingValue(conditions)).toBe(true);
        else expect(actual).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('agree on every operator × awkward fact value × literal value (exhaustive matrix)', async () => {
    const facts: unknown[] = [undefined, null, true, false, 0, -0, 1, 0.8, -1, 5, 100, Number.NaN, Number.POSITIVE_INFINITY, '', '5', ' 5', '5abc', 'abc', '1e3', 'Infinity', 'x', [], ['5'], ['5', '6'], ['x', 'y']];
    const values: Scalar[] = [null, true, false, 0, 1, 0.8, -1, 5, '', '5', 'x', 'abc'];
    const lists: Scalar[][] = [[], ['x', 'y'], [5, '5'], [null], [true, 0]];
    let compared = 0;
    let matched = 0;
    for (const operator of OPERATORS) {
      const literals: ConditionValue[] = operator === 'in' || operator === 'notIn' ? lists : [...values, ...lists];
      for (const a of facts) {
        for (const value of literals) {
          for (const path of [undefined, '$.0', '$.length']) {
            const conditions: TopLevelCondition = { all: [{ fact: 'a', operator, value, ...(path === undefined ? {} : { path }) }] };
            const f = { a } as FactMap;
            const expected = await reference(conditions, f);
            expect(expected, JSON.stringify({ operator, a, value, path })).not.toBe('threw');
            expect(compiled(conditions, f), JSON.stringify({ operator, a, value, path })).toBe(expected);
            compared++;
            if (expected === true) matched++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
    expect(matched).toBeGreaterThan(compared / 10);
  });

  it('conditions the loader accepts never make json-rules-engine throw', async () => {
    const accepted = topLevel.filter((c) => checkConditions(c, '$', { scope: 'x', facts: null }).length === 0);
    await fc.assert(
      fc.asyncProperty(accepted, factMap, async (conditions, facts) => {
        const expected = await reference(conditions, facts);
        expect(expected).not.toBe('threw');
        expect(compiled(conditions, facts)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
