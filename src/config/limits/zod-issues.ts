import { z } from 'zod';
import { problem, sortProblems, type ConfigProblem, type PathSegment } from './config-problem.ts';
import { didYouMean } from './suggest.ts';
import { describeValue } from './values.ts';
import { lineOf, type YamlSource } from './yaml-source.ts';

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** The sub-schema that validates the value at `path`, or null when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | null {
  let s = unwrap(root);
  for (const seg of path) {
    if (s instanceof z.ZodObject) {
      const next = (s.shape as Record<string, z.ZodType | undefined>)[String(seg)];
      if (next === undefined) return null;
      s = unwrap(next);
    } else if (s instanceof z.ZodRecord) s = unwrap(s.valueType as z.ZodType);
    else if (s instanceof z.ZodArray) s = unwrap(s.element as z.ZodType);
    else return null;
  }
  return s;
}

/** The keys the schema allows at `path` (an object), or [] when it is not an object. */
export function knownKeysAt(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const s = schemaAt(root, path);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** True when the schema expects a mapping (an object or a record) at `path`. */
export function expectsMapping(root: z.ZodType, path: readonly PathSegment[]): boolean {
  const s = schemaAt(root, path);
  return s instanceof z.ZodObject || s instanceof z.ZodRecord;
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', record: 'a mapping' };

/** Options of {@link issuesToProblems}. */
export interface IssueContext {
  src: YamlSource;
  schema: z.ZodType;
  /** Shown before each key path (e.g. `user_overrides` for user-overrides.yaml). */
  prefix?: PathSegment[];
  severity?: ConfigProblem['severity'];
}

/** Turn zod issues into problems naming the file, the line and the key path, with "did you mean" for typos. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigProblem[] {
  const { src, schema } = ctx;
  const prefix = ctx.prefix ?? [];
  const severity = ctx.severity ?? 'error';
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path: PathSegment[] = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const at = (p: PathSegment[], message: string): void => {
      out.push(problem(severity, src.file, lineOf(src, p), [...prefix, ...p], message));
    };
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) at([...path, key], `unknown key${didYouMean(key, known)}`);
    } else if (issue.code === 'invalid_type') {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      at(path, `expected ${expected}, got ${describeValue(valueAt(src.value, path))}`);
    } else if (issue.code === 'invalid_key') {
      at(path, issue.issues[0]?.message ?? 'invalid key');
    } else {
      at(path, issue.message);
    }
  }
  return sortProblems(out);
}
