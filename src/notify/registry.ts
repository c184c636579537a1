// The notifier registry: one factory per destination kind (an exhaustive map, so a new kind in types.ts does not
// compile until it has a notifier and settings) and dispatch by destination kind. Email receivers may each name their
// own transport, an SMTP server or an HTTP mail API: one notifier (one nodemailer transport, or one fetch-based mail
// API client) is built per distinct config and reused.
import { createEmailNotifier, type SmtpConfig } from './email/email-notifier.ts';
import { createHttpMailNotifier, type HttpMailConfig } from './email/http-mail-notifier.ts';
import type { DestinationKind, DestinationOf, Notifier, RenderedMessage } from './notifier.ts';
import { createSlackNotifier, type SlackNotifierConfig } from './slack/slack-notifier.ts';
import { createTeamsNotifier, type TeamsNotifierConfig } from './teams/teams-notifier.ts';
import { createWebhookNotifier, type WebhookNotifierConfig } from './webhook/webhook-notifier.ts';
import type { Destination, SendResult } from './types.ts';

export type { SmtpConfig } from './email/email-notifier.ts';
export type { HttpMailConfig } from './email/http-mail-notifier.ts';
export { DEFAULT_HTTP_MAIL_TIMEOUT_MS } from './email/http-mail-notifier.ts';
export type { SlackNotifierConfig } from './slack/slack-notifier.ts';
export type { TeamsNotifierConfig } from './teams/teams-notifier.ts';
export type { WebhookNotifierConfig } from './webhook/webhook-notifier.ts';

/** Default Slack request timeout. */
export const DEFAULT_SLACK_TIMEOUT_MS = 10_000;
/** Default request timeout of the Teams and generic webhook notifiers. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Default SMTP connect / greeting / socket timeout. */
export const DEFAULT_SMTP_TIMEOUT_MS = 30_000;

/** The settings an email notifier is built from: an SMTP server, or an HTTP mail API (`transport: 'http_api'`). */
export type EmailSettings = SmtpConfig | HttpMailConfig;

/** The settings a notifier of each kind is built from. */
export interface NotifierSettings {
  slack: SlackNotifierConfig;
  email: EmailSettings;
  teams: TeamsNotifierConfig;
  webhook: WebhookNotifierConfig;
}

/** One factory per destination kind: exhaustive by construction (a kind without settings or factory fails to compile). */
export type NotifierFactories = { [K in DestinationKind]: (settings: NotifierSettings[K]) => Notifier<DestinationOf<K>> };

/**
 * The built-in factories: Slack through @slack/webhook, email through nodemailer SMTP or an HTTP mail API (fetch),
 * Teams (workflow webhook, Adaptive Card) and the generic webhook (Alertmanager's payload) through fetch.
 */
export const NOTIFIER_FACTORIES: NotifierFactories = {
  slack: (settings) => createSlackNotifier(settings),
  email: (settings) => (settings.transport === 'http_api' ? createHttpMailNotifier(settings) : createEmailNotifier(settings)),
  teams: (settings) => createTeamsNotifier(settings),
  webhook: (settings) => createWebhookNotifier(settings),
};

/** What the registry is built from. */
export interface NotifierConfig {
  slack: SlackNotifierConfig;
  /** The SMTP server for email receivers without their own; null = none (their sends fail permanently). */
  smtp: SmtpConfig | null;
  /** Email transports by receiver name (notifications.yaml gives each email receiver its own `host` or `http_api`, and `from`). */
  emailByReceiver?: ReadonlyMap<string, EmailSettings>;
  /** Teams requests; default {@link DEFAULT_WEBHOOK_TIMEOUT_MS}. */
  teams?: TeamsNotifierConfig;
  /** Generic webhook requests; default {@link DEFAULT_WEBHOOK_TIMEOUT_MS}. */
  webhook?: WebhookNotifierConfig;
}

/** A notifier that refuses every send (a kind with no configuration); the reason is a plain sentence. */
export function unconfiguredNotifier<D extends Destination>(reason: string): Notifier<D> {
  return { send: () => Promise.resolve({ ok: false, retry: false, retryAfterMs: null, error: reason }) };
}

/** Dispatches by destination kind; `send` uses the default SMTP server. */
export interface NotifierRegistry extends Notifier<Destination> {
  /** The notifier for one receiver: its own email transport when it has one, else the default SMTP server. */
  forReceiver(receiver: string): Notifier<Destination>;
  /** Closes every transport built so far; safe to call twice. */
  close(): Promise<void>;
}

/** One notifier per destination kind. */
type NotifierSet = { [K in DestinationKind]: Notifier<DestinationOf<K>> };

/** `notifiers[destination.kind].send(…)` with the kind and the destination kept together for the type checker. */
function sendWith<K extends DestinationKind>(notifiers: NotifierSet, message: RenderedMessage, destination: DestinationOf<K>): Promise<SendResult> {
  const notifier: Notifier<DestinationOf<K>> = notifiers[destination.kind as K];
  return notifier.send(message, destination);
}

/** An identity for email settings (in memory only: it includes the password or token). */
function emailKey(c: EmailSettings): string {
  if (c.transport === 'http_api') return JSON.stringify(['http_api', c.url, c.token, c.from, c.timeoutMs]);
  return JSON.stringify([c.host, c.port, c.secure, c.ignoreTLS ?? false, c.requireTLS ?? false, c.auth?.user ?? null, c.auth?.pass ?? null, c.from, c.timeoutMs]);
}

const NO_EMAIL = 'email: no SMTP server or mail API is configured for this receiver';

/** Builds the Slack, Teams and webhook notifiers once and email notifiers lazily, one per distinct email config, and dispatches sends. */
export function createNotifierRegistry(config: NotifierConfig, factories: NotifierFactories = NOTIFIER_FACTORIES): NotifierRegistry {
  const slack = factories.slack(config.slack);
  const teams = factories.teams(config.teams ?? { timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS });
  const webhook = factories.webhook(config.webhook ?? { timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS });
  const emailByKey = new Map<string, Notifier<DestinationOf<'email'>>>();
  const unconfigured = unconfiguredNotifier<DestinationOf<'email'>>(NO_EMAIL);
  const email = (settings: EmailSettings | null): Notifier<DestinationOf<'email'>> => {
    if (settings === null) return unconfigured;
    const key = emailKey(settings);
    let notifier = emailByKey.get(key);
    if (notifier === undefined) {
      notifier = factories.email(settings);
      emailByKey.set(key, notifier);
    }
    return notifier;
  };
  const setFor = (settings: EmailSettings | null): NotifierSet => ({ slack, email: email(settings), teams, webhook });
  let closed = false;

  return {
    send: (message, destination) => sendWith(setFor(config.smtp), message, destination),
    forReceiver: (receiver) => ({
      send: (message, destination) => sendWith(setFor(config.emailByReceiver?.get(receiver) ?? config.smtp), message, destination),
    }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([slack, teams, webhook, ...emailByKey.values()].map((n: Notifier<never>) => n.close?.()));
    },
  };
}
