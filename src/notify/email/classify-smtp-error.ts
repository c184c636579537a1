// Whether a failed SMTP delivery is worth retrying, from nodemailer's error fields (code, responseCode, response).
import { oneLineExcerpt } from '../scrub.ts';
import type { SendResult } from '../types.ts';

/** A failed send as data; `error` holds texts scrubbed by the caller's `scrub` before they were cut to length. */
export type SmtpFailure = Extract<SendResult, { ok: false }>;

/** Network-level nodemailer codes: the server may well answer next time. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Configuration or content problems: the same message and settings fail the same way again. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS']);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null && name in err ? (err as Record<string, unknown>)[name] : undefined;
}

/**
 * SMTP reply codes decide first (RFC 5321: 4yz transient, 5yz permanent; 503 "bad sequence" is a session problem a new
 * connection can fix, as nodemailer treats it); then nodemailer's error code; anything unknown is retried. Quoted
 * server and library texts go through `scrub` before they are cut to length (a secret across the cut would leak).
 */
export function classifySmtpError(err: unknown, scrub: (text: string) => string = (text) => text): SmtpFailure {
  const code = typeof field(err, 'code') === 'string' ? (field(err, 'code') as string) : null;
  const original = typeof field(err, 'originalCode') === 'string' ? (field(err, 'originalCode') as string) : null;
  const responseCode = typeof field(err, 'responseCode') === 'number' ? (field(err, 'responseCode') as number) : null;
  const response = typeof field(err, 'response') === 'string' ? oneLineExcerpt(scrub(field(err, 'response') as string), 200) : null;
  const command = typeof field(err, 'command') === 'string' ? (field(err, 'command') as string) : null;
  const message = oneLineExcerpt(scrub(err instanceof Error ? err.message : String(err)), 200);
  const during = command !== null && command !== 'API' && command !== 'CONN' ? ` (${command.replace(/^AUTH .*/, 'AUTH')})` : '';

  if (responseCode !== null && responseCode >= 400 && responseCode <= 599) {
    const retry = responseCode < 500 || responseCode === 503;
    const kind = code === 'EAUTH' ? 'authentication failed: ' : '';
    return { ok: false, retry, retryAfterMs: null, error: `email: ${kind}SMTP ${response ?? String(responseCode)}${during}` };
  }
  if (code === 'ETIMEDOUT') return { ok: false, retry: true, retryAfterMs: null, error: `email: the SMTP server did not answer in time${during}` };
  if (code !== null && (TRANSIENT_CODES.has(code) || (original !== null && TRANSIENT_CODES.has(original)))) {
    return { ok: false, retry: true, retryAfterMs: null, error: `email: connection failed (${original ?? code}): ${message}` };
  }
  if (code !== null && PERMANENT_CODES.has(code)) {
    return { ok: false, retry: false, retryAfterMs: null, error: `email: ${code === 'EAUTH' || code === 'ENOAUTH' ? 'authentication failed' : code}: ${message}` };
  }
  return { ok: false, retry: true, retryAfterMs: null, error: `email: ${code !== null ? `${code}: ` : ''}${message}` };
}
