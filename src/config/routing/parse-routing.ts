// notifications.yaml text → RoutingConfig: YAML (with lines) → schema → route tree and receivers → secrets read.
import { ConfigError, problem, sortProblems, type ConfigProblem, type PathSegment } from '../limits/config-problem.ts';
import { lineOf, parseYamlSource, type YamlSource } from '../limits/yaml-source.ts';
import { buildReceivers } from './build-receivers.ts';
import { buildRoute, receiverFacts } from './build-route.ts';
import { KEY_HINTS, routingFileSchema, SECRET_KEYS } from './schema.ts';
import { schemaProblems } from './schema-problems.ts';
import type { SecretContext } from './secrets.ts';
import type { RoutingConfig } from './types.ts';

/** How parseRoutingConfig names the file and reads secrets (injected, so tests need no real files or env). */
export interface RoutingParseOptions extends SecretContext {
  /** The name used in messages (as the user gave it). */
  file: string;
}

/** Parse YAML text (1.2: `yes` stays a string) and stop at syntax errors, duplicate keys or `__proto__` keys. */
export function readYaml(text: string, file: string): YamlSource {
  const src = parseYamlSource(file, text, '1.2');
  const errors = src.problems.filter((p) => p.severity === 'error');
  // A `__proto__` key would be dropped by the object it lands in (a user, a rule id): refuse it instead.
  for (const e of src.entries) {
    if (e.path.at(-1) === '__proto__') errors.push(problem('error', file, e.line, e.path, 'reserved key: __proto__ cannot be used as a name'));
  }
  if (!src.ok || errors.length > 0) throw new ConfigError(sortProblems(errors));
  return src;
}

/** A problem reporter bound to one YAML source: key path → `file:line: key.path: message`. */
export function reporter(src: YamlSource, problems: ConfigProblem[]): (path: PathSegment[], message: string) => void {
  return (path, message) => problems.push(problem('error', src.file, lineOf(src, path), path, message));
}

/**
 * Parse and check a notifications.yaml; throws ConfigError listing every problem (file, line, key path), secrets
 * never quoted. Receiver secrets are read from `*_file` (relative to `baseDir`) or `*_env` and kept in memory only.
 */
export async function parseRoutingConfig(text: string, options: RoutingParseOptions): Promise<RoutingConfig> {
  const src = readYaml(text, options.file);
  if (src.value === null || src.value === undefined) {
    throw new ConfigError([problem('error', src.file, null, '', 'is empty: a routing config needs route: and receivers:')]);
  }
  const parsed = routingFileSchema.safeParse(src.value);
  if (!parsed.success) {
    throw new ConfigError(schemaProblems(parsed.error.issues, src, routingFileSchema, { secretKeys: SECRET_KEYS, keyHints: KEY_HINTS }));
  }
  const problems: ConfigProblem[] = [];
  const report = reporter(src, problems);
  const route = buildRoute(parsed.data.route, receiverFacts(parsed.data.receivers), report);
  const receivers = await buildReceivers(parsed.data.receivers, options, report, (path) => lineOf(src, path));
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));
  return { source: options.file, route, receivers, contact: parsed.data.contact?.trim() ?? null };
}
