/** How bad a config problem is: an error stops the load, a warning is reported and the load goes on. */
export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong (or worth knowing) about a config file, tied to a file, a line and a key path. */
export interface ConfigProblem {
  severity: ProblemSeverity;
  /** The file as the caller named it (e.g. `config/runtime/resource-limits.yaml`). */
  file: string;
  /** 1-based line, or null when the problem belongs to the whole file. */
  line: number | null;
  /** Dotted key path (`groups.student.max_gpu_equivalents`), or '' for the whole file. */
  keyPath: string;
  /** A plain sentence fragment: `unknown key (did you mean max_gpu_equivalents?)`. */
  message: string;
}

/** A path segment as zod and the YAML walker report it. */
export type PathSegment = string | number;

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `groups.student.max_cpus`, `user_overrides["h.baker@x.lan"].max_runtime_h`, `exemptions[0].expires_on`. */
export function formatKeyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_SEGMENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line: key.path: message` (line and key path left out when unknown). */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return p.keyPath === '' ? `${where}: ${p.message}` : `${where}: ${p.keyPath}: ${p.message}`;
}

/** Shorthand for building a problem. */
export function problem(
  severity: ProblemSeverity,
  file: string,
  line: number | null,
  path: readonly PathSegment[] | string,
  message: string,
): ConfigProblem {
  return { severity, file, line, keyPath: typeof path === 'string' ? path : formatKeyPath(path), message };
}

/** Problems grouped by file (in order of first appearance), each file's by line; stable otherwise. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const fileOrder = new Map<string, number>();
  problems.forEach((p) => fileOrder.has(p.file) || fileOrder.set(p.file, fileOrder.size));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (fileOrder.get(a.p.file) ?? 0) - (fileOrder.get(b.p.file) ?? 0) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** Thrown by the loader when a limits config has errors; `problems` holds every error and warning found. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super((errors.length > 0 ? errors : problems).map(formatProblem).join('\n'));
    this.problems = problems;
  }
}
