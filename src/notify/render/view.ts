// What a message says, decided once for every channel: the Slack and email formatters only lay this out.
import type { Alert } from '../../alerts/alert.ts';
import type { Audience, MessageGroup, NotifiedAlert, NotifyReason } from '../types.ts';
import { alertTitle, severityWord, worstWord, type SeverityWord } from './severity.ts';
import { endedUntracked, staleText, untrackedText } from './staleness.ts';
import { formatTime, oneLine, plural } from './text.ts';
import { actionSentence, userSeesAction } from '../../enforcement/action-words.ts';

/** The footer's contact when the notifications config names none. */
export const DEFAULT_CONTACT = "the server's administrators";

/** Options a renderer takes beside the group. */
export interface RenderOptions {
  /** The Slack member to mention (`U0123ABCD` or `<@U0123ABCD>`, from `destination.mention`); anything else is ignored. */
  mention?: string | null;
  /** Whom users should ask (a channel, an address; notifications.yaml `contact`), named in the user footer; default DEFAULT_CONTACT. */
  contact?: string | null;
  /** The web view's public base URL (`public_url:`): user messages link to the person's page, admin messages to the alerts page. */
  webUrl?: string | null;
}

/** One labelled value (a Slack section field, an email table row). Raw text: each formatter escapes it. */
export interface ViewField {
  label: string;
  value: string;
}

/** One alert as a message shows it. Raw text: each formatter escapes it. */
export interface ViewItem {
  word: SeverityWord;
  title: string;
  summary: string;
  /** What the limit is, what happens next, how to fix it (the rule's description); why it is no longer tracked; null for resolved lines. */
  description: string | null;
  fields: ViewField[];
}

/** A message group turned into display content, independent of the channel. */
export interface MessageView {
  audience: Audience;
  test: boolean;
  /** The most serious word of the group (RESOLVED or NO LONGER TRACKED when nothing fires). */
  word: SeverityWord;
  /** One line, e.g. `WARNING: 2 alerts for h.baker@hertie-school.lan on ds01` (no product prefix, no TEST marker). */
  headline: string;
  greeting: string | null;
  intro: string;
  items: ViewItem[];
  footer: string[];
  /** `<@U…>` for Slack, or null. */
  mention: string | null;
}

/** `<@U0123ABCD>` for a Slack member id (`U…`/`W…`, bare, `@`-prefixed or already wrapped); null for anything else. */
export function slackMention(mention: string | null | undefined): string | null {
  if (mention === null || mention === undefined) return null;
  const m = /^<?@?([UW][A-Z0-9]{2,})>?$/.exec(mention.trim());
  return m?.[1] !== undefined ? `<@${m[1]}>` : null;
}

const isResolved = (n: NotifiedAlert): boolean => n.reason === 'resolved' || n.alert.state === 'resolved';

/** What state a line of the message shows, for its words and the headline counts. */
type LineState = 'firing' | 'pending' | 'resolved' | 'untracked';

function lineState(n: NotifiedAlert): LineState {
  if (isResolved(n)) return endedUntracked(n.alert) ? 'untracked' : 'resolved';
  return n.alert.state === 'pending' ? 'pending' : 'firing';
}

/** `2 firing, 1 pending, 1 resolved, 1 no longer tracked`: only the states present, in that order. */
export function stateCountsText(states: readonly LineState[]): string {
  const words: [LineState, string][] = [['firing', 'firing'], ['pending', 'pending'], ['resolved', 'resolved'], ['untracked', 'no longer tracked']];
  const parts = words.map(([state, word]) => [states.filter((s) => s === state).length, word] as const).filter(([n]) => n > 0);
  return parts.length === 0 ? 'no alerts' : parts.map(([n, word]) => `${n} ${word}`).join(', ');
}

/** The "Stale" field of an alert whose sources could not be read at the last evaluation; none when it is fresh. */
function staleFields(alert: Alert): ViewField[] {
  const text = staleText(alert);
  return text === null ? [] : [{ label: 'Stale', value: text }];
}

/** The hosts of a group as words: `ds01`, `ds01, ds02`, `5 hosts`. */
function hostsText(group: MessageGroup): string {
  const hosts = [...new Set(group.alerts.map((n) => n.alert.host))].sort();
  if (hosts.length === 0) return group.groupLabels.host ?? 'the GPU server';
  return hosts.length <= 3 ? hosts.join(', ') : `${hosts.length} hosts`;
}

/** Which container, GPU and process an alert is about (whichever labels it has). */
export function targetFields(alert: Alert): ViewField[] {
  const l = alert.labels;
  const fields: ViewField[] = [];
  const id = l.container !== undefined ? l.container.slice(0, 12) : undefined;
  if (l.containerName !== undefined || id !== undefined) {
    const value = l.containerName !== undefined && id !== undefined ? `${l.containerName} (${id})` : (l.containerName ?? id ?? '');
    fields.push({ label: 'Container', value });
  }
  if (l.gpuIndex !== undefined || l.gpu !== undefined) {
    const value = l.gpuIndex !== undefined ? `GPU ${l.gpuIndex}${l.gpu !== undefined ? ` (${l.gpu})` : ''}` : (l.gpu ?? '');
    fields.push({ label: 'GPU', value });
  }
  if (l.pid !== undefined) fields.push({ label: 'Process', value: `pid ${l.pid}` });
  return fields.map((f) => ({ label: f.label, value: oneLine(f.value) }));
}

