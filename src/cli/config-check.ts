import { parseArgs } from 'node:util';
import { formatProblem, type ConfigProblem } from '../config/limits/config-problem.ts';
import { effectiveLimits } from '../config/limits/effective-limits.ts';
import { notEnforced, type NotEnforcedKey } from '../config/limits/enforced-keys.ts';
import { ConfigError, loadLimits, type LoadedLimits } from '../config/limits/load.ts';
import { renderLimitsTable } from '../config/limits/render-limits.ts';
import { UsageError } from './usage-error.ts';
import type { CliIo } from './io.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { CONFIG_USAGE } from './usage.ts';

function notEnforcedProblem(k: NotEnforcedKey): ConfigProblem {
  const message =
    k.reason === 'no-effect'
      ? 'has no effect (shadowed or replaced, see above); nothing reads it'
      : 'not enforced by any gpuwarden rule (DS01 may still apply it)';
  return { severity: 'warning', file: k.file, line: k.line, keyPath: k.keyPath, message };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summary(loaded: LoadedLimits): string {
  const c = loaded.config;
  const members = [...c.members.values()].reduce((n, list) => n + list.length, 0);
  const parts = [
    plural(c.groups.size, 'group'),
    plural(members, 'member'),
    plural(c.userOverrides.size, 'user override'),
    plural(c.exemptions.length, 'exemption'),
    plural(c.groupOverrides.length, 'group override'),
    `default group ${c.defaultGroup}`,
  ];
  return `${c.file} (${parts.join(', ')}; ${plural(loaded.files.length, 'file')} read)`;
}

function parseAt(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new UsageError(`--at must be an ISO-8601 time such as 2026-06-30T12:00:00Z, got "${at}"`);
  return new Date(ms);
}

/** `gpuwarden config check`: validate a limits config, list what gpuwarden does not enforce, show users' limits. */
export async function configCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      limits: { type: 'string' },
      strict: { type: 'boolean' },
      user: { type: 'string', multiple: true },
      at: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals[0] !== 'check' || positionals.length > 1) {
    throw new UsageError(positionals.length === 0 ? 'config needs a subcommand: check' : `unknown config subcommand "${positionals.join(' ')}" (only: check)`);
  }
  if (values.limits === undefined || values.limits === '') throw new UsageError('config check needs --limits FILE');
  const now = parseAt(values.at);
  const strict = values.strict === true;

  let loaded: LoadedLimits;
  try {
    loaded = await loadLimits(values.limits);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const errors = err.problems.filter((p) => p.severity === 'error');
    for (const p of err.problems) io.stdout(`${p.severity}: ${formatProblem(p)}\n`);
    io.stdout(`FAILED: ${values.limits}: ${errors.length} error(s), ${err.problems.length - errors.length} warning(s)\n`);
    return 1;
  }

  const warnings = [...loaded.warnings, ...notEnforced(loaded.config).map(notEnforcedProblem)];
  const label = strict ? 'error' : 'warning';
  const failed = strict && warnings.length > 0;
  io.stdout(failed ? `FAILED (--strict): ${summary(loaded)}\n` : `OK: ${summary(loaded)}\n`);
  for (const p of warnings) io.stdout(`${label}: ${formatProblem(p)}\n`);
  if (warnings.length > 0) {
    io.stdout(
      strict
        ? `${warnings.length} error(s): with --strict, every key gpuwarden does not enforce is an error\n`
        : `${warnings.length} warning(s); --strict makes them errors\n`,
    );
  }
  for (const user of values.user ?? []) io.stdout(`\n${renderLimitsTable(effectiveLimits(loaded.config, user, now))}`);
  return failed ? 1 : 0;
}
