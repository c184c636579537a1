import type { CliIo } from './io.ts';
import { RULES_CHECK_USAGE, rulesCheckCommand } from './rules-check.ts';
import { RULES_TEST_USAGE, rulesTestCommand } from './rules-test.ts';
import { UsageError } from './source-options.ts';

/** Usage text of `gpuwarden rules`. */
export const RULES_USAGE = `gpuwarden rules check [DIR] | rules test (--replay DIR | SNAPSHOT.json)... [flags]\n\n${RULES_CHECK_USAGE}\n${RULES_TEST_USAGE}`;

/** `gpuwarden rules check|test`. */
export async function rulesCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'check') return rulesCheckCommand(args.slice(1), io);
  if (args[0] === 'test') return rulesTestCommand(args.slice(1), io);
  throw new UsageError(`rules needs a subcommand: check or test${args[0] === undefined ? '' : `, not "${args[0]}"`}`);
}
