// One interface for every delivery channel: a notifier takes a rendered message and a destination and says whether
// the delivery worked and, if not, whether trying again can help.
import type { KnownBlock } from '@slack/types';
import type { Destination, SendResult } from './types.ts';

/** One Block Kit block of a Slack message (the shape @slack/webhook's `IncomingWebhook.send` accepts). */
export type SlackBlock = KnownBlock;

/** The Slack form of a message: Block Kit blocks plus the plain `text` fallback (notifications, old clients). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** The email form of a message: a one-line subject, a plain-text body and an HTML body with the same content. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** One element of an Adaptive Card body (TextBlock, FactSet, Container). */
export type AdaptiveElement = Readonly<Record<string, unknown>>;

/** The Teams form: a Power Automate workflow webhook message carrying one Adaptive Card (Alertmanager's msteamsv2 shape). */
export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: { $schema: string; type: 'AdaptiveCard'; version: string; body: AdaptiveElement[]; msteams: { width: 'Full' } };
    },
  ];
}

/** One alert of Alertmanager's webhook payload. Times are RFC 3339; `endsAt` of a firing alert is Go's zero time. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook payload (version 4), so an Alertmanager webhook receiver (or any tool) can take it. */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/** A message group rendered once for every channel; each notifier picks its own form. */
export interface RenderedMessage {
  slack: SlackMessage;
  email: EmailMessage;
  teams: TeamsMessage;
  webhook: WebhookPayload;
}

/** The destination kinds (`slack`, `email`, `teams`, `webhook`): the keys of the notifier registry. */
export type DestinationKind = Destination['kind'];

/** The destination variant of one kind. */
export type DestinationOf<K extends DestinationKind> = Extract<Destination, { kind: K }>;

/**
 * Delivers one rendered message to one destination. Never throws for a delivery failure: the result says what went
 * wrong (with no webhook URL, token or password in `error`) and whether a retry makes sense.
 */
export interface Notifier<D extends Destination = Destination> {
  send(message: RenderedMessage, destination: D): Promise<SendResult>;
  /** Release connections and timers (SMTP transport); safe to call twice. */
  close?(): Promise<void>;
}
