// receivers: as written → Receiver objects with their secrets read; duplicate names and bad secrets are reported.
import type { PathSegment } from '../limits/config-problem.ts';
import type { ReceiverFile } from './schema.ts';
import { isWebhookUrl, resolveSecret, secretSource, type SecretContext } from './secrets.ts';
import { SMTP_DEFAULT_PORT, type EmailReceiver, type Receiver, type SlackReceiver, type SmtpSettings, type TeamsReceiver, type WebhookReceiver } from './types.ts';

/** Records one problem at a key path (the caller adds the file and the line). */
export type Report = (path: PathSegment[], message: string) => void;

/** A receiver's URL secret (`webhook_url` or `url`, inline, _file or _env), checked to be http(s); null after a report. */
async function urlSecret(key: 'webhook_url' | 'url', raw: Parameters<typeof resolveSecret>[1], at: PathSegment[], ctx: SecretContext, report: Report, what: string): Promise<string | null> {
  const secret = await resolveSecret(key, raw, ctx, true);
  if (!secret.ok) {
    report([...at, secret.key], secret.message);
    return null;
  }
  if (secret.unread !== true && !isWebhookUrl(secret.value)) {
    report([...at, secret.key], `${secret.origin === key ? 'is not' : `${secret.origin} does not hold`} an http(s) URL${what}`);
    return null;
  }
  return secret.value;
}

async function slackReceiver(name: string, raw: NonNullable<ReceiverFile['slack']>, at: PathSegment[], ctx: SecretContext, report: Report): Promise<SlackReceiver | null> {
  const webhookUrl = await urlSecret('webhook_url', raw, at, ctx, report, ' (a Slack incoming webhook: https://hooks.slack.com/services/...)');
  return webhookUrl === null ? null : { kind: 'slack', name, webhookUrl, secretSource: secretSource('webhook_url', raw) };
}

async function teamsReceiver(name: string, raw: NonNullable<ReceiverFile['teams']>, at: PathSegment[], ctx: SecretContext, report: Report): Promise<TeamsReceiver | null> {
  const webhookUrl = await urlSecret('webhook_url', raw, at, ctx, report, ' (a Teams workflow webhook: https://...logic.azure.com/workflows/...)');
  return webhookUrl === null ? null : { kind: 'teams', name, webhookUrl, secretSource: secretSource('webhook_url', raw) };
}

async function webhookReceiver(name: string, raw: NonNullable<ReceiverFile['webhook']>, at: PathSegment[], ctx: SecretContext, report: Report): Promise<WebhookReceiver | null> {
  const url = await urlSecret('url', raw, at, ctx, report, '');
  if (url === null) return null;
  let bearerToken: string | null = null;
  if (raw.bearer_token !== undefined || raw.bearer_token_file !== undefined || raw.bearer_token_env !== undefined) {
    const token = await resolveSecret('bearer_token', raw, ctx, true);
    if (!token.ok) {
      report([...at, token.key], token.message);
      return null;
    }
    if (token.unread !== true && !isOneWord(token.value)) {
      report([...at, token.key], `${token.origin === 'bearer_token' ? 'holds' : `${token.origin} holds`} more than one word (a token is one line without spaces)`);
      return null;
    }
    bearerToken = token.value;
  }
  return { kind: 'webhook', name, url, bearerToken, maxAlerts: raw.max_alerts ?? 0, secretSource: secretSource('url', raw) };
}

/** Whether a token can go in an `Authorization: Bearer` header: one word, no control characters. */
function isOneWord(token: string): boolean {
  return !/[\s\u0000-\u001f\u007f]/.test(token);
}

async function emailReceiver(name: string, raw: NonNullable<ReceiverFile['email']>, at: PathSegment[], ctx: SecretContext, report: Report): Promise<EmailReceiver | null> {
  const base = { kind: 'email', name, from: raw.from.trim(), to: raw.to ?? [] } as const;
  if (raw.http_api !== undefined) {
    const secret = await resolveSecret('token', raw.http_api, ctx, true);
    if (!secret.ok) {
      report([...at, 'http_api', secret.key], secret.message);
      return null;
    }
    if (secret.unread !== true && !isOneWord(secret.value)) {
      const where = secret.origin === 'token' ? 'holds' : `${secret.origin} holds`;
      report([...at, 'http_api', secret.key], `${where} more than one word (a token is one line without spaces)`);
      return null;
    }
    return { ...base, transport: 'http_api', httpApi: { url: raw.http_api.url, token: secret.value } };
  }
  if (raw.host === undefined) return null; // the schema has reported an email: without a transport
  const tls = raw.tls ?? 'starttls';
  let auth: SmtpSettings['auth'] = null;
  if (raw.auth !== undefined) {
    const secret = await resolveSecret('password', raw.auth, ctx, false);
    if (!secret.ok) {
      report([...at, 'auth', secret.key], secret.message);
      return null;
    }
    auth = { username: raw.auth.username, password: secret.value };
  }
  return { ...base, transport: 'smtp', smtp: { host: raw.host, port: raw.port ?? SMTP_DEFAULT_PORT[tls], tls, auth } };
}

/** The receivers by name, in file order; a name defined twice is reported at its second definition. */
export async function buildReceivers(
  raw: readonly ReceiverFile[],
  ctx: SecretContext,
  report: Report,
  lineOfPath: (path: PathSegment[]) => number | null,
): Promise<Map<string, Receiver>> {
  const receivers = new Map<string, Receiver>();
  const firstIndex = new Map<string, number>();
  for (const [i, r] of raw.entries()) {
    const first = firstIndex.get(r.name);
    if (first !== undefined) {
      report(['receivers', i, 'name'], `receiver "${r.name}" is defined twice (first on line ${lineOfPath(['receivers', first, 'name']) ?? '?'})`);
      continue;
    }
    firstIndex.set(r.name, i);
    const at = (key: string): PathSegment[] => ['receivers', i, key];
    const built =
      r.slack !== undefined
        ? await slackReceiver(r.name, r.slack, at('slack'), ctx, report)
        : r.email !== undefined
          ? await emailReceiver(r.name, r.email, at('email'), ctx, report)
          : r.teams !== undefined
            ? await teamsReceiver(r.name, r.teams, at('teams'), ctx, report)
            : r.webhook !== undefined
              ? await webhookReceiver(r.name, r.webhook, at('webhook'), ctx, report)
              : null;
    if (built !== null) receivers.set(r.name, built);
  }
  return receivers;
}
