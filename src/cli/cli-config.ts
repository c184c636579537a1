// Where the admin commands (alerts, silence, grant, actions) find the service and the admin token when no flag says:
// --url / --token-file, then $GPUWARDEN_URL / $GPUWARDEN_TOKEN_FILE, then url: / token_file: in the CLI config file
// ($XDG_CONFIG_HOME/gpuwarden/cli.yaml, default ~/.config/gpuwarden/cli.yaml).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, problem } from '../config/limits/config-problem.ts';
import { readYaml } from '../config/routing/parse-routing.ts';
import { schemaProblems } from '../config/routing/schema-problems.ts';
import { UsageError } from './usage-error.ts';

/** The CLI config file's keys: both optional, nothing else allowed (a typo must not be ignored). */
export const cliConfigSchema = z.strictObject({
  url: z.string().min(1, 'must not be empty').optional(),
  token_file: z.string().min(1, 'must not be empty').optional(),
});

/** The service URL and the admin token file the admin commands use. */
export interface AdminConnection {
  url: string;
  /** Where the URL was found: `--url`, `GPUWARDEN_URL` or the config file's path with `url:`. */
  urlFrom: string;
  tokenFile: string;
}

/** The CLI config file for this environment: $XDG_CONFIG_HOME/gpuwarden/cli.yaml, else $HOME/.config/…; null without either. */
export function cliConfigPath(env: NodeJS.ProcessEnv): string | null {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'gpuwarden', 'cli.yaml');
  const home = env.HOME;
  if (home === undefined || home === '') return null;
  return join(home, '.config', 'gpuwarden', 'cli.yaml');
}

/**
 * Read the CLI config file: `{}` when it does not exist; ConfigError naming the file, line and key for anything
 * else wrong. A relative token_file is taken relative to the file's folder.
 */
export async function loadCliConfig(path: string): Promise<{ url?: string; tokenFile?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    throw new ConfigError([problem('error', path, null, '', `cannot be read (${code ?? 'unreadable'})`)]);
  }
  const src = readYaml(text, path);
  const parsed = cliConfigSchema.safeParse(src.value ?? {});
  if (!parsed.success) throw new ConfigError(schemaProblems(parsed.error.issues, src, cliConfigSchema));
  const { url, token_file: tokenFile } = parsed.data;
  return { ...(url === undefined ? {} : { url }), ...(tokenFile === undefined ? {} : { tokenFile: resolve(dirname(path), tokenFile) }) };
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The URL and token file to use: the flag, else the environment variable, else the CLI config file (read only when
 * a value is still missing). UsageError saying every place it can be set when one is missing; ConfigError for a
 * broken config file.
 */
export async function adminConnection(flags: { url?: string; tokenFile?: string }, env: NodeJS.ProcessEnv): Promise<AdminConnection> {
  let url = present(flags.url) ?? present(env.GPUWARDEN_URL);
  let urlFrom = present(flags.url) === undefined ? 'GPUWARDEN_URL' : '--url';
  let tokenFile = present(flags.tokenFile) ?? present(env.GPUWARDEN_TOKEN_FILE);
  const path = cliConfigPath(env);
  if ((url === undefined || tokenFile === undefined) && path !== null) {
    const file = await loadCliConfig(path);
    if (url === undefined && file.url !== undefined) {
      url = file.url;
      urlFrom = `url: in ${path}`;
    }
    tokenFile ??= file.tokenFile;
  }
  const where = path === null ? 'the CLI config (set HOME or XDG_CONFIG_HOME)' : path;
  if (url === undefined) {
    throw new UsageError(`no service URL: give --url URL (such as http://127.0.0.1:8787), set GPUWARDEN_URL, or put url: in ${where}`);
  }
  if (tokenFile === undefined) {
    throw new UsageError(`no admin token file: give --token-file F, set GPUWARDEN_TOKEN_FILE, or put token_file: in ${where}`);
  }
  return { url, urlFrom, tokenFile };
}
