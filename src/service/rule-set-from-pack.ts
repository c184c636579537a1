import { knownFacts } from '../engine/fact-catalogue.ts';
import { enforcementOf } from '../enforcement/plan-actions.ts';
import { sourcesNeeded } from '../engine/fact-sources.ts';
import { compileRules } from '../engine/rules/compile.ts';
import { evaluate } from '../engine/rules/evaluate.ts';
import type { LoadOptions } from '../engine/rules/load.ts';
import type { Rule } from '../engine/rules/rule-schema.ts';
import type { Scope } from '../engine/subject.ts';
import { factsReferenced, type RuleSet, TICK_FACTS } from './rule-set.ts';

/** Labels each scope's subjects carry (templates may name them). */
export const SUBJECT_LABELS: Record<Scope, readonly string[]> = {
  gpuProcess: ['host', 'pid', 'gpu', 'user', 'container'],
  container: ['host', 'container', 'containerName', 'user'],
  user: ['host', 'user'],
  gpu: ['host', 'gpu', 'gpuIndex', 'user'],
  host: ['host'],
};

/** Loader options that check rule files against the fact catalogue and subject labels. */
export function packLoadOptions(): LoadOptions {
  return { knownFacts: knownFacts(), knownLabels: SUBJECT_LABELS };
}

/** Compile loaded rules once into the RuleSet the pipeline evaluates. */
export function createRuleSet(rules: readonly Rule[]): RuleSet {
  const compiled = compileRules(rules).filter((r) => r.enabled);
  const factsRead = new Map(
    compiled.map((r) => {
      const read = factsReferenced(r.rule.conditions);
      for (const s of r.rule.stages) factsReferenced(s.conditions, read);
      return [r.id, read] as const;
    }),
  );
  const tick = compiled.filter((r) => r.scope === 'host' && [...(factsRead.get(r.id) ?? [])].some((f) => TICK_FACTS.has(f)));
  return {
    ruleIds: new Set(compiled.map((r) => r.id)),
    tickRuleIds: new Set(tick.map((r) => r.id)),
    sourcesOf: new Map(compiled.map((r) => [r.id, sourcesNeeded(r.scope, factsRead.get(r.id) ?? [])])),
    keepFiringForSecOf: new Map(compiled.map((r) => [r.id, r.rule.keepFiringForSec])),
    enforcement: new Map(compiled.flatMap((r) => {
      const e = enforcementOf(r.rule);
      return e === null ? [] : [[r.id, e] as const];
    })),
    evaluate: (subjects) => evaluate(compiled, subjects),
    evaluateTick: (subjects) => evaluate(tick, subjects),
  };
}
