import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Pair, type ScalarTag, type SchemaOptions, type YAMLMap } from 'yaml';
import { problem, type ConfigProblem, type PathSegment } from './config-problem.ts';

/** A YAML file parsed with its positions kept, so every later problem can name its line. */
export interface YamlSource {
  file: string;
  /** The plain value (`toJS`), or null when the text is not YAML. */
  value: unknown;
  /** False when the text had YAML syntax errors (then `value` is not to be trusted). */
  ok: boolean;
  /** Syntax errors, duplicate keys, and YAML warnings. */
  problems: ConfigProblem[];
  /** Every mapping key (and sequence item) present in the file, in order. */
  entries: YamlEntry[];
  doc: Document;
  lineCounter: LineCounter;
}

/** One key present in a YAML file: its path, the line of the key, and what its value is. */
export interface YamlEntry {
  path: PathSegment[];
  line: number;
  kind: 'map' | 'seq' | 'scalar' | 'null';
}

const BOOL_TAG = 'tag:yaml.org,2002:bool';
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

type TagList = Extract<NonNullable<SchemaOptions['customTags']>, unknown[]>;

/** PyYAML's YAML 1.1 booleans: like the spec's, but a bare `y` / `n` stays a string. */
function pyyamlBooleans(tags: TagList): TagList {
  const isBool = (t: TagList[number]): t is ScalarTag => typeof t === 'object' && t.tag === BOOL_TAG && t.collection === undefined;
  return tags.map((t) => (isBool(t) ? { ...t, test: t.identify?.(true) === true ? PYYAML_TRUE : PYYAML_FALSE } : t));
}

function lineAt(lc: LineCounter, node: unknown): number | null {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range === undefined ? null : lc.linePos(range[0]).line;
}

function keyText(key: unknown): string {
  if (!isScalar(key)) return String(key);
  const v = key.value;
  if (typeof v === 'symbol') return v.description ?? ''; // the YAML 1.1 merge key `<<`
  return v === null ? '' : String(v);
}

function kindOf(node: unknown, doc: Document): YamlEntry['kind'] {
  const n = resolved(node, doc);
  if (isMap(n)) return n.items.length === 0 ? 'null' : 'map';
  if (isSeq(n)) return 'seq';
  if (n === null || n === undefined || (isScalar(n) && n.value === null)) return 'null';
  return 'scalar';
}

function resolved(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The pairs a `<<` merge key brings in (one alias, or a list of them), first source first. */
function mergedPairs(map: YAMLMap, doc: Document): Pair[] {
  return map.items
    .filter((p) => keyText(p.key) === '<<')
    .flatMap((p) => {
      const v = resolved(p.value, doc);
      const sources = isSeq(v) ? v.items.map((i) => resolved(i, doc)) : [v];
      return sources.flatMap((m) => (isMap(m) ? m.items : []));
    });
}

function walk(src: YamlSource, node: unknown, path: PathSegment[], stack: Set<unknown>): void {
  const { lineCounter: lc, doc } = src;
  const n = resolved(node, doc);
  if (stack.has(n)) return;
  stack.add(n);
  if (isMap(n)) {
    const seen = new Map<string, number>();
    const visit = (pair: Pair, merged: boolean): void => {
      const key = keyText(pair.key);
      if (key === '<<' || (merged && seen.has(key))) return;
      const line = lineAt(lc, pair.key) ?? lineAt(lc, pair.value) ?? 1;
      const keyPath = [...path, key];
      const first = seen.get(key);
      if (first !== undefined) {
        src.problems.push(problem('error', src.file, line, keyPath, `duplicate key (first defined on line ${first})`));
      } else seen.set(key, line);
      src.entries.push({ path: keyPath, line, kind: kindOf(pair.value, doc) });
      walk(src, pair.value, keyPath, stack);
    };
    n.items.forEach((pair) => visit(pair, false));
    mergedPairs(n, doc).forEach((pair) => visit(pair, true));
  } else if (isSeq(n)) {
    n.items.forEach((item, i) => {
      const line = lineAt(lc, item) ?? 1;
      src.entries.push({ path: [...path, i], line, kind: kindOf(item, doc) });
      walk(src, item, [...path, i], stack);
    });
  }
  stack.delete(n);
}

/**
 * Parse YAML text the way DS01's PyYAML `safe_load` reads it (YAML 1.1: `yes`/`on` are booleans, `<<` merge
 * keys), keeping positions; `version: '1.2'` keeps timestamps as text. Never throws: syntax errors and duplicate keys
 * become problems.
 */
export function parseYamlSource(file: string, text: string, version: '1.1' | '1.2' = '1.1'): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version,
    uniqueKeys: false,
    prettyErrors: false,
    ...(version === '1.1' ? { customTags: pyyamlBooleans } : {}),
  });
  const src: YamlSource = { file, value: null, ok: doc.errors.length === 0, problems: [], entries: [], doc, lineCounter };
  for (const e of doc.errors) {
    const line = lineCounter.linePos(e.pos[0]).line;
    src.problems.push(problem('error', file, line, '', `not valid YAML: ${e.message.split('\n')[0] ?? e.message}`));
  }
  for (const w of doc.warnings) {
    src.problems.push(problem('warning', file, lineCounter.linePos(w.pos[0]).line, '', w.message.split('\n')[0] ?? w.message));
  }
  if (!src.ok) return src;
  try {
    src.value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    src.ok = false;
    src.problems.push(problem('error', file, null, '', `cannot be read as data: ${(err as Error).message}`));
    return src;
  }
  walk(src, doc.contents, [], new Set());
  return src;
}

/** Line of the key (or sequence item) at `path`; the deepest existing ancestor's line when the key is absent. */
export function lineOf(src: YamlSource, path: readonly PathSegment[]): number | null {
  let node: unknown = src.doc.contents;
  let line = lineAt(src.lineCounter, node);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(src.doc);
    if (isMap(node)) {
      const pair = node.items.filter((p) => keyText(p.key) === String(seg)).at(-1) ?? mergedPairs(node, src.doc).find((p) => keyText(p.key) === String(seg));
      if (pair === undefined) break;
      line = lineAt(src.lineCounter, pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      if (item === undefined) break;
      line = lineAt(src.lineCounter, item) ?? line;
      node = item;
    } else break;
  }
  return line;
}
