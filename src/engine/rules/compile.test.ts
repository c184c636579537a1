import { describe, expect, it } from 'vitest';
import { compileConditions, compileRule, compileRules, RuleCompileError, type FactMap } from './compile.ts';
import type { NestedCondition, TopLevelCondition } from './condition-schema.ts';
import { referenceMatches } from './reference.ts';
import type { Rule } from './rule-schema.ts';

const shared = ['gpu-a', 'gpu-b'];

/** Tricky json-rules-engine semantics: each case is checked against json-rules-engine AND the compiled predicate. */
const CASES: [name: string, conditions: TopLevelCondition, facts: FactMap, expected: boolean][] = [
  ['empty all is true', { all: [] }, {}, true],
  ['empty any is TRUE in json-rules-engine 7 (prioritizeAndRun resolves true for [])', { any: [] }, {}, true],
  ['nested empty any is true', { all: [{ any: [] }] }, {}, true],
  ['not of empty all is false', { not: { all: [] } }, {}, false],
  ['not of empty any is false', { not: { any: [] } }, {}, false],
  ['not of a leaf', { not: { fact: 'a', operator: 'equal', value: 1 } }, { a: 2 }, true],
  ['any with one true', { any: [{ fact: 'a', operator: 'equal', value: 1 }, { fact: 'a', operator: 'equal', value: 2 }] }, { a: 2 }, true],
  ['all with one false', { all: [{ fact: 'a', operator: 'equal', value: 1 }, { fact: 'b', operator: 'equal', value: 2 }] }, { a: 1, b: 3 }, false],
  ['three-way all', { all: [{ fact: 'a', operator: 'equal', value: 1 }, { fact: 'b', operator: 'equal', value: 2 }, { fact: 'c', operator: 'equal', value: 3 }] }, { a: 1, b: 2, c: 3 }, true],
  ['three-way any, none true', { any: [{ fact: 'a', operator: 'equal', value: 9 }, { fact: 'b', operator: 'equal', value: 9 }, { fact: 'c', operator: 'equal', value: 9 }] }, { a: 1, b: 2, c: 3 }, false],
  ['equal is strict: "5" is not 5', { all: [{ fact: 'a', operator: 'equal', value: 5 }] }, { a: '5' }, false],
  ['equal: -0 equals 0', { all: [{ fact: 'a', operator: 'equal', value: 0 }] }, { a: -0 }, true],
  ['equal: NaN never equals NaN', { all: [{ fact: 'a', operator: 'equal', value: { fact: 'a' } }] }, { a: Number.NaN }, false],
  ['equal: a list fact equals itself by reference', { all: [{ fact: 'a', operator: 'equal', value: { fact: 'a' } }] }, { a: shared }, true],
  ['equal: two equal lists are not ===', { all: [{ fact: 'a', operator: 'equal', value: { fact: 'b' } }] }, { a: ['x'], b: ['x'] }, false],
  ['undefined fact is not equal to null', { all: [{ fact: 'missing', operator: 'equal', value: null }] }, {}, false],
  ['notEqual on a missing fact MATCHES (undefined !== 5)', { all: [{ fact: 'missing', operator: 'notEqual', value: 5 }] }, {}, true],
  ['notEqual null on a null fact', { all: [{ fact: 'a', operator: 'notEqual', value: null }] }, { a: null }, false],
  ['a present key holding undefined reads as undefined', { all: [{ fact: 'a', operator: 'notEqual', value: null }] }, { a: undefined }, true],
  ['numeric string passes the validator and compares by coercion', { all: [{ fact: 'a', operator: 'greaterThan', value: 3 }] }, { a: '5' }, true],
  ['"5abc": parseFloat says 5, but "5abc" < 10 is false', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: '5abc' }, false],
  ['" 5" passes and coerces to 5', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: ' 5' }, true],
  ['"abc" fails the validator', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: 'abc' }, false],
  ['"" fails the validator (although "" < 10)', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: '' }, false],
  ['"Infinity" passes the validator', { all: [{ fact: 'a', operator: 'greaterThan', value: 10 }] }, { a: 'Infinity' }, true],
  ['null fails the validator (although null < 10)', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: null }, false],
  ['true fails the validator (although true < 10)', { all: [{ fact: 'a', operator: 'lessThan', value: 10 }] }, { a: true }, false],
  ['undefined fails the validator', { all: [{ fact: 'missing', operator: 'lessThanInclusive', value: 10 }] }, {}, false],
  ['NaN fails the validator', { all: [{ fact: 'a', operator: 'greaterThanInclusive', value: 0 }] }, { a: Number.NaN }, false],
  ['["5"] passes the validator and compares as "5"', { all: [{ fact: 'a', operator: 'greaterThan', value: 1 }] }, { a: ['5'] }, true],
  ['["5", "6"] compares as "5,6" → NaN → false', { all: [{ fact: 'a', operator: 'greaterThan', value: 1 }] }, { a: ['5', '6'] }, false],
  ['Infinity > any number', { all: [{ fact: 'a', operator: 'greaterThan', value: 1e308 }] }, { a: Number.POSITIVE_INFINITY }, true],
  ['inclusive bound', { all: [{ fact: 'a', operator: 'greaterThanInclusive', value: 0.8 }] }, { a: 0.8 }, true],
  ['exclusive bound', { all: [{ fact: 'a', operator: 'greaterThan', value: 0.8 }] }, { a: 0.8 }, false],
  ['numeric value may be a fact', { all: [{ fact: 'a', operator: 'greaterThan', value: { fact: 'b' } }] }, { a: 5, b: 3 }, true],
  ['against a missing fact: 5 > undefined is false', { all: [{ fact: 'a', operator: 'greaterThan', value: { fact: 'b' } }] }, { a: 5 }, false],
  ['against a null fact: 5 > null is TRUE', { all: [{ fact: 'a', operator: 'greaterThan', value: { fact: 'b' } }] }, { a: 5, b: null }, true],
  ['in a list', { all: [{ fact: 'a', operator: 'in', value: ['x', 'y'] }] }, { a: 'y' }, true],
  ['in is strict: 1 is not in ["1"]', { all: [{ fact: 'a', operator: 'in', value: ['1'] }] }, { a: 1 }, false],
  ['undefined is not in a list', { all: [{ fact: 'missing', operator: 'in', value: ['x', null] }] }, {}, false],
  ['null is in [null]', { all: [{ fact: 'a', operator: 'in', value: [null] }] }, { a: null }, true],
  ['notIn on a missing fact matches', { all: [{ fact: 'missing', operator: 'notIn', value: ['x'] }] }, {}, true],
  ['in with a string value is a substring search', { all: [{ fact: 'a', operator: 'in', value: 'abc' as unknown as string[] }] }, { a: 'b' }, true],
  ['in with a list fact as value', { all: [{ fact: 'a', operator: 'in', value: { fact: 'b' } }] }, { a: 'x', b: ['x'] }, true],
  ['contains needs a list fact: a string fact never contains', { all: [{ fact: 'a', operator: 'contains', value: 'b' }] }, { a: 'abc' }, false],
  ['contains on a list fact', { all: [{ fact: 'a', operator: 'contains', value: 'b' }] }, { a: ['a', 'b'] }, true],
  ['doesNotContain on a null fact is FALSE (validator)', { all: [{ fact: 'a', operator: 'doesNotContain', value: 'b' }] }, { a: null }, false],
  ['doesNotContain on a missing fact is false', { all: [{ fact: 'missing', operator: 'doesNotContain', value: 'b' }] }, {}, false],
  ['doesNotContain on a list without it', { all: [{ fact: 'a', operator: 'doesNotContain', value: 'z' }] }, { a: ['a'] }, true],
  ['contains with a fact reference', { all: [{ fact: 'a', operator: 'contains', value: { fact: 'b' } }] }, { a: ['gpu-1'], b: 'gpu-1' }, true],
  ['path into a list fact', { all: [{ fact: 'a', path: '$.1', operator: 'equal', value: 'y' }] }, { a: ['x', 'y'] }, true],
  ['path length of a list fact', { all: [{ fact: 'a', path: '$.length', operator: 'greaterThan', value: 1 }] }, { a: ['x', 'y'] }, true],
  ['path on a scalar returns the scalar itself', { all: [{ fact: 'a', path: '$.x', operator: 'equal', value: 5 }] }, { a: 5 }, true],
  ['path on null returns null', { all: [{ fact: 'a', path: '$.x', operator: 'equal', value: null }] }, { a: null }, true],
  ['path "$" is the value', { all: [{ fact: 'a', path: '$', operator: 'equal', value: { fact: 'a' } }] }, { a: shared }, true],
  ['path on a value fact reference', { all: [{ fact: 'a', operator: 'equal', value: { fact: 'b', path: '$.0' } }] }, { a: 'x', b: ['x'] }, true],
  ['empty path means no path', { all: [{ fact: 'a', path: '', operator: 'equal', value: { fact: 'a' } }] }, { a: shared }, true],
  ['a fact named like an Object.prototype property is undefined when absent', { all: [{ fact: 'toString', operator: 'notEqual', value: null }] }, {}, true],
  ['…and undefined is not a number', { all: [{ fact: 'constructor', operator: 'lessThan', value: 1 }] }, {}, false],
  ['…but read when present', { all: [{ fact: 'toString', operator: 'equal', value: 'x' }] }, { toString: 'x' }, true],
  ['priorities change nothing', { any: [{ fact: 'a', operator: 'equal', value: 1, priority: 1 }, { fact: 'a', operator: 'equal', value: 2, priority: 9 }] }, { a: 1 }, true],
  ['params are ignored for constant facts', { all: [{ fact: 'a', operator: 'equal', value: 1, params: { x: 1 } }] }, { a: 1 }, true],
  ['deep nesting', { not: { any: [{ all: [{ not: { fact: 'a', operator: 'in', value: [1, 2] } }] }, { fact: 'b', operator: 'contains', value: 'q' }] } }, { a: 3, b: ['z'] }, false],
];

