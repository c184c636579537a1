import type { Alert } from '../alerts/alert.ts';
import { fingerprint } from '../alerts/fingerprint.ts';
import { DEFAULT_INHIBIT_RULES, inhibitedBy, type InhibitRule } from '../alerts/inhibit.ts';
import { silencedBy, silencesToExpire } from '../alerts/silence.ts';
import type { EmailReceiver, RoutingConfig, UserDirectory } from '../config/routing/types.ts';
import { type DeliveryDeps, createDeliveryWorker } from '../notify/deliver.ts';
import type { PlannedRecipient } from '../notify/plan.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { SmtpConfig } from '../notify/email/email-notifier.ts';
import { DEFAULT_HTTP_MAIL_TIMEOUT_MS, type HttpMailConfig } from '../notify/email/http-mail-notifier.ts';
import { renderMessage } from '../notify/render/render.ts';
import { recipientsFor } from '../notify/route/recipients.ts';
import { routingLabels } from '../notify/route/route.ts';
import type { Destination, StoredDestination } from '../notify/types.ts';
import type { Store } from '../store/store.ts';
import { logText } from './log-text.ts';
import { silenceEvent } from '../events/admin-events.ts';

/** Slack allows about one message per second per incoming webhook. */
export const SLACK_MIN_GAP_MS = 1000;

/** Teams webhooks are throttled too (Microsoft documents a few requests per second): one message a second, as Slack. */
export const TEAMS_MIN_GAP_MS = 1000;

/** A short hash of a webhook URL: a rate-limit key that is never the secret. */
function urlKey(url: string): string {
  return fingerprint('webhook', { url }).slice(0, 12);
}

/**
 * Rate-limit (and backoff) key of a destination: the webhook itself (two receivers sharing one URL share its limit),
 * the Teams or generic webhook, the SMTP server, or the mail API. Webhook and mail API keys are a short hash, never the URL.
 */
export function channelKeyOf(d: Destination, email: EmailReceiver | null): string {
  if (d.kind === 'slack') return `slack:${urlKey(d.webhookUrl)}`;
  if (d.kind === 'teams') return `teams:${urlKey(d.webhookUrl)}`;
  if (d.kind === 'webhook') return `webhook:${urlKey(d.url)}`;
  if (email === null) return 'email:unconfigured';
  if (email.transport === 'http_api') return `email-api:${fingerprint('mail-api', { url: email.httpApi.url }).slice(0, 12)}`;
  return `email:${email.smtp.host}:${email.smtp.port}`;
}

function stored(d: Destination): StoredDestination {
  switch (d.kind) {
    case 'slack':
      return { kind: 'slack', mention: d.mention };
    case 'email':
      return { kind: 'email', to: d.to };
    case 'teams':
    case 'webhook':
      return { kind: d.kind };
  }
}

/**
 * Who hears about an alert, from the routing tree and the user directory, in the planner's terms (timings in ms,
 * no secrets). A person gets one message per receiver with all their alerts (grouped by user alone, whatever the
 * route's group_by: that is what a person wants to read); admins get the route's grouping. Notify entries that
 * reach nobody are logged once per distinct reason.
 */
export function recipientsFromRouting(config: RoutingConfig, directory: UserDirectory | null, log: (line: string) => void): (alert: Alert) => PlannedRecipient[] {
  const reported = new Set<string>();
  return (alert) => {
    const found = recipientsFor(alert.notify, routingLabels(alert), config, directory);
    for (const s of found.skipped) {
      const line = logText(`notify: ${alert.rule}: ${s.notify}${s.user === null ? '' : ` ${s.user}`}: ${s.reason}`);
      if (!reported.has(line) && reported.size < 10_000) {
        reported.add(line);
        log(line);
      }
    }
    return found.recipients.map((r) => ({
      receiver: r.receiver,
      audience: r.audience,
      user: r.user,
      destination: stored(r.destination),
      channelKey: channelKeyOf(r.destination, emailReceiverOf(config, r.receiver)),
      groupKey: r.audience === 'user' ? `user:${r.user ?? ''}` : r.groupKey,
      groupLabels: r.audience === 'user' ? { user: r.user ?? '' } : r.groupLabels,
      groupWaitMs: r.route.groupWaitS * 1000,
      groupIntervalMs: r.route.groupIntervalS * 1000,
      repeatIntervalMs: r.route.repeatIntervalS * 1000,
      repeatBackoff: r.route.repeatBackoff === null ? null : { factor: r.route.repeatBackoff.factor, maxMs: r.route.repeatBackoff.maxS * 1000 },
      sendResolved: r.route.sendResolved,
    }));
  };
}