/** How each notify reason reads on an alert line. */
const REASON_STATUS: Record<NotifyReason, string> = {
  firing: 'new',
  escalated: 'escalated',
  repeat: 'reminder',
  resolved: 'resolved',
  action: 'action update',
};

/** The "Exemption" field of an alert whose user holds a grant for its rule. */
function grantFields(alert: Alert, audience: Audience): ViewField[] {
  const g = alert.grant;
  if (g === undefined || g === null) return [];
  const until = g.until.startsWith('9999-') ? 'with no end date' : `until ${formatTime(g.until)}`;
  const who = audience === 'user' ? 'you are' : `${alert.labels.user ?? 'the user'} is`;
  const tail = audience === 'user' ? ': for your information only; nothing will be done.' : '; no action is planned.';
  return [{ label: 'Exemption', value: `${who} exempt from this rule ${until} (${oneLine(g.reason)})${tail}` }];
}

/** The "Action" field: what enforcement did or will do (users see only what concerns them; admins everything). */
function actionFields(alert: Alert, audience: Audience): ViewField[] {
  const note = alert.action;
  if (note === undefined || note === null || (audience === 'user' && !userSeesAction(note.state))) return [];
  return [{ label: 'Action', value: actionSentence(note, formatTime) }];
}

function userItem(n: NotifiedAlert): ViewItem {
  const { alert } = n;
  const host: ViewField = { label: 'Server', value: oneLine(alert.host) };
  const state = lineState(n);
  if (state === 'resolved' || state === 'untracked') {
    const untracked = state === 'untracked';
    const at = alert.resolvedAt !== null ? [{ label: untracked ? 'No longer tracked' : 'Resolved', value: formatTime(alert.resolvedAt) }] : [];
    return {
      word: untracked ? 'NO LONGER TRACKED' : 'RESOLVED',
      title: alertTitle(alert),
      summary: oneLine(alert.annotations.summary),
      description: untracked ? untrackedText(alert, 'user') : null,
      fields: [...targetFields(alert), host, ...at],
    };
  }
  const stale = staleText(alert) !== null;
  const status =
    state === 'pending'
      ? 'pending: not confirmed yet'
      : n.reason === 'escalated' || n.reason === 'action'
        ? REASON_STATUS[n.reason]
        : n.reason === 'repeat'
          ? stale ? 'reminder' : 'reminder: still active'
          : null;
  const statusField = status !== null ? [{ label: 'Status', value: status }] : [];
  return {
    word: severityWord(alert),
    title: alertTitle(alert),
    summary: oneLine(alert.annotations.summary),
    description: alert.annotations.description.trim() === '' ? null : alert.annotations.description.trim(),
    fields: [...targetFields(alert), host, { label: 'Since', value: formatTime(alert.firedAt ?? alert.activeSince) }, ...statusField, ...staleFields(alert), ...grantFields(alert, 'user'), ...actionFields(alert, 'user')],
  };
}

/** The admin State field: `firing (new)`, `pending`, `resolved`, `no longer tracked (source unavailable)`. */
function adminState(n: NotifiedAlert, state: LineState): string {
  if (state === 'untracked') return 'no longer tracked (source unavailable)';
  if (state === 'resolved') return 'resolved';
  if (state === 'pending') return 'pending';
  return `${n.alert.state} (${REASON_STATUS[n.reason]})`;
}

function adminItem(n: NotifiedAlert): ViewItem {
  const { alert } = n;
  const state = lineState(n);
  const ended = state === 'resolved' || state === 'untracked';
  const fields: ViewField[] = [
    { label: 'Rule', value: alert.stage !== null ? `${alert.rule} (stage ${alert.stage})` : alert.rule },
    { label: 'Severity', value: alert.severity },
    { label: 'State', value: adminState(n, state) },
    { label: 'Host', value: alert.host },
  ];
  if (alert.labels.user !== undefined) fields.push({ label: 'User', value: alert.labels.user });
  fields.push(...targetFields(alert));
  fields.push({ label: 'Since', value: formatTime(alert.firedAt ?? alert.activeSince) });
  if (ended && alert.resolvedAt !== null) fields.push({ label: state === 'untracked' ? 'No longer tracked' : 'Resolved', value: formatTime(alert.resolvedAt) });
  if (!ended) fields.push(...staleFields(alert));
  fields.push(...grantFields(alert, 'admin'), ...actionFields(alert, 'admin'));
  const description = state === 'untracked' ? untrackedText(alert, 'admin') : ended || alert.annotations.description.trim() === '' ? null : alert.annotations.description.trim();
  return {
    word: state === 'untracked' ? 'NO LONGER TRACKED' : state === 'resolved' ? 'RESOLVED' : severityWord(alert),
    title: alertTitle(alert),
    summary: oneLine(alert.annotations.summary),
    description,
    fields: fields.map((f) => ({ label: f.label, value: oneLine(f.value) })),
  };
}

