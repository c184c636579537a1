import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { TokenHash } from '../../server/auth.ts';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { serviceConfigFileSchema, type ServiceConfigFile } from './schema.ts';
import { serviceDefaultPaths } from './default-paths.ts';
import { resolveStoreSpec, SERVICE_DEFAULTS, type ServiceConfig, type ServiceDefaultPaths } from './service-config.ts';
import { lineOf, reservedKeys } from './yaml-locate.ts';
import { resolveLocalProbeConfig } from './local-probe-config.ts';

/** The shortest token a token_file may hold (`gpuwarden token new` makes 64 hex characters). */
export const MIN_TOKEN_FILE_LENGTH = 32;

/** How parseServiceConfig names the file, resolves paths and reads token files (injected for tests). */
export interface ParseOptions {
  /** The name used in messages (as the user gave it). */
  file: string;
  /** Folder that relative paths written in the file are resolved against (the file's folder). */
  baseDir: string;
  /** What keys left out default to (absolute paths: the package's rule pack and limits, the state folder's store). */
  defaults: ServiceDefaultPaths;
  readTextFile: (absolutePath: string) => Promise<string>;
}

/**
 * Load and check gpuwarden.yaml; throws ConfigError listing every problem with its line and key path. Paths written
 * in the file are relative to it (`file` itself to `cwd`); keys left out take `defaults`, as without a config file.
 */
export async function loadServiceConfig(
  file: string,
  cwd: string = process.cwd(),
  defaults: ServiceDefaultPaths = serviceDefaultPaths(),
): Promise<ServiceConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: null, path: '', message: `cannot read the config file (${errorCode(err)})` }]);
  }
  return parseServiceConfig(text, { file, baseDir: dirname(resolve(cwd, file)), defaults, readTextFile: (p) => readFile(p, 'utf8') });
}

/** Parse and check the text of a gpuwarden.yaml (see loadServiceConfig). */
export async function parseServiceConfig(text: string, options: ParseOptions): Promise<ServiceConfig> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = (path: readonly PropertyKey[], message: string, key?: string): ConfigProblem => ({
    file: options.file,
    line: lineOf(doc, lineCounter, path, key),
    path: [...path, ...(key === undefined ? [] : [key])].map(String).join('.'),
    message,
  });

  const syntax = [...doc.errors, ...doc.warnings].map((e) => ({
    file: options.file,
    line: lineCounter.linePos(e.pos[0]).line,
    path: '',
    message: e.code === 'DUPLICATE_KEY' ? `duplicate key "${keyAt(text, e.pos[0])}"` : e.message,
  }));
  if (syntax.length > 0) throw new ConfigError(syntax);

  const reserved = reservedKeys(doc, lineCounter).map((r) => ({ ...problem(r.path, 'reserved key'), line: r.line }));
  let value: unknown;
  try {
    value = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch {
    // yaml throws only for excessive alias expansion here (syntax errors were reported above).
    throw new ConfigError([{ file: options.file, line: null, path: '', message: 'the file expands its aliases too many times (a YAML bomb?)' }]);
  }
  const parsed = serviceConfigFileSchema.safeParse(value);
  const schemaProblems: ConfigProblem[] = [...reserved];
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.join('\0')));
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) schemaProblems.push(problem(issue.path, 'unknown key', key));
      } else if (issue.code === 'invalid_key') {
        schemaProblems.push(problem(issue.path, issue.issues[0]?.message ?? issue.message));
      } else if (issue.code === 'custom' && withUnknownKeys.has(issue.path.join('\0'))) {
        // "needs exactly one of token_sha256 or token_file" beside a misspelt key: the unknown key says it better.
      } else if (issue.code === 'invalid_type') {
        const missing = !doc.hasIn(issue.path);
        schemaProblems.push(problem(issue.path, missing ? 'is required' : wrongType(issue.expected, valueAt(value, issue.path))));
      } else {
        schemaProblems.push(problem(issue.path, issue.message));
      }
    }
  }
  if (schemaProblems.length > 0 || !parsed.success) throw new ConfigError(sortProblems(schemaProblems));
  return resolveConfig(parsed.data, options, problem);
}

