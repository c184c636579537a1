/** One problem in a config file, located by file, line (1-based; null when unknown) and dotted key path. */
export interface ConfigProblem {
  file: string;
  line: number | null;
  path: string;
  message: string;
}

/** `gpuwarden.yaml:7: hosts.ds01.tokn_sha256: unknown key` */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/** Every problem found while loading one config file; the message lists them all, one per line. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}
