import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, problem, type ConfigProblem } from './config-problem.ts';
import { parseLimits, type LimitsConfig, type LimitsSources, type SourceText } from './limits-config.ts';

/** Thrown by {@link loadLimits}: every problem, each with file, line and key path. */
export { ConfigError } from './config-problem.ts';

/** A loaded limits config, the warnings found while loading it, and every file that was read. */
export interface LoadedLimits {
  config: LimitsConfig;
  warnings: ConfigProblem[];
  files: string[];
}

/** DS01's side files, relative to the folder of resource-limits.yaml (config/runtime/). */
export const SIDE_FILES = {
  membersDir: 'groups',
  userOverrides: 'user-overrides.yaml',
  lifecycleExemptions: 'lifecycle-exemptions.yaml',
  groupOverrides: 'group-overrides.txt',
} as const;

function errorCode(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

function unreadable(file: string, err: unknown, severity: ConfigProblem['severity'], consequence = ''): ConfigProblem {
  const code = errorCode(err);
  const why = code === undefined ? (err as Error).message : code === 'ENOENT' ? 'no such file' : code;
  return problem(severity, file, null, '', `cannot be read (${why})${consequence}`);
}

async function readOptional(file: string, problems: ConfigProblem[], severity: ConfigProblem['severity'], consequence = ''): Promise<SourceText | null> {
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') problems.push(unreadable(file, err, severity, consequence));
    return null;
  }
}

async function readMemberFiles(dir: string, problems: ConfigProblem[]): Promise<(SourceText & { group: string })[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(unreadable(dir, err, 'error'));
    return [];
  }
  const out: (SourceText & { group: string })[] = [];
  for (const name of names.filter((n) => n.endsWith('.members')).sort()) {
    const src = await readOptional(join(dir, name), problems, 'error');
    if (src !== null) out.push({ ...src, group: name.slice(0, -'.members'.length) });
  }
  return out;
}

/**
 * Read a DS01-style resource-limits.yaml and, from its folder, `groups/*.members`, `user-overrides.yaml`,
 * `lifecycle-exemptions.yaml` and `group-overrides.txt` when present. Throws {@link ConfigError} listing every
 * problem when anything is wrong; an unreadable or malformed exemptions file is only a warning (fail open).
 */
export async function loadLimits(path: string): Promise<LoadedLimits> {
  const problems: ConfigProblem[] = [];
  let limits: SourceText;
  try {
    limits = { file: path, text: await readFile(path, 'utf8') };
  } catch (err) {
    throw new ConfigError([unreadable(path, err, 'error')]);
  }
  const dir = dirname(path);
  const sources: LimitsSources = {
    limits,
    memberFiles: await readMemberFiles(join(dir, SIDE_FILES.membersDir), problems),
    userOverrides: await readOptional(join(dir, SIDE_FILES.userOverrides), problems, 'error'),
    lifecycleExemptions: await readOptional(join(dir, SIDE_FILES.lifecycleExemptions), problems, 'warning', '; no exemptions apply (fail open)'),
    groupOverrides: await readOptional(join(dir, SIDE_FILES.groupOverrides), problems, 'error'),
  };
  const parsed = parseLimits(sources);
  const all = [...problems, ...parsed.problems];
  if (parsed.config === null || all.some((p) => p.severity === 'error')) throw new ConfigError(all);
  const files = [
    limits.file,
    ...(sources.memberFiles ?? []).map((f) => f.file),
    ...[sources.userOverrides, sources.lifecycleExemptions, sources.groupOverrides].flatMap((s) => (s ? [s.file] : [])),
  ];
  return { config: parsed.config, warnings: all.filter((p) => p.severity === 'warning'), files };
}