const WORD_RANK: Record<SeverityWord, number> = { 'LIMIT REACHED': 0, ALERT: 1, WARNING: 2, NOTICE: 3, 'NO LONGER TRACKED': 4, RESOLVED: 5 };

/** Group labels as `host=ds01, rule=idle-gpu-container` (sorted by name). */
export function groupLabelsText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${oneLine(labels[k] ?? '')}`)
    .join(', ');
}

/** The admin headline's tail: ` — idle-gpu-container on ds01`, from the group labels (rule first, host last). */
function adminGroupText(group: MessageGroup): string {
  const labels = group.groupLabels;
  const rule = labels.rule ?? labels.alertname;
  const others = Object.keys(labels)
    .filter((k) => k !== 'rule' && k !== 'alertname' && k !== 'host')
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`);
  const parts = [...(rule !== undefined ? [rule] : []), ...others];
  const on = `on ${labels.host ?? hostsText(group)}`;
  return parts.length > 0 ? ` — ${parts.join(' ')} ${on}` : ` ${on}`;
}

/** Builds the channel-independent content of one message group. Pure. */
export function buildView(group: MessageGroup, options: RenderOptions = {}): MessageView {
  const audience = group.audience;
  const webBase = options.webUrl === undefined || options.webUrl === null || options.webUrl === '' ? null : options.webUrl.replace(/\/+$/, '');
  const notified = [...group.alerts]
    .map((n, i) => ({ n, i, item: audience === 'user' ? userItem(n) : adminItem(n) }))
    .sort((a, b) => WORD_RANK[a.item.word] - WORD_RANK[b.item.word] || a.i - b.i);
  const items = notified.map((x) => x.item);
  const states = notified.map((x) => lineState(x.n));
  const count = (state: LineState): number => states.filter((s) => s === state).length;
  const word = worstWord(items.filter((i) => i.word !== 'RESOLVED').map((i) => i.word));
  const hosts = hostsText(group);
  const user = group.user !== null ? oneLine(group.user) : null;
  const contact = options.contact !== undefined && options.contact !== null && options.contact.trim() !== '' ? oneLine(options.contact) : DEFAULT_CONTACT;

  if (audience === 'user') {
    const only = items.length === 1 ? items[0] : undefined;
    const headline = only !== undefined ? `${word}: ${only.summary}` : `${word}: ${plural(items.length, 'alert')} for ${user ?? 'you'} on ${hosts}`;
    const isAre = (n: number): string => (n === 1 ? 'is' : 'are');
    const [firing, pending, resolved, untracked] = [count('firing'), count('pending'), count('resolved'), count('untracked')];
    const intro = [
      ...(firing > 0 ? [`${firing === 1 ? 'There is 1 alert' : `There are ${firing} alerts`} about your work on the GPU server ${hosts}.`] : []),
      ...(pending > 0 ? [`${plural(pending, 'alert')} ${isAre(pending)} pending: not confirmed yet.`] : []),
      ...(resolved > 0 ? [`${plural(resolved, 'earlier alert')} ${isAre(resolved)} resolved: nothing to do there.`] : []),
      ...(untracked > 0 ? [`${plural(untracked, 'earlier alert')} ${isAre(untracked)} no longer tracked: gpuwarden cannot tell whether ${untracked === 1 ? 'it still applies' : 'they still apply'}.`] : []),
    ].join(' ');
    return {
      audience,
      test: group.test === true,
      word,
      headline: oneLine(headline),
      greeting: `Hello ${user !== null ? (user.split('@')[0] ?? user) : 'there'},`,
      intro,
      items,
      footer: [
        `You get this message because gpuwarden attributes the containers, processes or quota above to you${user !== null ? ` (${user})` : ''} on the shared GPU server ${hosts}.`,
        `Questions, or think this is wrong? Ask ${contact}.`,
        ...(webBase !== null && user !== null ? [`Your containers, alerts and GPU usage: ${webBase}/ui/users/${encodeURIComponent(user)} (sign in with the link your administrators sent you).`] : []),
      ],
      mention: slackMention(options.mention),
    };
  }

  const counts = stateCountsText(states);
  const labels = groupLabelsText(group.groupLabels);
  const link = webBase !== null ? [`Alerts: ${webBase}/ui/alerts`]
    : group.serviceUrl !== undefined && group.serviceUrl !== '' ? [`Alerts: ${group.serviceUrl.replace(/\/+$/, '')}/v1/alerts?state=firing`] : [];
  return {
    audience,
    test: group.test === true,
    word,
    headline: oneLine(`${word}: ${counts}${adminGroupText(group)}`),
    greeting: null,
    intro: `${plural(items.length, 'alert')} in this group: ${counts}.${labels !== '' ? ` Group: ${labels}.` : ''}`,
    items,
    footer: [`gpuwarden · receiver ${oneLine(group.receiver)} · ${hosts}`, ...link],
    mention: slackMention(options.mention),
  };
}
