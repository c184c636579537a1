// A generic webhook: Alertmanager's webhook payload (version 4) in one JSON POST, so an existing Alertmanager
// webhook receiver or any tool can take gpuwarden's alerts. The platform's fetch alone (Node and Workers). Same
// rules as Slack: a timeout, no retries here (the outbox retries), Retry-After honoured, redirects not followed, and
// neither the URL nor the bearer token in any error text.
import { checkTimeoutMs, postJson, type JsonFetch } from '../http/post-json.ts';
import type { HttpTarget } from '../http/classify-http.ts';
import type { DestinationOf, Notifier, RenderedMessage } from '../notifier.ts';
import { truncateWebhook } from '../render/webhook-payload.ts';
import { scrubSecrets } from '../scrub.ts';
import { validWebhookUrl, webhookSecrets } from '../slack/webhook-secrets.ts';
import type { SendResult } from '../types.ts';

/** Webhook notifier settings. */
export interface WebhookNotifierConfig {
  /** Whole request (connect, send, answer) must finish within this. */
  timeoutMs: number;
}

/** Injected I/O: the fetch and the clock for HTTP-date Retry-After. */
export interface WebhookNotifierDeps {
  fetch?: JsonFetch;
  nowMs?: () => number;
}

const WEBHOOK: HttpTarget = { channel: 'webhook', endpoint: 'the webhook' };

/** Creates the generic webhook notifier. Throws at construction for a non-positive timeout. */
export function createWebhookNotifier(config: WebhookNotifierConfig, deps: WebhookNotifierDeps = {}): Notifier<DestinationOf<'webhook'>> {
  checkTimeoutMs('Webhook', config.timeoutMs);
  const io = { fetch: deps.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init)), nowMs: deps.nowMs ?? (() => Date.now()) };
  return {
    send(message: RenderedMessage, destination: DestinationOf<'webhook'>): Promise<SendResult> {
      if (!validWebhookUrl(destination.url)) {
        return Promise.resolve({ ok: false, retry: false, retryAfterMs: null, error: 'webhook: the URL is not a valid http(s) URL' });
      }
      const token = destination.bearerToken;
      const secrets = [...webhookSecrets(destination.url), ...(token === null ? [] : [token, `Bearer ${token}`])];
      const scrub = (text: string): string => scrubSecrets(text, secrets);
      const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
      const body = truncateWebhook(message.webhook, destination.maxAlerts);
      return postJson({ url: destination.url, body, headers, timeoutMs: config.timeoutMs, target: WEBHOOK, scrub }, io);
    },
  };
}
