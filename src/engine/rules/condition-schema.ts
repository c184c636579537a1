import { z } from 'zod';

/** json-rules-engine's default operators: the only ones a rule may use. */
export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;

/** One of OPERATORS. */
export type OperatorName = (typeof OPERATORS)[number];

/** A JSON scalar, as a literal condition value. */
export type Scalar = string | number | boolean | null;

/** `{fact: 'other'}` as a condition value: compare against another fact of the same subject. */
export interface FactRef {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
}

/** What a leaf condition compares its fact with. */
export type ConditionValue = Scalar | Scalar[] | FactRef;

/** `{fact, operator, value}`: one comparison. */
export interface LeafCondition {
  fact: string;
  operator: OperatorName;
  value: ConditionValue;
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
  name?: string;
}

/** `{all: [...]}`: true when every sub-condition is (json-rules-engine: also when empty). */
export interface AllCondition {
  all: NestedCondition[];
  priority?: number;
  name?: string;
}

/** `{any: [...]}`: true when some sub-condition is (json-rules-engine: also when empty!). */
export interface AnyCondition {
  any: NestedCondition[];
  priority?: number;
  name?: string;
}

/** `{not: {...}}`: negates one sub-condition. */
export interface NotCondition {
  not: NestedCondition;
  priority?: number;
  name?: string;
}

/** The root of a rule's or a stage's conditions: all, any or not. */
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;

/** Any condition node. */
export type NestedCondition = TopLevelCondition | LeafCondition;

/** Simple dotted property paths into an object fact: `$`, `$.a`, `$.a.0.b`. */
export const FACT_PATH_PATTERN = /^\$(\.[A-Za-z0-9_-]+)*$/;

const priority = z.number().int().positive().describe('Evaluation order hint; does not change the result.');
const conditionName = z.string().describe('A name for this condition (informational).');
const factName = z.string().min(1).describe('Fact name (see rules/README.md for the facts of each scope).');
const factPath = z.string().regex(FACT_PATH_PATTERN).describe('Property path into an object fact, e.g. $.a.b');
const params = z.record(z.string(), z.unknown()).describe('Fact parameters (ignored by constant facts).');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const factRefSchema = z
  .strictObject({ fact: factName, path: factPath.optional(), params: params.optional() })
  .meta({ id: 'factReference', description: 'Compare with another fact of the same subject.' });

const valueSchema = z.union([scalar, z.array(scalar), factRefSchema]);

const leafSchema = z.strictObject({
  fact: factName,
  operator: z.enum(OPERATORS),
  value: valueSchema,
  path: factPath.optional(),
  params: params.optional(),
  priority: priority.optional(),
  name: conditionName.optional(),
}).meta({ id: 'leafCondition', description: 'Compare one fact with a value: {fact, operator, value}.' });

/** Any condition node (recursive). */
export const nestedConditionSchema: z.ZodType<NestedCondition> = z
  .lazy(() => z.union([allSchema, anySchema, notSchema, leafSchema]))
  .meta({ id: 'condition', description: 'all, any, not, or a {fact, operator, value} comparison.' });

const allSchema = z
  .strictObject({ all: z.array(nestedConditionSchema), priority: priority.optional(), name: conditionName.optional() })
  .meta({ id: 'allCondition', description: 'True when every sub-condition is true (also when empty).' });
const anySchema = z
  .strictObject({ any: z.array(nestedConditionSchema), priority: priority.optional(), name: conditionName.optional() })
  .meta({ id: 'anyCondition', description: 'True when some sub-condition is true; json-rules-engine also counts an empty any as true.' });
const notSchema = z
  .strictObject({ not: nestedConditionSchema, priority: priority.optional(), name: conditionName.optional() })
  .meta({ id: 'notCondition', description: 'True when its one sub-condition is false.' });

/** The root of a rule's or a stage's conditions: all, any or not. */
export const topLevelConditionSchema: z.ZodType<TopLevelCondition> = z
  .union([allSchema, anySchema, notSchema])
  .meta({ id: 'conditions', description: 'The root: all, any or not.' });
