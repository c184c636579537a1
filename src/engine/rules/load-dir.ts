import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, type LoadOptions, type LoadResult, type RuleFileText } from './load.ts';
import { ruleJsonSchemaText } from './rule-schema.ts';

/** The JSON Schema's file name inside a rules folder; it is not a rules file. */
export const RULE_SCHEMA_FILE = 'rule.schema.json';

/** Is this file name a rules file? (`*.json`, but not `*.schema.json`.) */
export function isRuleFileName(name: string): boolean {
  return name.endsWith('.json') && !name.endsWith('.schema.json');
}

/**
 * Read the rules files of a folder (`*.json` except `*.schema.json`, not recursive), sorted by name so load
 * order and messages are stable. Paths in the result are `dir/name`. Throws when the folder cannot be read.
 */
export function readRuleFiles(dir: string): RuleFileText[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && isRuleFileName(e.name))
    .map((e) => e.name)
    .sort();
  return names.map((name) => {
    const path = join(dir, name);
    return { path, text: readFileSync(path, 'utf8') };
  });
}

/** Read and load a rules folder. */
export function loadRulesDir(dir: string, options: LoadOptions = {}): LoadResult {
  return loadRules(readRuleFiles(dir), options);
}

/** Write the current JSON Schema to `dir/rule.schema.json`; returns the path written. */
export function writeRuleSchemaFile(dir: string | URL): string {
  mkdirSync(dir, { recursive: true });
  const path = dir instanceof URL ? new URL(RULE_SCHEMA_FILE, dir) : join(dir, RULE_SCHEMA_FILE);
  writeFileSync(path, ruleJsonSchemaText());
  return path instanceof URL ? path.pathname : path;
}
