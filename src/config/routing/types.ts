// The routing config and user directory after loading: plain data, secrets resolved (in memory only), no I/O.
// Pure code (src/notify/route) imports only these types, so it runs on Node and Workers alike.

/** How a matcher compares a label: equal, not equal, regex match, regex non-match (Prometheus syntax). */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One `name=value` / `name!=value` / `name=~regex` / `name!~regex` test on an alert's labels. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  /** The anchored regex (`^(?:value)$`) for `=~` and `!~`; null for `=` and `!=`. */
  regex: RegExp | null;
}

/** Exponential repeat backoff: each repeat waits `factor` times longer than the last, up to `maxS`. */
export interface RepeatBackoff {
  factor: number;
  maxS: number;
}

/** `group_by: [...]`: every label of the alert forms the group. */
export const GROUP_BY_ALL = '...';

/**
 * One node of the route tree as written. A null (or absent map key) setting is inherited from the parent; the root's
 * unset settings take {@link ROUTE_DEFAULTS}.
 */
export interface RouteNode {
  receiver: string | null;
  matchers: Matcher[];
  /** Label names, or [`...`] for every label. */
  groupBy: string[] | null;
  groupWaitS: number | null;
  groupIntervalS: number | null;
  repeatIntervalS: number | null;
  repeatBackoff: RepeatBackoff | null;
  sendResolved: boolean | null;
  /** Per-rule send_resolved overrides (rule id → bool), merged over the parent's. */
  sendResolvedRules: Record<string, boolean>;
  continue: boolean;
  routes: RouteNode[];
}

/** What the root route uses for settings it leaves out (Alertmanager's defaults; group_by: gpuwarden's). */
export const ROUTE_DEFAULTS = {
  groupBy: ['alertname'],
  groupWaitS: 30,
  groupIntervalS: 300,
  repeatIntervalS: 4 * 3600,
  repeatBackoff: null,
  sendResolved: true,
} as const;

/** TLS mode of an SMTP connection: STARTTLS upgrade, implicit TLS (port 465), or none (local relays only). */
export type SmtpTls = 'starttls' | 'tls' | 'none';

/** The default SMTP port of each TLS mode. */
export const SMTP_DEFAULT_PORT: Record<SmtpTls, number> = { starttls: 587, tls: 465, none: 25 };

/** SMTP server settings of an email receiver; `auth.password` is the resolved secret (never log it). */
export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTls;
  auth: { username: string; password: string } | null;
}

/** A Slack incoming-webhook receiver; `webhookUrl` is the resolved secret (never log it; empty in a dry run). */
export interface SlackReceiver {
  kind: 'slack';
  name: string;
  webhookUrl: string;
  /** Where the URL comes from, as written (`webhook_url_env NAME`): what a dry run shows instead of it. */
  secretSource: string;
}

/** A Microsoft Teams receiver (Power Automate workflow webhook, Adaptive Card); `webhookUrl` is the resolved secret. */
export interface TeamsReceiver {
  kind: 'teams';
  name: string;
  webhookUrl: string;
  /** Where the URL comes from, as written (`webhook_url_file NAME`): what a dry run shows instead of it. */
  secretSource: string;
}

/** A generic webhook taking Alertmanager's payload; `url` and `bearerToken` are resolved secrets (never log them). */
export interface WebhookReceiver {
  kind: 'webhook';
  name: string;
  url: string;
  bearerToken: string | null;
  /** At most this many alerts per message (Alertmanager's max_alerts); 0 = all. */
  maxAlerts: number;
  /** Where the URL comes from, as written (`url_env NAME`): what a dry run shows instead of it. */
  secretSource: string;
}

/** An HTTP mail API taking Resend's JSON shape; `token` is the resolved secret, sent as a Bearer token (never log it). */
export interface MailApiSettings {
  url: string;
  token: string;
}

/** What every email receiver has: a sender and the fixed recipients (`to`) used when it serves admins. */
interface EmailReceiverBase {
  kind: 'email';
  name: string;
  from: string;
  /** Fixed addresses (admin receivers); empty for a receiver that only sends to users. */
  to: string[];
}

/** An email receiver that sends through an SMTP server (`host:`); Node only (SMTP needs raw TCP). */
export interface SmtpEmailReceiver extends EmailReceiverBase {
  transport: 'smtp';
  smtp: SmtpSettings;
}

/** An email receiver that posts to an HTTP mail API (`http_api:`); works on Node and Workers. */
export interface HttpApiEmailReceiver extends EmailReceiverBase {
  transport: 'http_api';
  httpApi: MailApiSettings;
}

/** An email receiver: its transport (SMTP or an HTTP mail API), sender, and fixed recipients. */
export type EmailReceiver = SmtpEmailReceiver | HttpApiEmailReceiver;

/** How an email receiver sends. */
export type EmailTransport = EmailReceiver['transport'];

/** A configured receiver, by kind. */
export type Receiver = SlackReceiver | EmailReceiver | TeamsReceiver | WebhookReceiver;

/** The kinds of receiver a config may define. */
export type ReceiverKind = Receiver['kind'];

/** The root of the route tree: it matches every alert, so it must name a receiver. */
export type RootRoute = RouteNode & { receiver: string };

/** A loaded notifications.yaml: the route tree and the receivers by name. */
export interface RoutingConfig {
  /** The file it came from (as the caller named it); null when built in code. */
  source: string | null;
  route: RootRoute;
  receivers: ReadonlyMap<string, Receiver>;
  /** Whom people should ask about a message (`contact:`), named in every user message's footer; null = the default. */
  contact?: string | null;
}

/** The channels a user can be reached on. */
export const USER_CHANNELS = ['email', 'slack'] as const;

/** One channel a user can be reached on. */
export type UserChannel = (typeof USER_CHANNELS)[number];

/** One person in users.yaml; null fields fall back to the directory's defaults. */
export interface UserEntry {
  /** The key as written (a DS01 user name such as `h.baker@hertie-school.lan`). */
  name: string;
  email: string | null;
  slackMemberId: string | null;
  slackReceiver: string | null;
  /** Channels the person chose; [] = opted out; null = the default channels. */
  notify: UserChannel[] | null;
}

/** The `default:` section of users.yaml. */
export interface UserDefaults {
  /** Address pattern for users without an `email`: `{user}`, `{local}`, `{sanitised}` placeholders. */
  emailPattern: string | null;
  emailReceiver: string | null;
  slackReceiver: string | null;
  notify: UserChannel[];
}

/** Turns a DS01 user name into DS01's sanitised form (`h.baker@x.lan` → `h_baker`); injected, it needs node:crypto. */
export type UsernameSanitiser = (name: string) => string;

/**
 * A loaded users.yaml: people by name, the defaults, and DS01's sanitiser (for `{sanitised}` and for finding
 * `h.baker` under `h.baker@hertie-school.lan`). Build it with `makeUserDirectory`, which fills `bySanitised`.
 */
export interface UserDirectory {
  source: string | null;
  users: ReadonlyMap<string, UserEntry>;
  /** Sanitised name → the key in `users` (a second lookup after the exact name). */
  bySanitised: ReadonlyMap<string, string>;
  defaults: UserDefaults;
  sanitise: UsernameSanitiser;
}
