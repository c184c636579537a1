import type { Severity } from '../finding.ts';
import type { FactValue, Scope } from '../subject.ts';
import type { ConditionValue, FactRef, LeafCondition, NestedCondition, TopLevelCondition } from './condition-schema.ts';
import { parseFactPath, walkFactPath } from './fact-path.ts';
import { isNumberLike, OPERATOR_FNS } from './operators.ts';
import type { Rule } from './rule-schema.ts';
import { compileTemplate, type CompiledTemplate } from './template.ts';

/** A subject's facts as conditions read them; a name that is absent reads as undefined. */
export type FactMap = Readonly<Record<string, FactValue | undefined>>;

/** A compiled condition tree: synchronous, allocation-free, same answer as json-rules-engine. */
export type Predicate = (facts: FactMap) => boolean;

type Getter = (facts: FactMap) => unknown;

/** What `{{rule.X}}` renders for one (rule, stage) pair, computed once. */
export type RuleTemplateValues = Readonly<Record<string, string | null>>;

/** A stage ready to evaluate. */
export interface CompiledStage {
  id: string;
  severity: Severity;
  forSec: number;
  matches: Predicate;
  ruleValues: RuleTemplateValues;
  /** The stage's own templates, or null where the rule's apply. */
  summary: CompiledTemplate | null;
  description: CompiledTemplate | null;
}

/** A rule with everything evaluation needs precomputed: predicates, templates, labels. */
export interface CompiledRule {
  rule: Rule;
  id: string;
  scope: Scope;
  enabled: boolean;
  severity: Severity;
  forSec: number;
  matches: Predicate;
  stages: readonly CompiledStage[];
  labels: Readonly<Record<string, string>>;
  notify: readonly string[];
  summary: CompiledTemplate;
  description: CompiledTemplate;
  ruleValues: RuleTemplateValues;
}

/** A condition the compiler cannot turn into a predicate (the loader reports these first). */
export class RuleCompileError extends Error {
  override name = 'RuleCompileError';
}

/** Read a fact the way json-rules-engine's almanac does: absent = undefined; `path` only into objects. */
function factGetter(name: string, path: string | undefined): Getter {
  // Names such as "constructor" would read Object.prototype through a plain object; the almanac is a Map.
  const base: Getter = name in Object.prototype ? (f) => (Object.hasOwn(f, name) ? f[name] : undefined) : (f) => f[name];
  if (path === undefined || path === '') return base;
  const steps = parseFactPath(path);
  return (f) => {
    const v = base(f);
    return v !== null && typeof v === 'object' ? walkFactPath(v, steps) : v;
  };
}

/** json-rules-engine's Almanac.getValue test: a non-null object with an own `fact` is a fact reference. */
function isFactRef(value: ConditionValue): value is FactRef {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact');
}

function compileLeaf(c: LeafCondition): Predicate {
  const op = Object.hasOwn(OPERATOR_FNS, c.operator) ? OPERATOR_FNS[c.operator] : undefined;
  if (op === undefined) throw new RuleCompileError(`Unknown operator: ${String(c.operator)}`);
  const a = factGetter(c.fact, c.path);
  const value = c.value;
  if (isFactRef(value)) {
    const b = factGetter(value.fact, value.path);
    return (f) => op(a(f), b(f));
  }
  const simple = c.path === undefined || c.path === '' ? (c.fact in Object.prototype ? null : c.fact) : null;
  if (simple !== null && typeof value === 'number') {
    // The hot path of most rules: a plain fact against a number literal.
    switch (c.operator) {
      case 'greaterThan':
        return (f) => {
          const x: unknown = f[simple];
          return typeof x === 'number' ? x > value : isNumberLike(x) && (x as number) > value;
        };
      case 'greaterThanInclusive':
        return (f) => {
          const x: unknown = f[simple];
          return typeof x === 'number' ? x >= value : isNumberLike(x) && (x as number) >= value;
        };
      case 'lessThan':
        return (f) => {
          const x: unknown = f[simple];
          return typeof x === 'number' ? x < value : isNumberLike(x) && (x as number) < value;
        };
      case 'lessThanInclusive':
        return (f) => {
          const x: unknown = f[simple];
          return typeof x === 'number' ? x <= value : isNumberLike(x) && (x as number) <= value;
        };
      default:
        break;
    }
  }
  if (simple !== null && c.operator === 'equal') return (f) => f[simple] === value;
  if (simple !== null && c.operator === 'notEqual') return (f) => f[simple] !== value;
  return (f) => op(a(f), value);
}

