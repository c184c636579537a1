/** One thing wrong with a rules file: which file, which rule (when it has a readable id), where, and why. */
export interface RuleProblem {
  file: string;
  ruleId: string | null;
  /** Where in the file, e.g. `$.conditions.all[2].operator`, or `$[1].id` in a file holding an array of rules. */
  jsonPath: string;
  message: string;
}

/** `file: rule <id>: <jsonPath>: <message>` (the rule part is left out when the id is unknown), like amtool. */
export function formatRuleProblem(p: RuleProblem): string {
  return p.ruleId === null ? `${p.file}: ${p.jsonPath}: ${p.message}` : `${p.file}: rule ${p.ruleId}: ${p.jsonPath}: ${p.message}`;
}
