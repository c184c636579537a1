// Whether a failed Slack webhook post is worth retrying, from what @slack/webhook reports.
import { IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { oneLineExcerpt } from '../scrub.ts';
import { classifyHttpStatus, classifyRequestError, type HttpFailure, type Scrub } from '../http/classify-http.ts';

export { classifyHttpStatus, classifyRequestError, type Scrub } from '../http/classify-http.ts';

/** A failed Slack send as data. */
export type SlackFailure = HttpFailure;

const asIs: Scrub = (text) => text;

/** Maps what `IncomingWebhook.send` threw to a send result; every quoted text is scrubbed, then cut. */
export function classifySlackError(err: unknown, retryAfterMs: number | null, timeoutMs: number, scrub: Scrub = asIs): SlackFailure {
  if (err instanceof IncomingWebhookHTTPError) return classifyHttpStatus(err.statusCode, err.body, retryAfterMs, scrub);
  if (err instanceof IncomingWebhookRequestError) return classifyRequestError(err.original, timeoutMs, scrub);
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, retry: true, retryAfterMs: null, error: `slack: ${oneLineExcerpt(scrub(e.message), 200)}` };
}
