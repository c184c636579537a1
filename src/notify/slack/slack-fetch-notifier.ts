// Slack delivery with the platform's fetch alone (no @slack/webhook: its user-agent code imports node:os, which
// workerd lacks without nodejs_compat). Same contract as slack-notifier.ts: one POST, a timeout, no retries here
// (the outbox retries), Retry-After honoured, no webhook URL in any error text. Used by the Worker.
import type { Notifier, RenderedMessage } from '../notifier.ts';
import type { SendResult } from '../types.ts';
import { scrubSecrets } from '../scrub.ts';
import { classifyHttpStatus, classifyRequestError, redirectFailure } from '../http/classify-http.ts';
import { parseRetryAfterMs } from '../http/retry-after.ts';
import type { SlackDestination, SlackNotifierConfig } from './slack-notifier.ts';
import { validWebhookUrl, webhookSecrets } from './webhook-secrets.ts';

/** The fetch this notifier calls (the platform's by default; tests pass a fake). */
export type SlackFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Creates the fetch-based Slack notifier. Throws at construction for a non-positive timeout. */
export function createSlackFetchNotifier(config: SlackNotifierConfig, deps: { fetch?: SlackFetch; nowMs?: () => number } = {}): Notifier<SlackDestination> {
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) {
    throw new Error(`Slack notifier: timeoutMs must be a positive number of milliseconds, got ${String(config.timeoutMs)}.`);
  }
  const doFetch: SlackFetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const nowMs = deps.nowMs ?? (() => Date.now());
  return {
    async send(message: RenderedMessage, destination: SlackDestination): Promise<SendResult> {
      if (!validWebhookUrl(destination.webhookUrl)) {
        return { ok: false, retry: false, retryAfterMs: null, error: 'slack: the webhook URL is not a valid http(s) URL' };
      }
      const scrub = (text: string): string => scrubSecrets(text, webhookSecrets(destination.webhookUrl));
      try {
        const response = await doFetch(destination.webhookUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: message.slack.text, blocks: message.slack.blocks }),
          redirect: 'manual',
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        if (response.status >= 300 && response.status < 400) {
          await response.body?.cancel();
          return redirectFailure();
        }
        if (response.ok) {
          await response.body?.cancel();
          return { ok: true };
        }
        const body = await response.text();
        const failure = classifyHttpStatus(response.status, body, parseRetryAfterMs(response.headers.get('retry-after'), nowMs()), scrub);
        return { ...failure, error: scrub(failure.error) };
      } catch (err) {
        const failure = classifyRequestError(err instanceof Error ? err : new Error(String(err)), config.timeoutMs, scrub);
        return { ...failure, error: scrub(failure.error) };
      }
    },
  };
}