describe('compileConditions (fixed cases, checked against json-rules-engine too)', () => {
  it.each(CASES)('%s', async (_name, conditions, facts, expected) => {
    expect(await referenceMatches({ conditions }, facts)).toBe(expected);
    expect(compileConditions(conditions)(facts)).toBe(expected);
  });

  it('follows json-rules-engine precedence any > all > not on a malformed node', async () => {
    const conditions = { all: [{ fact: 'a', operator: 'equal', value: 1 }], any: [] } as unknown as TopLevelCondition;
    const expected = await referenceMatches({ conditions }, { a: 2 });
    expect(expected).toBe(true);
    expect(compileConditions(conditions)({ a: 2 })).toBe(expected);
  });

  it('throws as json-rules-engine does for in with a value that has no indexOf', async () => {
    const conditions: TopLevelCondition = { all: [{ fact: 'a', operator: 'in', value: { fact: 'b' } }] };
    await expect(referenceMatches({ conditions }, { a: 'x', b: null })).rejects.toThrow(TypeError);
    expect(() => compileConditions(conditions)({ a: 'x', b: null })).toThrow(TypeError);
  });

  it('rejects what it cannot compile', () => {
    expect(() => compileConditions({ all: [{ condition: 'x' } as unknown as NestedCondition] })).toThrow(RuleCompileError);
    expect(() => compileConditions({ all: [{ fact: 'a', operator: 'startsWith', value: 1 } as unknown as NestedCondition] })).toThrow(
      'Unknown operator: startsWith',
    );
    expect(() => compileConditions({ all: [{ value: 1 } as unknown as NestedCondition] })).toThrow('a condition needs all, any, not or fact');
  });

  it('compiles once and evaluates many fact maps', () => {
    const p = compileConditions({ all: [{ fact: 'a', operator: 'greaterThan', value: 1 }] });
    expect([0, 1, 2, '3', null].map((a) => p({ a }))).toEqual([false, false, true, true, false]);
  });
});

