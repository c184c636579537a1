// Pure: who an alert's notification goes to, from the rule's `notify` list (owner, admins, receiver names).
import type { Receiver, RoutingConfig, UserChannel, UserDirectory, UserEntry } from '../../config/routing/types.ts';
import { findUser, userAddress } from '../../config/routing/user-directory.ts';
import type { Audience, Destination } from '../types.ts';
import { groupKey, groupLabels, routeAlert, type RouteMatch } from './route.ts';

/** One delivery target of an alert: receiver, audience, person (for `owner`), destination, route timing, group key. */
export interface Recipient {
  receiver: string;
  audience: Audience;
  user: string | null;
  /** Holds the webhook URL for Slack: never log it. */
  destination: Destination;
  /** The route whose timing applies (for `owner` and named receivers: the alert's first route). */
  route: RouteMatch;
  /** Group key (per person for `audience: 'user'`); messages are grouped by receiver + group key + destination. */
  groupKey: string;
  /** The labels the group key is made of (MessageGroup.groupLabels). */
  groupLabels: Record<string, string>;
}

/** A `notify` entry that reaches nobody, with a sentence for the log (`h.baker@…: no address: …`). */
export interface SkippedRecipient {
  /** The notify entry: `owner`, `admins` or a receiver name. */
  notify: string;
  user: string | null;
  reason: string;
}

/** The recipients of an alert, and the notify entries (or channels) that could not be served. */
export interface RecipientsResult {
  recipients: Recipient[];
  skipped: SkippedRecipient[];
}

function adminDestination(receiver: Receiver): Destination | string {
  switch (receiver.kind) {
    case 'slack':
      return { kind: 'slack', webhookUrl: receiver.webhookUrl, mention: null };
    case 'teams':
      return { kind: 'teams', webhookUrl: receiver.webhookUrl };
    case 'webhook':
      return { kind: 'webhook', url: receiver.url, bearerToken: receiver.bearerToken, maxAlerts: receiver.maxAlerts };
    case 'email':
      return receiver.to.length > 0 ? { kind: 'email', to: [...receiver.to] } : `email receiver "${receiver.name}" has no to: list`;
  }
}

type ChannelResult = { ok: true; recipient: Recipient } | { ok: false; reason: string };

function userChannel(
  channel: UserChannel,
  user: string,
  entry: UserEntry | null,
  directory: UserDirectory,
  config: RoutingConfig,
  route: RouteMatch,
  group: { key: string; labels: Record<string, string> },
): ChannelResult {
  const receiverName = channel === 'email' ? directory.defaults.emailReceiver : (entry?.slackReceiver ?? directory.defaults.slackReceiver);
  if (receiverName === null) return { ok: false, reason: `no ${channel} receiver for users (default.${channel}_receiver)` };
  const receiver = config.receivers.get(receiverName);
  const wrongKind = `"${receiverName}" is not ${channel === 'email' ? 'an email' : 'a slack'} receiver of the routing config`;
  let destination: Destination;
  if (channel === 'email') {
    if (receiver?.kind !== 'email') return { ok: false, reason: wrongKind };
    const address = userAddress(directory, user, entry);
    if (!address.ok) return { ok: false, reason: address.reason };
    destination = { kind: 'email', to: [address.address] };
  } else {
    if (receiver?.kind !== 'slack') return { ok: false, reason: wrongKind };
    const memberId = entry?.slackMemberId ?? null;
    if (memberId === null) return { ok: false, reason: 'no Slack member id (slack_member_id in users.yaml)' };
    destination = { kind: 'slack', webhookUrl: receiver.webhookUrl, mention: memberId };
  }
  return { ok: true, recipient: { receiver: receiverName, audience: 'user', user, destination, route, groupKey: group.key, groupLabels: { ...group.labels } } };
}

