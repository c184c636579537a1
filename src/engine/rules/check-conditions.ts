import { FACT_PATH_PATTERN, OPERATORS, type OperatorName } from './condition-schema.ts';
import { appendJsonPath, isJsonObject, jsonTypeOf } from './json-path.ts';
import { didYouMean } from './suggest.ts';

/** A problem at a place in a document (the file and rule are added by the loader). */
export interface PlacedProblem {
  jsonPath: string;
  message: string;
}

/** What condition checking knows: the facts of the rule's scope (null = any name is accepted). */
export interface ConditionCheckContext {
  scope: string;
  facts: readonly string[] | null;
}

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const BOOLEAN_EXTRA = ['priority', 'name'];
const LEAF_KEYS = ['fact', 'operator', 'value', 'path', 'params', 'priority', 'name'];
const FACT_REF_KEYS = ['fact', 'path', 'params'];
const NUMERIC: readonly OperatorName[] = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const SHAPES = 'expected {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}';

type Out = PlacedProblem[];

function isOperator(op: string): op is OperatorName {
  return (OPERATORS as readonly string[]).includes(op);
}

function unknownKeys(node: Record<string, unknown>, allowed: readonly string[], path: string, out: Out): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) out.push({ jsonPath: appendJsonPath(path, key), message: `unknown key "${key}"${didYouMean(key, allowed)}` });
  }
}

function checkCommon(node: Record<string, unknown>, path: string, out: Out): void {
  const p = node.priority;
  if (p !== undefined && !(typeof p === 'number' && Number.isInteger(p) && p > 0)) {
    out.push({ jsonPath: appendJsonPath(path, 'priority'), message: `priority must be a whole number above 0, got ${JSON.stringify(p)}` });
  }
  if (node.name !== undefined && typeof node.name !== 'string') {
    out.push({ jsonPath: appendJsonPath(path, 'name'), message: `name must be a string, got ${jsonTypeOf(node.name)}` });
  }
}

function checkFactName(fact: unknown, path: string, ctx: ConditionCheckContext, out: Out): void {
  if (fact === undefined) {
    out.push({ jsonPath: path, message: '"fact" is required' });
  } else if (typeof fact !== 'string' || fact === '') {
    out.push({ jsonPath: path, message: `"fact" must be a fact name (a non-empty string), got ${JSON.stringify(fact)}` });
  } else if (ctx.facts !== null && !ctx.facts.includes(fact)) {
    out.push({ jsonPath: path, message: `unknown fact "${fact}" for scope ${ctx.scope}${didYouMean(fact, ctx.facts)}` });
  }
}

function checkPath(value: unknown, path: string, out: Out): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !FACT_PATH_PATTERN.test(value)) {
    out.push({ jsonPath: path, message: `path must be a simple property path such as "$.a.b", got ${JSON.stringify(value)}` });
  }
}

function checkParams(value: unknown, path: string, out: Out): void {
  if (value !== undefined && !isJsonObject(value)) out.push({ jsonPath: path, message: `params must be an object, got ${jsonTypeOf(value)}` });
}

function checkValue(op: OperatorName | null, value: unknown, path: string, ctx: ConditionCheckContext, out: Out): void {
  if (isJsonObject(value)) {
    if (!Object.hasOwn(value, 'fact')) {
      out.push({ jsonPath: path, message: 'value must be a number, string, boolean, null, a list of those, or {"fact": "name"}' });
      return;
    }
    unknownKeys(value, FACT_REF_KEYS, path, out);
    checkFactName(value.fact, appendJsonPath(path, 'fact'), ctx, out);
    checkPath(value.path, appendJsonPath(path, 'path'), out);
    checkParams(value.params, appendJsonPath(path, 'params'), out);
    if (op === 'in' || op === 'notIn') {
      out.push({
        jsonPath: path,
        message: `${op} needs a literal list value: with a fact reference json-rules-engine throws when that fact is not a list at run time (use contains / doesNotContain with the list fact instead)`,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v !== null && typeof v === 'object') out.push({ jsonPath: appendJsonPath(path, i), message: `list items must be numbers, strings, booleans or null, got ${jsonTypeOf(v)}` });
    });
    if (op === 'equal' || op === 'notEqual') out.push({ jsonPath: path, message: `${op} with a list never matches as expected (json-rules-engine compares with ===): use in / notIn` });
    else if (op === 'contains' || op === 'doesNotContain') out.push({ jsonPath: path, message: `${op} takes one value, not a list` });
    else if (op !== null && NUMERIC.includes(op)) out.push({ jsonPath: path, message: `${op} needs a number value, got a list` });
    return;
  }
  if (op === 'in' || op === 'notIn') out.push({ jsonPath: path, message: `${op} needs a list value, e.g. ["a", "b"], got ${JSON.stringify(value)}` });
  else if (op !== null && NUMERIC.includes(op) && typeof value !== 'number') out.push({ jsonPath: path, message: `${op} needs a number value, got ${JSON.stringify(value)}` });
}

