import type { Finding } from '../finding.ts';
import { SCOPES, type Scope, type Subject } from '../subject.ts';
import type { CompiledRule, CompiledStage } from './compile.ts';
import { renderTemplate } from './template.ts';

/** Subjects grouped by scope, keeping their order. */
export type SubjectsByScope = Readonly<Record<Scope, readonly Subject[]>>;

/** Group subjects by scope once per evaluation. */
export function indexSubjectsByScope(subjects: readonly Subject[]): SubjectsByScope {
  const index = {} as Record<Scope, Subject[]>;
  for (const scope of SCOPES) index[scope] = [];
  for (const s of subjects) index[s.scope]?.push(s);
  return index;
}

function finding(rule: CompiledRule, stage: CompiledStage | null, subject: Subject): Finding {
  // Rule labels win over subject labels, as a Prometheus rule's labels win over its expression's.
  const labels = { ...subject.labels, ...rule.labels };
  const ctx = { labels, facts: subject.facts, rule: stage === null ? rule.ruleValues : stage.ruleValues };
  return {
    rule: rule.id,
    severity: stage === null ? rule.severity : stage.severity,
    stage: stage === null ? null : stage.id,
    forSec: stage === null ? rule.forSec : stage.forSec,
    labels,
    annotations: {
      summary: renderTemplate(stage?.summary ?? rule.summary, ctx),
      description: renderTemplate(stage?.description ?? rule.description, ctx),
    },
    notify: [...rule.notify],
  };
}

/**
 * Run enabled rules over the subjects of their scope: base conditions, then every stage in order (the last
 * stage that matches sets severity, `for` and stage). Findings come in rule order, then subject order.
 */
export function evaluate(rules: readonly CompiledRule[], subjects: readonly Subject[]): Finding[] {
  const byScope = indexSubjectsByScope(subjects);
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const stages = rule.stages;
    for (const subject of byScope[rule.scope]) {
      const facts = subject.facts;
      if (!rule.matches(facts)) continue;
      let stage: CompiledStage | null = null;
      for (const s of stages) if (s.matches(facts)) stage = s;
      findings.push(finding(rule, stage, subject));
    }
  }
  return findings;
}
