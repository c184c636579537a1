// zod issues → located config problems, in the house style (`file:line: key.path: message`), never quoting a secret.
import type { z } from 'zod';
import { problem, sortProblems, type ConfigProblem, type PathSegment } from '../limits/config-problem.ts';
import { didYouMean } from '../limits/suggest.ts';
import { describeValue } from '../limits/values.ts';
import { knownKeysAt } from '../limits/zod-issues.ts';
import { lineOf, type YamlSource } from '../limits/yaml-source.ts';

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** What a value is, without saying what it holds (for secret keys). */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

/** Options of {@link schemaProblems}. */
export interface SchemaProblemOptions {
  /** Keys whose values are secrets: a wrong value is described by its kind only. */
  secretKeys?: ReadonlySet<string>;
  /** A sentence for keys people bring from elsewhere (`match` → "use matchers"), instead of "did you mean". */
  keyHints?: Readonly<Record<string, string>>;
}

/** Turn zod issues into problems with the file, the line, the key path and "did you mean" for misspelt keys. */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  src: YamlSource,
  schema: z.ZodType,
  options: SchemaProblemOptions = {},
): ConfigProblem[] {
  const secret = options.secretKeys ?? new Set<string>();
  const hints = options.keyHints ?? {};
  const pathOf = (issue: z.core.$ZodIssue): PathSegment[] => issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => JSON.stringify(pathOf(i))));
  const out: ConfigProblem[] = [];
  const at = (path: PathSegment[], message: string): void => {
    out.push(problem('error', src.file, lineOf(src, path), path, message));
  };
  for (const issue of issues) {
    const path = pathOf(issue);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
        at([...path, key], hint === undefined ? `unknown key${didYouMean(key, known)}` : `unknown key: ${hint}`);
      }
    } else if (issue.code === 'custom' && withUnknownKeys.has(JSON.stringify(path))) {
      // "needs one of webhook_url, ..." beside a misspelt key: the unknown key says it better.
    } else if (issue.code === 'invalid_type') {
      const value = valueAt(src.value, path);
      const last = path.at(-1);
      const isSecret = typeof last === 'string' && secret.has(last);
      if (value === undefined) at(path, 'is required');
      else at(path, `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${isSecret ? kindOf(value) : describeValue(value)}`);
    } else if (issue.code === 'invalid_key') {
      at(path, issue.issues[0]?.message ?? 'invalid key');
    } else {
      at(path, issue.message);
    }
  }
  return sortProblems(out);
}