function ownerRecipients(labels: Readonly<Record<string, string>>, config: RoutingConfig, directory: UserDirectory | null, route: RouteMatch): RecipientsResult {
  const user = Object.hasOwn(labels, 'user') ? (labels.user ?? '') : '';
  if (user === '') return { recipients: [], skipped: [{ notify: 'owner', user: null, reason: 'the alert has no user label' }] };
  if (directory === null) return { recipients: [], skipped: [{ notify: 'owner', user, reason: 'no user directory (users.yaml) is configured' }] };
  const entry = findUser(directory, user);
  const chosen = entry?.notify ?? null;
  const channels = chosen ?? directory.defaults.notify;
  if (channels.length === 0) return { recipients: [], skipped: [{ notify: 'owner', user, reason: chosen === null ? 'no channels in default.notify' : 'opted out (notify: [])' }] };
  const group = { key: groupKey(route, labels, ['user']), labels: groupLabels(route, labels, ['user']) };
  const recipients: Recipient[] = [];
  const failed: { channel: UserChannel; reason: string }[] = [];
  for (const channel of [...new Set(channels)]) {
    const r = userChannel(channel, user, entry, directory, config, route, group);
    if (r.ok) recipients.push(r.recipient);
    else failed.push({ channel, reason: r.reason });
  }
  // Channels the person chose are reported when they fail; default channels only when nothing reached them at all.
  const report = chosen !== null || recipients.length === 0 ? failed : [];
  return { recipients, skipped: report.map((f) => ({ notify: 'owner', user, reason: `${f.channel}: ${f.reason}` })) };
}

function identity(r: Recipient): string {
  const d = r.destination;
  const where =
    d.kind === 'slack'
      ? `slack\0${d.webhookUrl}\0${d.mention ?? ''}`
      : d.kind === 'email'
        ? `email\0${d.to.join(',')}`
        : d.kind === 'teams'
          ? `teams\0${d.webhookUrl}`
          : `webhook\0${d.url}`;
  return `${r.receiver}\0${r.groupKey}\0${where}`;
}

/**
 * The recipients of an alert. `notify` is the rule's list: `owner` → the person in the `user` label, by email
 * (the default email receiver, `to` = their address) and/or Slack (a Slack receiver, mentioning their member id), as
 * users.yaml says; `admins` → the receivers of the routes the alert takes; any other name → that receiver
 * (audience admin). `labels` are the alert's labels plus `alertname` and `severity`. Duplicates are dropped.
 */
export function recipientsFor(
  alertNotify: readonly string[],
  labels: Readonly<Record<string, string>>,
  config: RoutingConfig,
  directory: UserDirectory | null,
): RecipientsResult {
  const routes = routeAlert(config, labels);
  const first = routes[0] as RouteMatch; // the root always matches
  const recipients: Recipient[] = [];
  const skipped: SkippedRecipient[] = [];
  const seen = new Set<string>();
  const add = (r: Recipient): void => {
    const id = identity(r);
    if (!seen.has(id)) recipients.push(r);
    seen.add(id);
  };
  const admin = (receiverName: string, route: RouteMatch, notify: string): void => {
    const receiver = config.receivers.get(receiverName);
    const destination = receiver === undefined ? `receiver "${receiverName}" is not defined in the routing config` : adminDestination(receiver);
    if (typeof destination === 'string') skipped.push({ notify, user: null, reason: destination });
    else add({ receiver: receiverName, audience: 'admin', user: null, destination, route, groupKey: groupKey(route, labels), groupLabels: groupLabels(route, labels) });
  };
  for (const notify of [...new Set(alertNotify)]) {
    if (notify === 'admins') {
      for (const route of routes) admin(route.receiver, route, notify);
    } else if (notify === 'owner') {
      const r = ownerRecipients(labels, config, directory, first);
      r.recipients.forEach(add);
      skipped.push(...r.skipped);
    } else {
      admin(notify, first, notify);
    }
  }
  return { recipients, skipped };
}
