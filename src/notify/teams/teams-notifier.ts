// Microsoft Teams through a Power Automate workflow webhook ("When a Teams webhook request is received"), the way
// Alertmanager's msteamsv2 posts: one JSON POST of the message's Adaptive Card. The platform's fetch alone, so it runs
// on Node and Workers alike. Same rules as Slack: a timeout, no retries here (the outbox retries), Retry-After
// honoured, redirects not followed, and the webhook URL (its `sig` above all) in no error text.
import { checkTimeoutMs, postJson, type JsonFetch } from '../http/post-json.ts';
import type { HttpTarget } from '../http/classify-http.ts';
import type { DestinationOf, Notifier, RenderedMessage } from '../notifier.ts';
import { scrubSecrets } from '../scrub.ts';
import { validWebhookUrl, webhookSecrets } from '../slack/webhook-secrets.ts';
import type { SendResult } from '../types.ts';

/** Teams notifier settings. */
export interface TeamsNotifierConfig {
  /** Whole request (connect, send, answer) must finish within this. */
  timeoutMs: number;
}

/** Injected I/O: the fetch and the clock for HTTP-date Retry-After. */
export interface TeamsNotifierDeps {
  fetch?: JsonFetch;
  nowMs?: () => number;
}

const TEAMS: HttpTarget = { channel: 'teams', endpoint: 'the webhook' };

/** Creates the Teams notifier. Throws at construction for a non-positive timeout. */
export function createTeamsNotifier(config: TeamsNotifierConfig, deps: TeamsNotifierDeps = {}): Notifier<DestinationOf<'teams'>> {
  checkTimeoutMs('Teams', config.timeoutMs);
  const io = { fetch: deps.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init)), nowMs: deps.nowMs ?? (() => Date.now()) };
  return {
    send(message: RenderedMessage, destination: DestinationOf<'teams'>): Promise<SendResult> {
      if (!validWebhookUrl(destination.webhookUrl)) {
        return Promise.resolve({ ok: false, retry: false, retryAfterMs: null, error: 'teams: the webhook URL is not a valid http(s) URL' });
      }
      const scrub = (text: string): string => scrubSecrets(text, webhookSecrets(destination.webhookUrl));
      return postJson({ url: destination.webhookUrl, body: message.teams, timeoutMs: config.timeoutMs, target: TEAMS, scrub }, io);
    },
  };
}
