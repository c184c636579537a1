import { mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRules, type LoadOptions, type LoadResult, type RuleFileText } from './load.ts';
import type { RuleProblem } from './rule-problem.ts';
import { ruleJsonSchemaText } from './rule-schema.ts';

/** The JSON Schema's file name inside a rules folder; it is not a rules file. */
export const RULE_SCHEMA_FILE = 'rule.schema.json';

/** Is this file name a rules file? (`*.json`, but not `*.schema.json`.) */
export function isRuleFileName(name: string): boolean {
  return name.endsWith('.json') && !name.endsWith('.schema.json');
}

/** Names in a rules folder that are neither rules nor problems: the schema, docs, hidden entries (`..data` of a ConfigMap). */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.schema.json') || name.endsWith('.md');
}

const NOT_READ = 'not read: ';
const NOT_A_RULE_FILE = 'not a rule file (*.json); rule folders may hold only *.json rules, *.schema.json, *.md and hidden (.name) entries';

/** Why a folder entry that is not ignored cannot be read as a rule file, or null when it can (links followed). */
function whyNotRead(dir: string, name: string): string | null {
  if (!isRuleFileName(name)) {
    return name.toLowerCase().endsWith('.json') ? `rule files end in ".json" (lowercase); rename it to ${name.slice(0, -5)}.json` : NOT_A_RULE_FILE;
  }
  const path = join(dir, name);
  let target;
  try {
    target = statSync(path);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') return `cannot be read (${String((err as { code?: unknown }).code ?? err)})`;
    const link = readlinkSync(path);
    return `a symbolic link to ${resolve(dir, link)}, which does not exist`;
  }
  if (target.isDirectory()) return 'a folder (rule folders are not read recursively)';
  if (!target.isFile()) return 'not a regular file';
  return null;
}

/** A folder's rule files and the entries it could not read as rules. */
export interface RuleFolder {
  files: RuleFileText[];
  /** One per entry that is neither a rule file nor ignored (other case, other extension, dangling link, folder). */
  problems: RuleProblem[];
}

/**
 * Read the rules files of a folder: `*.json` (symbolic links followed), not recursive, sorted by name so load order
 * and messages are stable. `*.schema.json`, `*.md` and hidden (`.name`) entries are ignored; any other entry is a
 * problem naming it, never silently skipped. Paths are `dir/name`. Throws when the folder cannot be read.
 */
export function readRuleFiles(dir: string): RuleFolder {
  const names = readdirSync(dir).filter((name) => !isIgnoredName(name)).sort();
  const files: RuleFileText[] = [];
  const problems: RuleProblem[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const why = whyNotRead(dir, name);
    if (why === null) files.push({ path, text: readFileSync(path, 'utf8') });
    else problems.push({ file: path, ruleId: null, jsonPath: '$', message: `${NOT_READ}${why}` });
  }
  return { files, problems };
}

/** Read and load a rules folder (entries it cannot read are problems too). */
export function loadRulesDir(dir: string, options: LoadOptions = {}): LoadResult {
  const folder = readRuleFiles(dir);
  const loaded = loadRules(folder.files, options);
  return { rules: loaded.rules, problems: [...folder.problems, ...loaded.problems] };
}

/** Write the current JSON Schema to `dir/rule.schema.json`; returns the path written. */
export function writeRuleSchemaFile(dir: string | URL): string {
  mkdirSync(dir, { recursive: true });
  const path = dir instanceof URL ? new URL(RULE_SCHEMA_FILE, dir) : join(dir, RULE_SCHEMA_FILE);
  writeFileSync(path, ruleJsonSchemaText());
  return path instanceof URL ? path.pathname : path;
}
