// Email through an HTTP mail API with the platform's fetch alone, so it runs on Node and on Workers (no raw TCP).
// One POST of Resend's JSON shape (`{from, to, subject, text, html}`, `Authorization: Bearer <token>`); any endpoint
// taking that shape works (Resend, or a small relay in front of another provider). No retries here (the outbox
// retries), Retry-After honoured, redirects not followed, and the token in no error text.
import { classifyHttpStatus, classifyRequestError, redirectFailure, type HttpTarget } from '../http/classify-http.ts';
import { parseRetryAfterMs } from '../http/retry-after.ts';
import type { DestinationOf, Notifier, RenderedMessage } from '../notifier.ts';
import { scrubSecrets } from '../scrub.ts';
import type { SendResult } from '../types.ts';

/** Default bound on one request to the mail API (connect, send, answer). */
export const DEFAULT_HTTP_MAIL_TIMEOUT_MS = 10_000;

/** The settings of one mail API receiver; `token` is a secret (never log it). */
export interface HttpMailConfig {
  transport: 'http_api';
  /** The endpoint that takes the JSON, e.g. `https://api.resend.com/emails`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Sender address, e.g. `gpuwarden <gpuwarden@example.org>`. */
  from: string;
  /** Whole request (connect, send, answer) must finish within this. */
  timeoutMs: number;
}

/** The fetch this notifier calls (the platform's by default; the Worker's tests pass their own). */
export type MailFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Injected I/O: the fetch and the clock for HTTP-date Retry-After. */
export interface HttpMailDeps {
  fetch?: MailFetch;
  nowMs?: () => number;
}

const MAIL_API: HttpTarget = { channel: 'email', endpoint: 'the mail API' };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Creates the HTTP mail notifier. Throws at construction for a bad timeout, URL, token or sender (never quoting them). */
export function createHttpMailNotifier(config: HttpMailConfig, deps: HttpMailDeps = {}): Notifier<DestinationOf<'email'>> {
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) {
    throw new Error(`Mail API notifier: timeoutMs must be a positive number of milliseconds, got ${String(config.timeoutMs)}.`);
  }
  if (!isHttpUrl(config.url)) throw new Error('Mail API notifier: the url is not an http(s) URL.');
  if (config.token === '') throw new Error('Mail API notifier: the token is empty.');
  if (config.from.trim() === '') throw new Error('Mail API notifier: `from` (the sender address) is required.');
  const doFetch: MailFetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const nowMs = deps.nowMs ?? (() => Date.now());
  // Scrub before any cut (a secret straddling the cut would leak a prefix), and again on the whole text.
  const scrub = (text: string): string => scrubSecrets(text, [config.token, `Bearer ${config.token}`]);

  return {
    async send(message: RenderedMessage, destination: DestinationOf<'email'>): Promise<SendResult> {
      if (destination.to.length === 0) return { ok: false, retry: false, retryAfterMs: null, error: 'email: no recipient address' };
      const { subject, text, html } = message.email;
      try {
        const response = await doFetch(config.url, {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ from: config.from, to: destination.to, subject, text, html }),
          redirect: 'manual',
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        if (response.ok) {
          await response.body?.cancel();
          return { ok: true };
        }
        if (response.status >= 300 && response.status < 400) {
          await response.body?.cancel();
          return redirectFailure(MAIL_API);
        }
        const body = await response.text();
        const failure = classifyHttpStatus(response.status, body, parseRetryAfterMs(response.headers.get('retry-after'), nowMs()), scrub, MAIL_API);
        return { ...failure, error: scrub(failure.error) };
      } catch (err) {
        const failure = classifyRequestError(err instanceof Error ? err : new Error(String(err)), config.timeoutMs, scrub, MAIL_API);
        return { ...failure, error: scrub(failure.error) };
      }
    },
  };
}