function emailReceiverOf(config: RoutingConfig, receiver: string): EmailReceiver | null {
  const r = config.receivers.get(receiver);
  return r?.kind === 'email' ? r : null;
}

/** The full destination of a receiver at send time: webhook URLs and tokens are read from the loaded config, never stored. */
export function destinationFromRouting(config: RoutingConfig): DeliveryDeps['destinationOf'] {
  return (receiver, dest) => {
    const r = config.receivers.get(receiver);
    if (r === undefined) return null;
    // The receiver's kind today decides (a row queued before a receiver changed channel goes the new way).
    switch (r.kind) {
      case 'slack':
        return { kind: 'slack', webhookUrl: r.webhookUrl, mention: dest.kind === 'slack' ? dest.mention : null };
      case 'teams':
        return { kind: 'teams', webhookUrl: r.webhookUrl };
      case 'webhook':
        return { kind: 'webhook', url: r.url, bearerToken: r.bearerToken, maxAlerts: r.maxAlerts };
      case 'email':
        return { kind: 'email', to: dest.kind === 'email' && dest.to.length > 0 ? dest.to : r.to };
    }
  };
}

/** Timeouts of the email transports built from a routing config. */
export interface EmailTimeouts {
  smtpTimeoutMs: number;
  httpTimeoutMs: number;
}

/** The transport settings of every email receiver (an SMTP server or an HTTP mail API), in the notifiers' terms. */
export function emailSettingsByReceiver(
  config: RoutingConfig,
  timeouts: EmailTimeouts = { smtpTimeoutMs: 30_000, httpTimeoutMs: DEFAULT_HTTP_MAIL_TIMEOUT_MS },
): Map<string, SmtpConfig | HttpMailConfig> {
  const out = new Map<string, SmtpConfig | HttpMailConfig>();
  for (const r of config.receivers.values()) {
    if (r.kind !== 'email') continue;
    if (r.transport === 'http_api') {
      out.set(r.name, { transport: 'http_api', url: r.httpApi.url, token: r.httpApi.token, from: r.from, timeoutMs: timeouts.httpTimeoutMs });
      continue;
    }
    out.set(r.name, {
      host: r.smtp.host,
      port: r.smtp.port,
      secure: r.smtp.tls === 'tls',
      ignoreTLS: r.smtp.tls === 'none',
      requireTLS: r.smtp.tls === 'starttls',
      auth: r.smtp.auth === null ? null : { user: r.smtp.auth.username, pass: r.smtp.auth.password },
      from: r.from,
      timeoutMs: timeouts.smtpTimeoutMs,
    });
  }
  return out;
}

/**
 * Muting at send time, as Alertmanager does: an active silence, or an inhibiting firing alert (host silent mutes the
 * host's other alerts; critical mutes warning of the same subject). Silences and firing alerts are read once a second.
 */
