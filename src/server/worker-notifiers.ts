// The notifiers of the Worker: Slack, Teams, the generic webhook and email through the platform's fetch alone (workerd has no raw TCP, so SMTP
// receivers never get here: worker-config.ts refuses them at startup). Built once per delivery service.
import type { RoutingConfig } from '../config/routing/types.ts';
import { createHttpMailNotifier, type MailFetch } from '../notify/email/http-mail-notifier.ts';
import type { DestinationOf, Notifier } from '../notify/notifier.ts';
import { createSlackFetchNotifier } from '../notify/slack/slack-fetch-notifier.ts';
import { createTeamsNotifier } from '../notify/teams/teams-notifier.ts';
import { createWebhookNotifier } from '../notify/webhook/webhook-notifier.ts';
import type { Destination, SendResult } from '../notify/types.ts';
import { emailSettingsByReceiver } from '../service/notifications.ts';

/** Bound on one Slack webhook post from the Worker. */
export const WORKER_SLACK_TIMEOUT_MS = 10_000;

/** Bound on one Teams or generic webhook post from the Worker. */
export const WORKER_WEBHOOK_TIMEOUT_MS = 10_000;

const NO_MAIL_API: SendResult = { ok: false, retry: false, retryAfterMs: null, error: 'email: this receiver has no http_api: (SMTP is not available on Workers)' };

/**
 * The notifier of each receiver on Workers: Slack, Teams and generic webhooks through fetch, and email receivers through their HTTP
 * mail API (`http_api:`), all calling `fetch` (the platform's when undefined; tests pass their own).
 */
export function workerNotifiers(routing: RoutingConfig, fetch: MailFetch | undefined): (receiver: string) => Notifier<Destination> {
  const deps = fetch === undefined ? {} : { fetch };
  const slack = createSlackFetchNotifier({ timeoutMs: WORKER_SLACK_TIMEOUT_MS }, deps);
  const teams = createTeamsNotifier({ timeoutMs: WORKER_WEBHOOK_TIMEOUT_MS }, deps);
  const webhook = createWebhookNotifier({ timeoutMs: WORKER_WEBHOOK_TIMEOUT_MS }, deps);
  const mail = new Map<string, Notifier<DestinationOf<'email'>>>();
  for (const [name, settings] of emailSettingsByReceiver(routing)) {
    if (settings.transport === 'http_api') mail.set(name, createHttpMailNotifier(settings, deps));
  }
  return (receiver) => ({
    send: (message, destination) => {
      if (destination.kind === 'slack') return slack.send(message, destination);
      if (destination.kind === 'teams') return teams.send(message, destination);
      if (destination.kind === 'webhook') return webhook.send(message, destination);
      const notifier = mail.get(receiver);
      return notifier === undefined ? Promise.resolve(NO_MAIL_API) : notifier.send(message, destination);
    },
  });
}
