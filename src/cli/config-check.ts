import { parseArgs } from 'node:util';
import { formatProblem, type ConfigProblem } from '../config/limits/config-problem.ts';
import { effectiveLimits } from '../config/limits/effective-limits.ts';
import { enforcedSettings, notEnforced, type NotEnforcedKey } from '../config/limits/enforced-keys.ts';
import { groupBySetting, renderSettingPlaces } from '../config/limits/setting-places.ts';
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

/** What the OK/FAILED line counts, as `config check --json` prints it. */
function summaryCounts(loaded: LoadedLimits): { groups: number; members: number; userOverrides: number; exemptions: number; groupOverrides: number; defaultGroup: string; filesRead: number } {
  const c = loaded.config;
  return {
    groups: c.groups.size,
    members: [...c.members.values()].reduce((n, list) => n + list.length, 0),
    userOverrides: c.userOverrides.size,
    exemptions: c.exemptions.length,
    groupOverrides: c.groupOverrides.length,
    defaultGroup: c.defaultGroup,
    filesRead: loaded.files.length,
  };
}

function summary(loaded: LoadedLimits): string {
  const n = summaryCounts(loaded);
  const parts = [
    plural(n.groups, 'group'),
    plural(n.members, 'member'),
    plural(n.userOverrides, 'user override'),
    plural(n.exemptions, 'exemption'),
    plural(n.groupOverrides, 'group override'),
    `default group ${n.defaultGroup}`,
  ];
  return `${loaded.config.file} (${parts.join(', ')}; ${plural(n.filesRead, 'file')} read)`;
}

/** The `--json` document: problems in a fixed key order, whatever order they were built in. */
function json(doc: { ok: boolean; file: string; summary: ReturnType<typeof summaryCounts> | null; problems: readonly ConfigProblem[]; users: unknown[] }): string {
  const problems = doc.problems.map(({ severity, file, line, keyPath, message }) => ({ severity, file, line, keyPath, message }));
  return `${JSON.stringify({ ...doc, problems }, null, 2)}\n`;
}

function parseAt(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new UsageError(`--at must be an ISO-8601 time such as 2026-06-30T12:00:00Z, got "${at}"`);
  return new Date(ms);
}

/** parseArgs options of `gpuwarden config check`. */
export const CONFIG_FLAGS = {
  limits: { type: 'string' },
  strict: { type: 'boolean' },
  user: { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `gpuwarden config check`: validate a limits config, list what gpuwarden does not enforce, show users' limits. */
export async function configCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: CONFIG_FLAGS, allowPositionals: true, strict: true });
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
    if (values.json === true) {
      io.stdout(json({ ok: false, file: values.limits, summary: null, problems: err.problems, users: [] }));
      return 1;
    }
    for (const p of err.problems) io.stdout(`${p.severity}: ${formatProblem(p)}\n`);
    io.stdout(`FAILED: ${values.limits}: ${errors.length} error(s), ${err.problems.length - errors.length} warning(s)\n`);
    return 1;
  }

  const unenforced = notEnforced(loaded.config);
  const warnings = [...loaded.warnings, ...unenforced.map(notEnforcedProblem)];
  const label: ConfigProblem['severity'] = strict ? 'error' : 'warning';
  const failed = strict && warnings.length > 0;
  if (values.json === true) {
    const problems = warnings.map((p) => ({ ...p, severity: label }));
    const users = (values.user ?? []).map((user) => effectiveLimits(loaded.config, user, now));
    io.stdout(json({ ok: !failed, file: loaded.config.file, summary: summaryCounts(loaded), problems, users }));
    return failed ? 1 : 0;
  }
  io.stdout(failed ? `FAILED (--strict): ${summary(loaded)}\n` : `OK: ${summary(loaded)}\n`);
  const enforced = enforcedSettings(loaded.config);
  io.stdout(`Enforced by gpuwarden's rules (${plural(enforced.length, 'setting')}): ${enforced.length === 0 ? 'none' : enforced.join(', ')}\n`);
  // Shadowed or replaced keys and the loader's warnings one by one; the settings no rule enforces grouped by setting.
  for (const p of [...loaded.warnings, ...unenforced.filter((k) => k.reason === 'no-effect').map(notEnforcedProblem)]) io.stdout(`${label}: ${formatProblem(p)}\n`);
  const grouped = groupBySetting(unenforced.filter((k) => k.reason === 'not-enforced'));
  if (grouped.length > 0) {
    const places = grouped.reduce((n, g) => n + g.places.length, 0);
    io.stdout(`Not enforced by any gpuwarden rule (DS01 may still apply them): ${plural(grouped.length, 'setting')}, set in ${plural(places, 'place')} (line numbers in parentheses)\n`);
    for (const line of renderSettingPlaces(grouped, loaded.config.file)) io.stdout(`${line}\n`);
  }
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
