// Slack delivery through @slack/webhook's IncomingWebhook: one POST, a timeout, no library retries (the outbox
// retries), Retry-After read from the response through the `fetch` hook the library accepts.
import { IncomingWebhook, type FetchFunction } from '@slack/webhook';
import type { Notifier, RenderedMessage } from '../notifier.ts';
import type { Destination, SendResult } from '../types.ts';
import { scrubSecrets } from '../scrub.ts';
import { classifySlackError } from './classify.ts';
import { parseRetryAfterMs } from '../http/retry-after.ts';
import { validWebhookUrl, webhookSecrets } from './webhook-secrets.ts';

export { webhookSecrets } from './webhook-secrets.ts';

/** Slack destination. */
export type SlackDestination = Extract<Destination, { kind: 'slack' }>;

/** Slack notifier settings. */
export interface SlackNotifierConfig {
  /** Whole request (connect, send, answer) must finish within this; 0 is not allowed. */
  timeoutMs: number;
}

/** Injected I/O for tests: the fetch the webhook client uses and the clock for HTTP-date Retry-After. */
export interface SlackNotifierDeps {
  fetch?: FetchFunction;
  nowMs?: () => number;
}

/** Creates the Slack notifier. Throws at construction for a non-positive timeout. */
export function createSlackNotifier(config: SlackNotifierConfig, deps: SlackNotifierDeps = {}): Notifier<SlackDestination> {
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) {
    throw new Error(`Slack notifier: timeoutMs must be a positive number of milliseconds, got ${String(config.timeoutMs)}.`);
  }
  const baseFetch: FetchFunction = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const nowMs = deps.nowMs ?? (() => Date.now());

  return {
    async send(message: RenderedMessage, destination: SlackDestination): Promise<SendResult> {
      if (!validWebhookUrl(destination.webhookUrl)) {
        return { ok: false, retry: false, retryAfterMs: null, error: 'slack: the webhook URL is not a valid http(s) URL' };
      }
      // The library's HTTP error carries status and body but not headers: keep Retry-After from the response here.
      let retryAfter: string | null = null;
      const fetch: FetchFunction = async (url, init) => {
        const response = await baseFetch(url, init);
        if (!response.ok) retryAfter = response.headers.get('retry-after');
        return response;
      };
      const webhook = new IncomingWebhook(destination.webhookUrl, { timeout: config.timeoutMs, fetch, retryConfig: { retries: 0 } });
      try {
        await webhook.send({ text: message.slack.text, blocks: message.slack.blocks });
        return { ok: true };
      } catch (err) {
        // Scrub before any cut (a secret straddling the cut would leak a prefix), and again on the whole text.
        const scrub = (text: string): string => scrubSecrets(text, webhookSecrets(destination.webhookUrl));
        const failure = classifySlackError(err, parseRetryAfterMs(retryAfter, nowMs()), config.timeoutMs, scrub);
        return { ...failure, error: scrub(failure.error) };
      }
    },
  };
}
