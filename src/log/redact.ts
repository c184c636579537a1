// What must never reach a log line, whoever wrote the message: bearer tokens, passwords, webhook URLs. Field values
// under a secret-sounding key are dropped whole; free text keeps its words with the secret parts replaced.

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Field names whose values are never logged (token, authorization, password, secret, cookie, webhook, api key). */
const SECRET_KEY = /token|authori[sz]ation|passw(or)?d|secret|cookie|webhook|api[-_]?key|credential/i;

/** `Bearer x` / `Basic x` credentials (8+ token characters, so "bearer token" is prose, not a secret). */
const AUTH_SCHEME = /\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;

/** `token=x`, `password=x` and the like (query strings, env lines): the name stays, the value goes. */
const SECRET_ASSIGNMENT = /\b(token|password|passwd|secret|api[-_]?key)=[^\s&"',;]+/gi;

/** An absolute URL: logged as scheme://host only (user info, path and query can hold a secret, e.g. a Slack webhook). */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@"'<>]*@)?([^\s/?#"'<>]*)([^\s"'<>]*)/gi;

/** A Slack webhook path on its own (`/services/T…/B…/…`). */
const WEBHOOK_PATH = /\/services\/[A-Za-z0-9_/-]+/g;

/** True when a field of this name must never be logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `text` with Bearer/Basic credentials, `token=`/`password=` values, URL paths and webhook paths replaced by [redacted]. */
export function redactText(text: string): string {
  return text
    .replace(AUTH_SCHEME, (_m, scheme: string, gap: string) => `${scheme}${gap}${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(URL_PATTERN, (_m, scheme: string, host: string, rest: string) => (rest === '' || rest === '/' ? `${scheme}${host}${rest}` : `${scheme}${host}/${REDACTED}`))
    .replace(WEBHOOK_PATH, REDACTED);
}
