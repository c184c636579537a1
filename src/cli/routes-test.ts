import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { formatProblem } from '../config/limits/config-problem.ts';
import { formatDuration } from '../format/duration.ts';
import { ConfigError, loadRoutingConfigForDryRun, loadUserDirectory } from '../config/routing/load.ts';
import { LABEL_NAME } from '../config/routing/matcher.ts';
import type { Receiver, RoutingConfig, UserDirectory } from '../config/routing/types.ts';
import { recipientsFor, type Recipient } from '../notify/route/recipients.ts';
import type { RouteTiming } from '../notify/route/route.ts';
import type { Destination } from '../notify/types.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { ROUTES_TEST_USAGE } from './usage.ts';

/** Labels from `--labels a=b,c=d` (repeatable); a value may contain "=", not ",". */
export function parseLabelArgs(args: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of args.flatMap((a) => a.split(','))) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (eq < 0) throw new UsageError(`--labels: "${part}" is not name=value`);
    if (!LABEL_NAME.test(name)) throw new UsageError(`--labels: "${name}" is not a label name (letters, digits, _)`);
    labels[name] = part.slice(eq + 1).trim();
  }
  return labels;
}

/** `slack (webhook 3f2a…)` / `… mentioning U0…` / `teams (webhook 3f2a…)` / `webhook (url 3f2a…)` / `email a@b.org`: never the URL. */
export function describeDestination(d: Destination): string {
  if (d.kind === 'email') return `email ${d.to.join(', ')}`;
  const url = d.kind === 'webhook' ? d.url : d.webhookUrl;
  const hash = createHash('sha256').update(url, 'utf8').digest('hex').slice(0, 4);
  const what = d.kind === 'webhook' ? 'url' : 'webhook';
  return `${d.kind} (${what} ${hash}…)${d.kind === 'slack' && d.mention !== null ? ` mentioning ${d.mention}` : ''}`;
}

/**
 * A destination as a dry run shows it (no secret was read): a webhook by where its URL comes from
 * (`slack (webhook_url_env GPUWARDEN_SLACK_URL) mentioning U0…`), email by its addresses.
 */
export function describeDryRunDestination(d: Destination, receiver: Receiver | undefined): string {
  if (d.kind === 'email' || receiver === undefined || receiver.kind === 'email') return describeDestination(d);
  return `${d.kind} (${receiver.secretSource})${d.kind === 'slack' && d.mention !== null ? ` mentioning ${d.mention}` : ''}`;
}

/** `group_wait 30s, group_interval 5m, repeat_interval 1h (×2 up to 1d), send_resolved true` */
export function describeTiming(t: RouteTiming): string {
  const backoff = t.repeatBackoff === null || t.repeatBackoff.factor <= 1 ? '' : ` (×${t.repeatBackoff.factor} up to ${formatDuration(t.repeatBackoff.maxS)})`;
  return [
    `group_by [${t.groupBy.join(', ')}]`,
    `group_wait ${formatDuration(t.groupWaitS)}`,
    `group_interval ${formatDuration(t.groupIntervalS)}`,
    `repeat_interval ${formatDuration(t.repeatIntervalS)}${backoff}`,
    `send_resolved ${t.sendResolved}`,
  ].join(', ');
}

function timingOf(r: Recipient): RouteTiming {
  const { groupBy, groupWaitS, groupIntervalS, repeatIntervalS, repeatBackoff, sendResolved } = r.route;
  return { groupBy, groupWaitS, groupIntervalS, repeatIntervalS, repeatBackoff, sendResolved };
}

function describeRecipient(r: Recipient, config: RoutingConfig): string {
  const who = r.user === null ? r.audience : `${r.audience} ${r.user}`;
  return `${r.receiver}  ${who}  ${describeDryRunDestination(r.destination, config.receivers.get(r.receiver))}\n  route      ${r.route.id}\n  group key  ${r.groupKey}\n  timing     ${describeTiming(timingOf(r))}\n`;
}

async function loadConfigs(configFile: string, usersFile: string | undefined, io: CliIo): Promise<{ config: RoutingConfig; directory: UserDirectory | null } | null> {
  try {
    // A dry run, like amtool's: routing never depends on a secret, so none is read (no variable or file needed).
    const config = await loadRoutingConfigForDryRun(configFile);
    const directory = usersFile === undefined ? null : await loadUserDirectory(usersFile, config);
    return { config, directory };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) io.stderr(`${formatProblem(p)}\n`);
    return null;
  }
}

/** parseArgs options of `gpuwarden routes test`. */
export const ROUTES_TEST_FLAGS = {
  config: { type: 'string' },
  users: { type: 'string' },
  labels: { type: 'string', multiple: true },
  notify: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** `gpuwarden routes test`: which receivers an alert with given labels reaches, with audience, destination and timing. */
export async function routesTestCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: args[0] === 'test' ? args.slice(1) : args,
    options: ROUTES_TEST_FLAGS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.config === undefined || values.config === '') throw new UsageError('routes test needs --config FILE');
  const labels = parseLabelArgs(values.labels ?? []);
  if (Object.keys(labels).length === 0) throw new UsageError('routes test needs --labels name=value,... (at least alertname and severity)');
  const notify = (values.notify ?? ['admins']).flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== '');
  if (notify.length === 0) throw new UsageError('--notify needs owner, admins or receiver names');

  const loaded = await loadConfigs(values.config, values.users, io);
  if (loaded === null) return 1;
  const { recipients, skipped } = recipientsFor(notify, labels, loaded.config, loaded.directory);

  if (values.json === true) {
    const rows = recipients.map((r) => ({
      receiver: r.receiver,
      audience: r.audience,
      user: r.user,
      destination: describeDryRunDestination(r.destination, loaded.config.receivers.get(r.receiver)),
      route: r.route.id,
      groupKey: r.groupKey,
      timing: timingOf(r),
    }));
    io.stdout(`${JSON.stringify({ recipients: rows, skipped }, null, 2)}\n`);
    return 0;
  }
  if (!Object.hasOwn(labels, 'alertname')) io.stderr('note: no alertname label: routes that match on the rule id will not match\n');
  if (recipients.length === 0) io.stdout('no receiver\n');
  for (const r of recipients) io.stdout(describeRecipient(r, loaded.config));
  for (const s of skipped) io.stdout(`skipped  ${s.notify}${s.user === null ? '' : ` ${s.user}`}: ${s.reason}\n`);
  return 0;
}
