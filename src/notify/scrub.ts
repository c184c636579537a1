// Secrets never leave a notifier: every error text goes through here before it reaches a SendResult, a log line or
// an API response.

const REDACTED = '[redacted]';

/** base64 of a string's UTF-8 bytes, without node:buffer (this file stays runtime-neutral). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The forms a secret can take inside a library's error text: as is, URL-encoded, JSON-escaped, base64. */
function variants(secret: string): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), base64Utf8(secret)]);
  try {
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURI(secret));
  } catch {
    // a lone surrogate cannot be URL-encoded: the raw form is still replaced
  }
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** Any absolute URL (`scheme://…`) and any Slack webhook path (`/services/T…/B…/…`): redacted even when not listed. */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
const WEBHOOK_PATH_PATTERN = /\/services\/[A-Za-z0-9_/-]+/g;

/**
 * Replaces every given secret (and its encoded forms), every URL and every Slack webhook path in `text` with
 * `[redacted]`. Empty secrets are ignored.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of variants(secret)) out = out.split(form).join(REDACTED);
  }
  return out.replace(URL_PATTERN, REDACTED).replace(WEBHOOK_PATH_PATTERN, REDACTED);
}

/** One line of at most `max` characters (control characters and line breaks become spaces); cut only scrubbed text. */
export function oneLineExcerpt(text: string, max: number): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
