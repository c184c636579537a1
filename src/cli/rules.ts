import type { CliIo } from './io.ts';
import { rulesCheckCommand } from './rules-check.ts';
import { rulesTestCommand } from './rules-test.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { RULES_USAGE } from './usage.ts';

/** `gpuwarden rules check|test`. */
export async function rulesCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'check') return rulesCheckCommand(args.slice(1), io);
  if (args[0] === 'test') return rulesTestCommand(args.slice(1), io);
  throw new UsageError(`rules needs a subcommand: check or test${args[0] === undefined ? '' : `, not "${args[0]}"`}`);
}
