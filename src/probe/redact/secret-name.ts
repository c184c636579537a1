// Does an option or variable name say it holds a secret? Word-part matching, so `--wandb-api-key` and
// `PGPASSWORD` do and `--keyframe-interval`, `--monkey` and `--max-tokens` do not.

/** Parts that name a secret wherever they stand (`--db-password`, `--client-secret-value`, `--credentials-json`). */
const STRONG_PARTS = new Set([
  'secret', 'secrets', 'password', 'passwords', 'passwd', 'authorization', 'credential', 'credentials', 'apikey',
  'passphrase', 'accesskey', 'secretkey', 'privatekey',
]);

/**
 * Parts that name a secret only as the last word (`--hf_token`, `--api-key`, `--auth`, `DB_PWD`), so
 * `--key-dim 64`, `--token-budget 100` and `--auth-type basic` keep their values.
 */
const WEAK_PARTS = new Set(['key', 'token', 'auth', 'pwd']);

/** One-word names ending in a secret word: `PGPASSWORD`, `MYTOKEN`, `HFTOKEN`, `OPENAIAPIKEY`. */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'credential', 'credentials', 'passphrase'];

/** One-word names starting with one: `PASSWORDFILE`, `APIKEYS`. (`secret…`/`token…` would catch `tokenizer`.) */
const SECRET_PREFIXES = ['password', 'passwd', 'apikey'];

/** A first part that negates the option (`--no-token`, `--disable-auth`): a switch, never a secret. */
const NEGATIONS = new Set(['no', 'disable', 'without', 'skip']);

/** Split a name into lower-case word parts on `-`, `_`, `.`, `:`, `/` and camelCase boundaries (`keyStorePassword` → key, store, password). */
export function nameParts(name: string): string[] {
  return name
    .replace(/^[-+~]+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s\-_.:/]+/)
    .filter((p) => p !== '')
    .map((p) => p.toLowerCase());
}

function isStrongPart(part: string): boolean {
  if (STRONG_PARTS.has(part)) return true;
  const longer = (w: string): boolean => part.length > w.length;
  return SECRET_SUFFIXES.some((w) => longer(w) && part.endsWith(w)) || SECRET_PREFIXES.some((w) => longer(w) && part.startsWith(w));
}

/**
 * True when an option or variable name says its value is a secret: a part secret/password/passwd/credential(s)/
 * apikey/passphrase or the pair api+key anywhere (also inside one word: `PGPASSWORD`, `MYTOKEN`), or
 * key/token/auth/pwd as the last part.
 */
export function isSecretName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0 || NEGATIONS.has(parts[0] ?? '')) return false;
  const lastPart = parts[parts.length - 1] ?? '';
  const apiKey = parts.some((p, i) => p === 'api' && parts[i + 1] === 'key');
  return WEAK_PARTS.has(lastPart) || apiKey || parts.some(isStrongPart);
}