function compileList(list: readonly NestedCondition[], every: boolean): Predicate {
  const preds = list.map(compileNode);
  const [p0, p1] = preds;
  // json-rules-engine: an empty all AND an empty any are both true (prioritizeAndRun resolves true for []).
  if (p0 === undefined) return () => true;
  if (p1 === undefined) return p0;
  if (preds.length === 2) return every ? (f) => p0(f) && p1(f) : (f) => p0(f) || p1(f);
  if (every) {
    return (f) => {
      for (const p of preds) if (!p(f)) return false;
      return true;
    };
  }
  return (f) => {
    for (const p of preds) if (p(f)) return true;
    return false;
  };
}

function compileNode(c: NestedCondition): Predicate {
  // Same precedence as json-rules-engine's Condition.booleanOperator: any, then all, then not.
  if (Object.hasOwn(c, 'any')) return compileList((c as { any: NestedCondition[] }).any, false);
  if (Object.hasOwn(c, 'all')) return compileList((c as { all: NestedCondition[] }).all, true);
  if (Object.hasOwn(c, 'not')) {
    const inner = compileNode((c as { not: NestedCondition }).not);
    return (f) => !inner(f);
  }
  if (Object.hasOwn(c, 'condition')) throw new RuleCompileError('named condition references are not supported');
  if (!Object.hasOwn(c, 'fact')) throw new RuleCompileError('a condition needs all, any, not or fact');
  return compileLeaf(c as LeafCondition);
}

/** Compile a condition tree once into a plain synchronous predicate with json-rules-engine's semantics. */
export function compileConditions(conditions: TopLevelCondition | NestedCondition): Predicate {
  return compileNode(conditions);
}

function template(rule: Rule, key: string, text: string): CompiledTemplate {
  const result = compileTemplate(text);
  if (!result.ok) throw new RuleCompileError(`rule ${rule.id}: ${key}: ${result.errors.join('; ')}`);
  return result.template;
}

/** Compile one loaded rule (conditions, stages, templates); throws RuleCompileError on what load rejects. */
export function compileRule(rule: Rule): CompiledRule {
  const values = (severity: Severity, stage: string | null, forText: string): RuleTemplateValues =>
    Object.freeze({ id: rule.id, scope: rule.scope, severity, stage, for: forText });
  return {
    rule,
    id: rule.id,
    scope: rule.scope,
    enabled: rule.enabled,
    severity: rule.severity,
    forSec: rule.forSec,
    matches: compileConditions(rule.conditions),
    stages: rule.stages.map((s) => ({
      id: s.id,
      severity: s.severity,
      forSec: s.forSec,
      matches: compileConditions(s.conditions),
      ruleValues: values(s.severity, s.id, s.for),
      summary: s.summary === null ? null : template(rule, `stage ${s.id} summary`, s.summary),
      description: s.description === null ? null : template(rule, `stage ${s.id} description`, s.description),
    })),
    labels: Object.freeze({ ...rule.labels }),
    notify: Object.freeze([...rule.notify]),
    summary: template(rule, 'summary', rule.summary),
    description: template(rule, 'description', rule.description),
    ruleValues: values(rule.severity, null, rule.for),
  };
}

/** Compile a rule pack, keeping its order. */
export function compileRules(rules: readonly Rule[]): CompiledRule[] {
  return rules.map(compileRule);
}
