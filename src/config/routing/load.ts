// The file-reading edge of the routing config: read notifications.yaml / users.yaml and hand the text to the parsers.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, problem } from '../limits/config-problem.ts';
import { parseRoutingConfig } from './parse-routing.ts';
import { parseUserDirectory } from './parse-users.ts';
import type { RoutingConfig, UserDirectory } from './types.ts';

/** Thrown by the loaders: every problem, each with file, line and key path. */
export { ConfigError } from '../limits/config-problem.ts';

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' ? 'no such file' : typeof code === 'string' ? code : 'unreadable';
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([problem('error', path, null, '', `cannot be read (${errorCode(err)})`)]);
  }
}

/**
 * Load notifications.yaml: the route tree and receivers, secrets read from `*_file` (relative to the file) or
 * `*_env` (from `env`). Throws ConfigError listing every problem; no message ever holds a secret.
 */
export async function loadRoutingConfig(path: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<RoutingConfig> {
  const text = await readConfigText(path);
  return parseRoutingConfig(text, { file: path, baseDir: dirname(resolve(path)), env, readTextFile: (p) => readFile(p, 'utf8') });
}

/**
 * Load notifications.yaml for a dry run (`routes test`): everything is checked but no secret is read, since routing
 * never depends on one (`*_env` need not be set, `*_file` need not exist). Receivers hold empty secrets: never send
 * with the result.
 */
export async function loadRoutingConfigForDryRun(path: string): Promise<RoutingConfig> {
  const text = await readConfigText(path);
  const refuse = (): Promise<string> => Promise.reject(new Error('a dry run reads no secret file'));
  return parseRoutingConfig(text, { file: path, baseDir: dirname(resolve(path)), env: {}, readTextFile: refuse, dryRun: true });
}

/**
 * Load users.yaml. With the routing config, the receivers it names must exist there and be of the right kind
 * (`default.email_receiver` an email receiver, slack receivers Slack ones). Throws ConfigError listing every problem.
 */
export async function loadUserDirectory(path: string, routing: RoutingConfig | null = null): Promise<UserDirectory> {
  return parseUserDirectory(await readConfigText(path), { file: path, routing });
}
