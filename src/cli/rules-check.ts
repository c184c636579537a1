import { parseArgs } from 'node:util';
import { knownFacts } from '../engine/fact-catalogue.ts';
import { readRuleFiles } from '../engine/rules/load-dir.ts';
import { loadRules } from '../engine/rules/load.ts';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import { packagedRulesDir } from '../package-files.ts';
import { UsageError } from './usage-error.ts';
import type { CliIo } from './io.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { RULES_CHECK_USAGE } from './usage.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** parseArgs options of `gpuwarden rules check`. */
export const RULES_CHECK_FLAGS = { json: { type: 'boolean' } } as const;

/**
 * `gpuwarden rules check [DIR]`, like amtool check-config. `args` are the words after `gpuwarden rules`
 * (a leading `check` is expected and dropped, so the command also works when wired as `rules check` itself).
 */
export async function rulesCheckCommand(args: string[], io: CliIo): Promise<number> {
  const rest = args[0] === 'check' ? args.slice(1) : args;
  const { values, positionals } = parseArgs({ args: rest, options: RULES_CHECK_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 1) throw new UsageError(`rules check takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = positionals[0] ?? packagedRulesDir();
  let files;
  try {
    files = readRuleFiles(dir);
  } catch (err) {
    io.stderr(`gpuwarden rules check: cannot read rules folder ${dir}: ${(err as Error).message}\n`);
    return 1;
  }
  if (files.length === 0) {
    io.stderr(`gpuwarden rules check: no rules files (*.json) in ${dir}\n`);
    return 1;
  }
  const { rules, problems } = loadRules(files, { knownFacts: knownFacts() });
  if (values.json === true) {
    const shown = problems.map(({ file, ruleId, jsonPath, message }) => ({ file, ruleId, jsonPath, message }));
    io.stdout(`${JSON.stringify({ ok: problems.length === 0, rules: rules.length, problems: shown }, null, 2)}\n`);
    return problems.length === 0 ? 0 : 1;
  }
  for (const p of problems) io.stdout(`${formatRuleProblem(p)}\n`);
  if (problems.length > 0) {
    io.stdout(`${plural(problems.length, 'problem')}\n`);
    return 1;
  }
  io.stdout(`${plural(rules.length, 'rule')} OK\n`);
  return 0;
}