function checkLeaf(node: Record<string, unknown>, path: string, ctx: ConditionCheckContext, out: Out): void {
  unknownKeys(node, LEAF_KEYS, path, out);
  checkCommon(node, path, out);
  checkFactName(node.fact, appendJsonPath(path, 'fact'), ctx, out);
  const opPath = appendJsonPath(path, 'operator');
  let op: OperatorName | null = null;
  if (!Object.hasOwn(node, 'operator')) out.push({ jsonPath: opPath, message: '"operator" is required' });
  else if (typeof node.operator !== 'string') out.push({ jsonPath: opPath, message: `operator must be a string, got ${jsonTypeOf(node.operator)}` });
  else if (isOperator(node.operator)) op = node.operator;
  else if (node.operator.includes(':')) {
    out.push({ jsonPath: opPath, message: `operator decorators ("${node.operator.split(':')[0] ?? ''}:") are not supported; use one of ${OPERATORS.join(', ')}` });
  } else out.push({ jsonPath: opPath, message: `unknown operator "${node.operator}"${didYouMean(node.operator, OPERATORS)}; operators: ${OPERATORS.join(', ')}` });
  if (!Object.hasOwn(node, 'value')) out.push({ jsonPath: appendJsonPath(path, 'value'), message: '"value" is required' });
  else checkValue(op, node.value, appendJsonPath(path, 'value'), ctx, out);
  checkPath(node.path, appendJsonPath(path, 'path'), out);
  checkParams(node.params, appendJsonPath(path, 'params'), out);
}

function checkNode(node: unknown, path: string, ctx: ConditionCheckContext, top: boolean, out: Out): void {
  if (!isJsonObject(node)) {
    out.push({ jsonPath: path, message: `${SHAPES}, got ${jsonTypeOf(node)}` });
    return;
  }
  if (Object.hasOwn(node, 'condition')) {
    out.push({
      jsonPath: appendJsonPath(path, 'condition'),
      message: `named condition references ({"condition": ${JSON.stringify(node.condition)}}) are not supported: write the condition inline`,
    });
    return;
  }
  const ops = BOOLEAN_KEYS.filter((k) => Object.hasOwn(node, k));
  const [op] = ops;
  if (ops.length > 1) {
    out.push({ jsonPath: path, message: `a condition holds exactly one of "all", "any", "not" (found ${ops.map((k) => `"${k}"`).join(' and ')})` });
    return;
  }
  if (op !== undefined && Object.hasOwn(node, 'fact')) {
    out.push({ jsonPath: path, message: `a condition is either "${op}" or a {"fact", "operator", "value"} comparison, not both` });
    return;
  }
  if (op === undefined) {
    if (top) {
      const hint = Object.hasOwn(node, 'fact') ? ' (wrap the comparison: {"all": [ ... ]})' : '';
      out.push({ jsonPath: path, message: `the root must be {"all": [...]}, {"any": [...]} or {"not": {...}}${hint}` });
    } else if (Object.hasOwn(node, 'fact') || Object.hasOwn(node, 'operator') || Object.hasOwn(node, 'value')) checkLeaf(node, path, ctx, out);
    else out.push({ jsonPath: path, message: `${SHAPES}, got an object with ${Object.keys(node).length === 0 ? 'no keys' : `keys ${Object.keys(node).map((k) => `"${k}"`).join(', ')}`}` });
    return;
  }
  unknownKeys(node, [op, ...BOOLEAN_EXTRA], path, out);
  checkCommon(node, path, out);
  const sub = node[op];
  const subPath = appendJsonPath(path, op);
  if (op === 'not') {
    if (Array.isArray(sub)) out.push({ jsonPath: subPath, message: '"not" takes one condition object, not a list (wrap several in {"all": [...]})' });
    else checkNode(sub, subPath, ctx, false, out);
  } else if (!Array.isArray(sub)) {
    out.push({ jsonPath: subPath, message: `"${op}" must be a list of conditions, got ${jsonTypeOf(sub)}` });
  } else {
    sub.forEach((c, i) => checkNode(c, appendJsonPath(subPath, i), ctx, false, out));
  }
}

/** Check a conditions tree (the root must be all / any / not) with precise paths; returns every problem found. */
export function checkConditions(node: unknown, path: string, ctx: ConditionCheckContext): PlacedProblem[] {
  const out: Out = [];
  checkNode(node, path, ctx, true, out);
  return out;
}
