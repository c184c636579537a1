// One JSON POST of a fetch-based notifier (Teams, generic webhook): a timeout, redirects never followed, no retries
// here (the outbox retries), the answer classified (retry 408 / 429 / 5xx with Retry-After, timeouts, connection
// errors), and every error text scrubbed of the caller's secrets.
import type { SendResult } from '../types.ts';
import { classifyHttpStatus, classifyRequestError, redirectFailure, type HttpTarget, type Scrub } from './classify-http.ts';
import { parseRetryAfterMs } from './retry-after.ts';

/** The fetch a notifier calls (the platform's by default; tests and the Worker pass their own). */
export type JsonFetch = (url: string, init: RequestInit) => Promise<Response>;

/** One request: where, what, with which extra headers, and how errors name the channel and hide the secrets. */
export interface JsonPost {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  target: HttpTarget;
  /** Removes the secrets (URL forms, tokens) from a text; applied before any cut and again on the whole error. */
  scrub: Scrub;
}

/** Posts `body` as JSON and says whether it was taken (2xx) or, if not, whether a retry can help. Never throws. */
export async function postJson(request: JsonPost, deps: { fetch: JsonFetch; nowMs: () => number }): Promise<SendResult> {
  const { scrub, target } = request;
  try {
    const response = await deps.fetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(request.headers ?? {}) },
      body: JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return redirectFailure(target);
    }
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true };
    }
    const text = await response.text();
    const failure = classifyHttpStatus(response.status, text, parseRetryAfterMs(response.headers.get('retry-after'), deps.nowMs()), scrub, target);
    return { ...failure, error: scrub(failure.error) };
  } catch (err) {
    const failure = classifyRequestError(err instanceof Error ? err : new Error(String(err)), request.timeoutMs, scrub, target);
    return { ...failure, error: scrub(failure.error) };
  }
}

/** Throws at construction for a timeout that is not a positive number of milliseconds (naming the notifier). */
export function checkTimeoutMs(notifier: string, timeoutMs: number): void {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`${notifier} notifier: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  }
}
