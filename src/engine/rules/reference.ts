import { Engine } from 'json-rules-engine';
import type { NestedCondition, TopLevelCondition } from './condition-schema.ts';
import type { FactMap } from './compile.ts';
import { resolveFactPath } from './fact-path.ts';

/** Anything with conditions: a Rule, a RuleStage, or a bare `{conditions}`. */
export interface HasConditions {
  conditions: TopLevelCondition | NestedCondition;
}

const engines = new WeakMap<HasConditions, Engine>();

function engineFor(rule: HasConditions): Engine {
  let engine = engines.get(rule);
  if (engine === undefined) {
    engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveFactPath });
    // json-rules-engine mutates condition objects while evaluating (results): hand it a copy.
    engine.addRule({ conditions: structuredClone(rule.conditions) as TopLevelCondition, event: { type: 'match' } });
    engines.set(rule, engine);
  }
  return engine;
}

/**
 * Evaluate conditions with json-rules-engine itself (one cached Engine per rule object, allowUndefinedFacts,
 * the plain property-walk pathResolver): the reference the compiled predicates are tested against.
 */
export async function referenceMatches(rule: HasConditions, facts: FactMap): Promise<boolean> {
  const { events } = await engineFor(rule).run({ ...facts });
  return events.length > 0;
}
