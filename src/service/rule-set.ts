import type { Finding } from '../engine/finding.ts';
import type { ErrorSource } from '../snapshot/schema.ts';
import type { Subject } from '../engine/subject.ts';
import type { RuleEnforcement } from '../enforcement/plan-actions.ts';

/** Facts only the scheduled tick can see change (a host's silence). Host rules reading them run on the tick. */
export const TICK_FACTS: ReadonlySet<string> = new Set(['secondsSinceSnapshot', 'intervalsMissed']);

/** The loaded rule pack as the pipeline uses it. */
export interface RuleSet {
  /** Ids of every enabled rule (all are evaluated on a snapshot). */
  ruleIds: ReadonlySet<string>;
  /** Ids of the host rules evaluated by the scheduled tick. */
  tickRuleIds: ReadonlySet<string>;
  /** The probe sources each rule needs (its scope's and its facts'): see engine/fact-sources.ts. */
  sourcesOf: ReadonlyMap<string, readonly ErrorSource[]>;
  /** Each rule's keepFiringFor in seconds; null = the pack default. */
  keepFiringForSecOf: ReadonlyMap<string, number | null>;
  /** What each rule asks the hosts to do (rules without enabled actions are absent). */
  enforcement: ReadonlyMap<string, RuleEnforcement>;
  /** Evaluate every rule on the subjects. */
  evaluate(subjects: readonly Subject[]): Finding[];
  /** Evaluate only the tick rules. */
  evaluateTick(subjects: readonly Subject[]): Finding[];
}

/** Names of the facts a json-rules-engine condition tree reads (including fact references in values). */
export function factsReferenced(condition: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(condition)) {
    for (const c of condition) factsReferenced(c, out);
  } else if (condition !== null && typeof condition === 'object') {
    const node = condition as Record<string, unknown>;
    if (typeof node.fact === 'string') out.add(node.fact);
    const value = node.value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).fact === 'string') {
      out.add((value as Record<string, unknown>).fact as string);
    }
    for (const key of ['all', 'any', 'not']) if (key in node) factsReferenced(node[key], out);
  }
  return out;
}