async function resolveConfig(
  raw: ServiceConfigFile,
  options: ParseOptions,
  problem: (path: readonly PropertyKey[], message: string) => ConfigProblem,
): Promise<ServiceConfig> {
  const problems: ConfigProblem[] = [];
  const at = (p: string): string => resolve(options.baseDir, p);
  const written = (value: string | undefined, fallback: string): string => (value === undefined ? fallback : at(value));

  const tokenHash = async (path: PropertyKey[], entry: { token_sha256?: string; token_file?: string }): Promise<string | null> => {
    if (entry.token_sha256 !== undefined) return entry.token_sha256;
    const file = at(entry.token_file ?? '');
    let token: string;
    try {
      token = (await options.readTextFile(file)).trim();
    } catch (err) {
      problems.push(problem([...path, 'token_file'], `cannot read ${file} (${errorCode(err)})`));
      return null;
    }
    if (token.length < MIN_TOKEN_FILE_LENGTH) {
      problems.push(problem([...path, 'token_file'], `the token in ${file} is shorter than ${MIN_TOKEN_FILE_LENGTH} characters`));
      return null;
    }
    return createHash('sha256').update(token, 'utf8').digest('hex');
  };

  const seen = new Map<string, string>();
  const claim = (hash: string | null, path: PropertyKey[], who: string): TokenHash[] => {
    if (hash === null) return [];
    const owner = seen.get(hash);
    if (owner !== undefined) {
      problems.push(problem(path, `uses the same token as ${owner}: every host and admin needs its own`));
      return [];
    }
    seen.set(hash, path.map(String).join('.'));
    return [{ name: who, tokenSha256: hash }];
  };

  const hosts: TokenHash[] = [];
  for (const [name, entry] of Object.entries(raw.hosts ?? {})) {
    hosts.push(...claim(await tokenHash(['hosts', name], entry), ['hosts', name], name));
  }
  const admins: TokenHash[] = [];
  const adminNames = new Set<string>();
  for (const [i, entry] of (raw.admins ?? []).entries()) {
    if (adminNames.has(entry.name)) problems.push(problem(['admins', i, 'name'], `admin "${entry.name}" is listed twice`));
    adminNames.add(entry.name);
    admins.push(...claim(await tokenHash(['admins', i], entry), ['admins', i], entry.name));
  }
  const scrapers: TokenHash[] = [];
  const scraperNames = new Set<string>();
  for (const [i, entry] of (raw.scrapers ?? []).entries()) {
    if (scraperNames.has(entry.name)) problems.push(problem(['scrapers', i, 'name'], `scraper "${entry.name}" is listed twice`));
    scraperNames.add(entry.name);
    scrapers.push(...claim(await tokenHash(['scrapers', i], entry), ['scrapers', i], entry.name));
  }
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));

  return {
    source: options.file,
    listen: { host: raw.listen?.host ?? SERVICE_DEFAULTS.listen.host, port: raw.listen?.port ?? SERVICE_DEFAULTS.listen.port },
    store: raw.store === undefined ? options.defaults.store : resolveStoreSpec(raw.store, options.baseDir),
    auth: { hosts, admins, ...(scrapers.length === 0 ? {} : { scrapers }) },
    limitsPath: written(raw.limits, options.defaults.limitsPath),
    rulesDir: written(raw.rules, options.defaults.rulesDir),
    notificationsPath: raw.notifications === undefined ? null : resolve(options.baseDir, raw.notifications),
    usersPath: raw.users === undefined ? null : resolve(options.baseDir, raw.users),
    probeIntervalS: raw.probe_interval_s ?? SERVICE_DEFAULTS.probeIntervalS,
    hostSilentAfterIntervals: raw.host_silent_after_intervals ?? SERVICE_DEFAULTS.hostSilentAfterIntervals,
    fairShareHalfLifeH: raw.fair_share_half_life_h ?? SERVICE_DEFAULTS.fairShareHalfLifeH,
    tickIntervalS: raw.tick_interval_s ?? SERVICE_DEFAULTS.tickIntervalS,
    maxClockSkewS: raw.max_clock_skew_s ?? SERVICE_DEFAULTS.maxClockSkewS,
    sourceUnavailableResolveAfterM: raw.source_unavailable_resolve_after_m ?? SERVICE_DEFAULTS.sourceUnavailableResolveAfterM,
    maxSnapshotAgeH: raw.max_snapshot_age_h ?? SERVICE_DEFAULTS.maxSnapshotAgeH,
    bodyLimitBytes: raw.body_limit_bytes ?? SERVICE_DEFAULTS.bodyLimitBytes,
    publicUrl: raw.public_url ?? null,
    enforcementGraceS: raw.enforcement?.grace_s ?? SERVICE_DEFAULTS.enforcementGraceS,
    enforcementLifetimeS: raw.enforcement?.lifetime_s ?? SERVICE_DEFAULTS.enforcementLifetimeS,
    ...(raw.log === undefined ? {} : { log: { ...(raw.log.level === undefined ? {} : { level: raw.log.level }), ...(raw.log.format === undefined ? {} : { format: raw.log.format }) } }),
    ...(raw.local_probe === undefined ? {} : { localProbe: resolveLocalProbeConfig(raw.local_probe, options.baseDir) }),
  };
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
};

/** The key written at an offset (for yaml's DUPLICATE_KEY, which points at the key's first character). */
function keyAt(text: string, offset: number): string {
  return (/^[^:\n]*/.exec(text.slice(offset))?.[0] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
}

/** "must be a number, not a string", in YAML words. */
function wrongType(expected: string, actual: unknown): string {
  if (expected === 'int' && typeof actual === 'number') return 'must be a whole number';
  const got =
    actual === null || actual === undefined
      ? 'empty'
      : Array.isArray(actual)
        ? 'a list'
        : typeof actual === 'object'
          ? 'a mapping'
          : typeof actual === 'boolean'
            ? actual.toString()
            : `a ${typeof actual}`;
  return `must be ${EXPECTED[expected] ?? expected}, not ${got}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