export function muteCheck(store: Store, rules: readonly InhibitRule[] = DEFAULT_INHIBIT_RULES): DeliveryDeps['mutedBy'] {
  // Every inhibition rule relates alerts of one host, so the candidates are the firing alerts of the alert's host
  // (an indexed read), however many alerts the fleet has.
  const notHostScoped = rules.filter((r) => !r.equal.includes('host'));
  if (notHostScoped.length > 0) throw new Error(`inhibit rules must keep 'host' in equal (${notHostScoped.length} do not)`);
  let cache: { second: number; silences: Awaited<ReturnType<Store['listSilences']>>; firingByHost: Map<string, Alert[]> } | null = null;
  return async (alert, now) => {
    const second = Math.floor(now.getTime() / 1000);
    if (cache === null || cache.second !== second) {
      cache = { second, silences: await store.listSilences({ activeAt: now.toISOString() }), firingByHost: new Map() };
    }
    const silence = silencedBy(cache.silences, alert, now);
    if (silence !== null) return { status: 'silenced', detail: `silence ${silence.id} by ${silence.createdBy}: ${silence.comment}` };
    let firing = cache.firingByHost.get(alert.host);
    if (firing === undefined) {
      firing = (await store.alertsForHost(alert.host)).filter((a) => a.state === 'firing');
      cache.firingByHost.set(alert.host, firing);
    }
    const source = inhibitedBy(rules, alert, firing);
    if (source !== null) return { status: 'inhibited', detail: `inhibited by ${source.rule} (${source.severity}) on ${source.host}` };
    return null;
  };
}

/** Expire "until resolved" silences whose alerts have all resolved (each a silence.expired event, by expire-on-resolve). */
export async function expireResolvedSilences(store: Store, now: Date): Promise<number> {
  const silences = await store.listSilences({ activeAt: now.toISOString() });
  if (!silences.some((s) => s.expireOnResolve)) return 0;
  const alerts: Alert[] = [];
  for (const host of await store.listHosts()) alerts.push(...(await store.alertsForHost(host.host)));
  const ids = silencesToExpire(silences, alerts);
  for (const id of ids) {
    const silence = silences.find((s) => s.id === id);
    if ((await store.expireSilence(id, now.toISOString())) && silence !== undefined) {
      await store.addEvent(silenceEvent(crypto.randomUUID(), 'silence.expired', silence, now.toISOString(), 'expire-on-resolve'));
    }
  }
  return ids.length;
}

/** What the delivery pass needs besides the store: the routing config and, per receiver, the notifier that sends. */
export interface DeliveryServiceDeps {
  store: Store;
  routing: RoutingConfig;
  clock: () => Date;
  log: (line: string) => void;
  /** Signs user messages (default: the routing config's `contact`). */
  contact?: string | null;
  /** The web view's public base URL (`public_url:`) that messages link to; none: no links. */
  webUrl?: string | null;
  /** The notifier for one receiver (Node: the registry with SMTP and mail APIs; Workers: fetch-based Slack and mail API). */
  notifierFor: (receiver: string) => Notifier<Destination>;
}

/**
 * The outbox delivery pass on any runtime: the delivery worker with the routing's destinations, muting and the Slack
 * and Teams rate limits (one message per second per webhook), plus expiry of resolved "until resolved" silences.
 */
export function createDeliveryService(opts: DeliveryServiceDeps) {
  const worker = createDeliveryWorker({
    store: opts.store,
    clock: opts.clock,
    destinationOf: destinationFromRouting(opts.routing),
    send: (group, destination) =>
      opts.notifierFor(group.receiver).send(renderMessage(group, { mention: destination.kind === 'slack' ? destination.mention : null, contact: opts.contact ?? opts.routing.contact ?? null, webUrl: opts.webUrl ?? null }), destination),
    mutedBy: muteCheck(opts.store),
    minGapMs: (key) => (key.startsWith('slack:') ? SLACK_MIN_GAP_MS : key.startsWith('teams:') ? TEAMS_MIN_GAP_MS : 0),
    log: opts.log,
  });
  return {
    /** One delivery pass plus expiry of resolved "until resolved" silences; returns the number of messages sent. */
    async deliver(): Promise<number> {
      await expireResolvedSilences(opts.store, opts.clock());
      return worker.tick();
    },
  };
}
