// Whether a failed HTTP post (a Slack webhook, a mail API) is worth retrying, from the HTTP status or the request
// error. No HTTP library import: the fetch-based notifiers of the Worker use it too.
import type { SendResult } from '../types.ts';
import { oneLineExcerpt } from '../scrub.ts';

/** A failed send as data; `error` holds texts scrubbed by the caller's `scrub` before they were cut to length. */
export type HttpFailure = Extract<SendResult, { ok: false }>;

/** Removes secrets from a text; applied before any cut, so a secret straddling the cut cannot leak a prefix. */
export type Scrub = (text: string) => string;

/** How errors name the channel (`slack:`, `email:`) and the endpoint it posts to (`the webhook`, `the mail API`). */
export interface HttpTarget {
  channel: string;
  endpoint: string;
}

/** Slack's names: `slack: the webhook …`. */
export const SLACK_TARGET: HttpTarget = { channel: 'slack', endpoint: 'the webhook' };

const asIs: Scrub = (text) => text;

/** Retry for 408, 429 and 5xx (honouring Retry-After); every other status is permanent (bad payload, revoked hook). */
export function classifyHttpStatus(status: number, body: string, retryAfterMs: number | null, scrub: Scrub = asIs, target: HttpTarget = SLACK_TARGET): HttpFailure {
  const retry = status === 408 || status === 429 || (status >= 500 && status <= 599);
  const detail = oneLineExcerpt(scrub(body), 200);
  return {
    ok: false,
    retry,
    retryAfterMs: retry ? retryAfterMs : null,
    error: `${target.channel}: HTTP ${status}${detail !== '' ? ` ${detail}` : ''}${status === 429 ? ' (rate limited)' : ''}`,
  };
}

/** The failure for a 3xx answer: a redirect is never followed (it could carry the credentials elsewhere). */
export function redirectFailure(target: HttpTarget = SLACK_TARGET): HttpFailure {
  return { ok: false, retry: false, retryAfterMs: null, error: `${target.channel}: ${target.endpoint} answered with a redirect (check ${target.endpoint} URL)` };
}

function causeCode(err: Error): string | null {
  const cause: unknown = err.cause;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return null;
}

/** A request that got no HTTP answer: timeouts and connection errors are worth a retry, a malformed URL or a redirect not. */
export function classifyRequestError(original: Error, timeoutMs: number, scrub: Scrub, target: HttpTarget = SLACK_TARGET): HttpFailure {
  const { channel, endpoint } = target;
  if (original.name === 'TimeoutError' || original.name === 'AbortError') {
    return { ok: false, retry: true, retryAfterMs: null, error: `${channel}: no answer within ${timeoutMs} ms (timeout)` };
  }
  const causeMessage = original.cause instanceof Error ? original.cause.message : '';
  if (/redirect/i.test(causeMessage)) return redirectFailure(target);
  if (original instanceof TypeError && /url/i.test(original.message) && !/fetch failed/i.test(original.message)) {
    return { ok: false, retry: false, retryAfterMs: null, error: `${channel}: ${endpoint} URL is not a valid URL` };
  }
  const code = causeCode(original);
  const text = code ?? oneLineExcerpt(scrub(causeMessage !== '' ? causeMessage : original.message), 200);
  return { ok: false, retry: true, retryAfterMs: null, error: `${channel}: request failed (${text})` };
}
