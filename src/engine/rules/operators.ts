import type { OperatorName } from './condition-schema.ts';

/** `(factValue, value) → boolean`: an operator with its fact-value validator folded in. */
export type OperatorFn = (a: unknown, b: unknown) => boolean;

/**
 * json-rules-engine's numberValidator, `Number.parseFloat(factValue).toString() !== 'NaN'`, without
 * allocating a string: a number passes unless it is NaN (parseFloat(String(n)) is NaN only for NaN).
 */
export function isNumberLike(a: unknown): boolean {
  if (typeof a === 'number') return a === a;
  return !Number.isNaN(Number.parseFloat(a as string));
}

type Comparable = number;
type Searchable = { indexOf(x: unknown): number };

/**
 * The default operators exactly as json-rules-engine 7 defines them (engine-default-operators.js):
 * `in` / `notIn` call `value.indexOf(fact)` (so a string value does substring search, and anything without
 * indexOf throws, as the engine does), `contains` / `doesNotContain` require an array fact, the numeric
 * ones require a fact parseFloat can read and then compare with JavaScript's `<` etc.
 */
export const OPERATOR_FNS: Readonly<Record<OperatorName, OperatorFn>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as Searchable).indexOf(a) > -1,
  notIn: (a, b) => (b as Searchable).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumberLike(a) && (a as Comparable) < (b as Comparable),
  lessThanInclusive: (a, b) => isNumberLike(a) && (a as Comparable) <= (b as Comparable),
  greaterThan: (a, b) => isNumberLike(a) && (a as Comparable) > (b as Comparable),
  greaterThanInclusive: (a, b) => isNumberLike(a) && (a as Comparable) >= (b as Comparable),
};