function rule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'r',
    file: 'r.json',
    enabled: true,
    scope: 'container',
    severity: 'warning',
    for: '5m',
    forSec: 300,
    keepFiringForSec: null,
    priority: 1,
    labels: { team: 'ml' },
    summary: '{{labels.user}} {{facts.a}}',
    description: '',
    notify: ['owner'],
    conditions: { all: [{ fact: 'a', operator: 'greaterThan', value: 1 }] },
    event: { type: 'r' },
    stages: [{ id: 'high', severity: 'critical', for: '1m', forSec: 60, conditions: { all: [{ fact: 'a', operator: 'greaterThan', value: 5 }] }, actions: [], summary: null, description: null }],
    actions: [],
    approve: false,
    ...overrides,
  };
}

describe('compileRule', () => {
  it('precomputes predicates, templates, labels and rule template values', () => {
    const c = compileRule(rule());
    expect(c.matches({ a: 2 })).toBe(true);
    expect(c.stages[0]?.matches({ a: 2 })).toBe(false);
    expect(c.stages[0]?.matches({ a: 6 })).toBe(true);
    expect(c.summary.placeholders.map((p) => p.key)).toEqual(['user', 'a']);
    expect(c.ruleValues).toEqual({ id: 'r', scope: 'container', severity: 'warning', stage: null, for: '5m' });
    expect(c.stages[0]?.ruleValues).toEqual({ id: 'r', scope: 'container', severity: 'critical', stage: 'high', for: '1m' });
    expect(Object.isFrozen(c.labels) && Object.isFrozen(c.notify)).toBe(true);
  });

  it('does not share label or notify arrays with the rule', () => {
    const r = rule();
    const c = compileRule(r);
    r.labels.team = 'changed';
    r.notify.push('admins');
    expect(c.labels).toEqual({ team: 'ml' });
    expect(c.notify).toEqual(['owner']);
  });

  it('throws on a template the loader would reject', () => {
    expect(() => compileRule(rule({ summary: '{{nope.x}}' }))).toThrow('rule r: summary: unknown placeholder {{nope.x}}');
  });

  it('keeps the pack order', () => {
    expect(compileRules([rule({ id: 'b' }), rule({ id: 'a' })]).map((c) => c.id)).toEqual(['b', 'a']);
  });
});
