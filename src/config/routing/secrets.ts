// Secrets of receivers (webhook URLs, SMTP passwords): inline, from a file, or from the environment. Messages name
// the variable or the file, never the value.
import { resolvePosixPath } from './posix-path.ts';

/** Where the parser reads files and environment variables from (injected for tests). */
export interface SecretContext {
  /** Folder that relative `*_file` paths are resolved against (the config file's folder). */
  baseDir: string;
  env: Readonly<Record<string, string | undefined>>;
  readTextFile: (absolutePath: string) => Promise<string>;
  /**
   * Set where secrets cannot come from files (Workers): the sentence a `*_file` key is refused with, given the
   * `*_env` key to use instead. Checked before anything is read.
   */
  filesRefused?: (envKey: string) => string;
  /**
   * A dry run (`routes test`, like `amtool config routes test`): routing never depends on a secret, so `*_env` and
   * `*_file` secrets are not read; they resolve to an empty value marked `unread`. Inline values are used as written.
   */
  dryRun?: boolean;
}

/** A resolved secret with the key it came from (`webhook_url_file`), or the key to blame and a sentence. */
export type SecretResult =
  | { ok: true; value: string; key: string; origin: string; unread?: true }
  | { ok: false; key: string; message: string };

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' ? 'no such file' : typeof code === 'string' ? code : 'unreadable';
}

/**
 * Read the secret `key` of a config entry from `key` (inline), `key_file` or `key_env` (the schema has checked that
 * exactly one is given). A file's value loses surrounding whitespace when `trim`, else only its final line break.
 * `origin` says where it came from for later messages (`the file /etc/x.url`, `environment variable SLACK_URL`).
 */
export async function resolveSecret(
  key: string,
  entry: Readonly<Record<string, unknown>>,
  ctx: SecretContext,
  trim: boolean,
): Promise<SecretResult> {
  const inline = entry[key];
  if (typeof inline === 'string') return { ok: true, value: trim ? inline.trim() : inline, key, origin: key };
  const envKey = `${key}_env`;
  const envName = entry[envKey];
  if (ctx.dryRun === true && (typeof envName === 'string' || typeof entry[`${key}_file`] === 'string')) {
    const fileKey = `${key}_file`;
    const given = typeof envName === 'string' ? envKey : fileKey;
    return { ok: true, value: '', key: given, origin: secretSource(key, entry), unread: true };
  }
  if (typeof envName === 'string') {
    const value = Object.hasOwn(ctx.env, envName) ? ctx.env[envName] : undefined;
    if (value === undefined) return { ok: false, key: envKey, message: `environment variable ${envName} is not set` };
    const v = trim ? value.trim() : value;
    if (v === '') return { ok: false, key: envKey, message: `environment variable ${envName} is empty` };
    return { ok: true, value: v, key: envKey, origin: `environment variable ${envName}` };
  }
  const fileKey = `${key}_file`;
  const file = entry[fileKey];
  if (typeof file !== 'string') return { ok: false, key, message: `needs one of ${key}, ${fileKey} or ${envKey}` };
  // A URL pasted where the file name goes: naming "the file" would print the secret.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return { ok: false, key: fileKey, message: 'is a URL, not a file path: write the URL into a file and name that file here' };
  if (ctx.filesRefused !== undefined) return { ok: false, key: fileKey, message: ctx.filesRefused(envKey) };
  const path = file.startsWith('/') ? file : resolvePosixPath(ctx.baseDir, file);
  let text: string;
  try {
    text = await ctx.readTextFile(path);
  } catch (err) {
    return { ok: false, key: fileKey, message: `cannot read ${path} (${errorCode(err)})` };
  }
  const v = trim ? text.trim() : text.replace(/\r?\n$/, '');
  if (v === '') return { ok: false, key: fileKey, message: `${path} is empty` };
  return { ok: true, value: v, key: fileKey, origin: `the file ${path}` };
}

/**
 * Where a secret comes from, as written in the config (`webhook_url_env GPUWARDEN_SLACK_URL`, `webhook_url_file
 * slack.url`, `webhook_url inline`): what a dry run shows instead of the value.
 */
export function secretSource(key: string, entry: Readonly<Record<string, unknown>>): string {
  for (const k of [`${key}_env`, `${key}_file`]) {
    const v = entry[k];
    if (typeof v === 'string') return `${k} ${v}`;
  }
  return `${key} inline`;
}

/** Whether a webhook URL looks usable: http(s), a host, no spaces (checked without ever quoting it). */
export function isWebhookUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
