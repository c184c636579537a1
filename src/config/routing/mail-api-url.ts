// The URL of an HTTP mail API (`email.http_api.url`): HTTPS, or plain HTTP on loopback only (tests, a local relay).

/** Host names plain http:// is allowed for: this machine only. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why a mail API URL cannot be used (a sentence that never quotes it), or null when it can. */
export function mailApiUrlProblem(value: string): string | null {
  const notHttps = 'must be an https:// URL (http:// only for 127.0.0.1 or localhost, a local relay)';
  if (/\s/.test(value)) return notHttps;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return notHttps;
  }
  if (url.hostname === '') return notHttps;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return notHttps;
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password (user:pass@): give the token with token_env:';
  return null;
}

/** Whether `value` is a usable mail API URL: https://, or http:// to 127.0.0.1, localhost or [::1]. */
export function isMailApiUrl(value: string): boolean {
  return mailApiUrlProblem(value) === null;
}
