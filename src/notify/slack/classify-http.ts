// Whether a failed Slack webhook post is worth retrying, from the HTTP status or the request error (no @slack/webhook
// import: the fetch-based notifier of the Worker uses it too).
import type { SendResult } from '../types.ts';
import { oneLineExcerpt } from '../scrub.ts';

/** A failed send as data; `error` holds texts scrubbed by the caller's `scrub` before they were cut to length. */
export type SlackFailure = Extract<SendResult, { ok: false }>;

/** Removes secrets from a text; applied before any cut, so a secret straddling the cut cannot leak a prefix. */
export type Scrub = (text: string) => string;

const asIs: Scrub = (text) => text;

/** Retry for 408, 429 and 5xx (honouring Retry-After); every other status is permanent (bad payload, revoked hook). */
export function classifyHttpStatus(status: number, body: string, retryAfterMs: number | null, scrub: Scrub = asIs): SlackFailure {
  const retry = status === 408 || status === 429 || (status >= 500 && status <= 599);
  const detail = oneLineExcerpt(scrub(body), 200);
  return {
    ok: false,
    retry,
    retryAfterMs: retry ? retryAfterMs : null,
    error: `slack: HTTP ${status}${detail !== '' ? ` ${detail}` : ''}${status === 429 ? ' (rate limited)' : ''}`,
  };
}

function causeCode(err: Error): string | null {
  const cause: unknown = err.cause;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return null;
}

/** A request that got no HTTP answer: timeouts and connection errors are worth a retry, a malformed URL or a redirect not. */
export function classifyRequestError(original: Error, timeoutMs: number, scrub: Scrub): SlackFailure {
  if (original.name === 'TimeoutError' || original.name === 'AbortError') {
    return { ok: false, retry: true, retryAfterMs: null, error: `slack: no answer within ${timeoutMs} ms (timeout)` };
  }
  const causeMessage = original.cause instanceof Error ? original.cause.message : '';
  if (/redirect/i.test(causeMessage)) {
    return { ok: false, retry: false, retryAfterMs: null, error: 'slack: the webhook answered with a redirect (check the webhook URL)' };
  }
  if (original instanceof TypeError && /url/i.test(original.message) && !/fetch failed/i.test(original.message)) {
    return { ok: false, retry: false, retryAfterMs: null, error: 'slack: the webhook URL is not a valid URL' };
  }
  const code = causeCode(original);
  const text = code ?? oneLineExcerpt(scrub(causeMessage !== '' ? causeMessage : original.message), 200);
  return { ok: false, retry: true, retryAfterMs: null, error: `slack: request failed (${text})` };
}

