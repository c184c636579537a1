import { parseArgs } from 'node:util';
import { ConfigError, loadRoutingConfig } from '../config/routing/load.ts';
import { readRuleFiles } from '../engine/rules/load-dir.ts';
import { loadRules } from '../engine/rules/load.ts';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import { packagedRulesDir } from '../package-files.ts';
import { packLoadOptions } from '../service/rule-set-from-pack.ts';
import { unknownReceiverProblems } from '../service/rule-receivers.ts';
import { UsageError } from './usage-error.ts';
import type { CliIo } from './io.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { RULES_CHECK_USAGE } from './usage.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** parseArgs options of `gpuwarden rules check`. */
export const RULES_CHECK_FLAGS = { json: { type: 'boolean' }, notifications: { type: 'string' } } as const;

/**
 * `gpuwarden rules check [DIR] [--notifications FILE]`, like amtool check-config. `args` are the words after
 * `gpuwarden rules` (a leading `check` is expected and dropped, so the command also works when wired as `rules check`
 * itself). With --notifications, every `notify` entry must name a receiver of that file, as `serve` requires.
 */
export async function rulesCheckCommand(args: string[], io: CliIo): Promise<number> {
  const rest = args[0] === 'check' ? args.slice(1) : args;
  const { values, positionals } = parseArgs({ args: rest, options: RULES_CHECK_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 1) throw new UsageError(`rules check takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.notifications === '') throw new UsageError('--notifications needs a file');
  const dir = positionals[0] ?? packagedRulesDir();
  let folder;
  try {
    folder = readRuleFiles(dir);
  } catch (err) {
    io.stderr(`gpuwarden rules check: cannot read rules folder ${dir}: ${(err as Error).message}\n`);
    return 1;
  }
  if (folder.files.length === 0 && folder.problems.length === 0) {
    io.stderr(`gpuwarden rules check: no rules files (*.json) in ${dir}\n`);
    return 1;
  }
  let receivers: ReadonlySet<string> | null = null;
  if (values.notifications !== undefined) {
    try {
      receivers = new Set((await loadRoutingConfig(values.notifications, io.env)).receivers.keys());
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr(`gpuwarden rules check: invalid notifications config:\n${err.message}\n`);
      return 1;
    }
  }
  const { rules, problems: ruleProblems } = loadRules(folder.files, packLoadOptions());
  const problems = [...folder.problems, ...ruleProblems, ...(receivers === null || values.notifications === undefined ? [] : unknownReceiverProblems(rules, receivers, values.notifications))];
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
