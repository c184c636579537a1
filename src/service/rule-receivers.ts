import { BUILTIN_RECEIVERS, type Rule } from '../engine/rules/rule-schema.ts';
import type { RuleProblem } from '../engine/rules/rule-problem.ts';
import { didYouMean } from '../engine/rules/suggest.ts';

/**
 * Cross-check of rules against routing: every `notify` entry other than "owner" and "admins" must name a receiver
 * of the routing config (notifications.yaml), or that rule's alerts would reach nobody. One problem per entry.
 */
export function unknownReceiverProblems(rules: readonly Pick<Rule, 'id' | 'file' | 'notify'>[], receivers: ReadonlySet<string>, routingFile: string): RuleProblem[] {
  const builtin: readonly string[] = BUILTIN_RECEIVERS;
  const known = [...receivers].sort();
  const problems: RuleProblem[] = [];
  for (const rule of rules) {
    for (const [i, name] of rule.notify.entries()) {
      if (builtin.includes(name) || receivers.has(name)) continue;
      const list = known.length === 0 ? 'it defines none' : `it defines ${known.map((r) => `"${r}"`).join(', ')}`;
      problems.push({
        file: rule.file,
        ruleId: rule.id,
        jsonPath: `notify[${i}]`,
        message: `receiver "${name}" is not defined in ${routingFile} (${list}; "owner" and "admins" need none)${didYouMean(name, known)}`,
      });
    }
  }
  return problems;
}
