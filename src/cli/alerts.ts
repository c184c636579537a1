import { parseArgs } from 'node:util';
import type { Alert } from '../alerts/alert.ts';
import { SEVERITY_ORDER } from '../engine/finding.ts';
import { formatDurationSeconds } from '../format/duration-words.ts';
import { formatUtcMinute } from '../format/time-words.ts';
import { runAdminRequest, ServiceError, type ServiceRequest } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { renderColumns } from './render-table.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { ALERTS_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden alerts`. */
export const ALERTS_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  state: { type: 'string' },
  host: { type: 'string' },
  user: { type: 'string' },
  rule: { type: 'string' },
  severity: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const STATES = ['pending', 'firing', 'resolved'] as const;

/** The alerts the service returns when no --limit is given (GET /v1/alerts's default). */
const DEFAULT_LIMIT = 100;

/** `gpuwarden alerts`: the service's alerts, filtered, as a table or JSON. Exit 0 ok, 1 request failed; UsageError. */
export async function alertsCommand(args: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: ALERTS_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`alerts takes no arguments, got "${positionals.join(' ')}"; filter with --state, --host, --user, --rule`);
  if (values.state !== undefined && !(STATES as readonly string[]).includes(values.state)) {
    throw new UsageError(`--state "${values.state}" is not a state: use pending, firing or resolved`);
  }
  if (values.severity !== undefined && !(SEVERITY_ORDER as readonly string[]).includes(values.severity)) {
    throw new UsageError(`--severity "${values.severity}" is not a severity: use ${SEVERITY_ORDER.join(', ')}`);
  }
  if (values.limit !== undefined && !/^[1-9]\d{0,3}$/.test(values.limit)) throw new UsageError('--limit takes a whole number from 1 to 1000');
  for (const key of ['host', 'user', 'rule'] as const) if (values[key] === '') throw new UsageError(`--${key} must not be empty`);
  const query = new URLSearchParams();
  for (const key of ['state', 'host', 'user', 'rule', 'severity', 'limit'] as const) if (values[key] !== undefined) query.set(key, values[key]);
  const qs = query.toString();
  const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
  // Without --state: the alerts that need attention (the service lists firing, then pending, then resolved ones).
  const shown = (reply: unknown): Alert[] => alertsOf(reply).filter((a) => values.state !== undefined || a.state !== 'resolved');
  const request: ServiceRequest = {
    method: 'GET',
    path: `/v1/alerts${qs === '' ? '' : `?${qs}`}`,
    render: (reply) => {
      if (values.json === true) return `${JSON.stringify({ alerts: shown(reply) }, null, 2)}\n`;
      const all = alertsOf(reply);
      const more = all.length >= limit ? `(the first ${limit} the service returned; --limit N shows up to 1000)\n` : '';
      return renderAlerts(shown(reply), values.state !== undefined, now()) + more;
    },
  };
  return runAdminRequest(io, { command: 'alerts', sub: null }, { url: values.url, tokenFile: values['token-file'] }, request);
}

function alertsOf(body: unknown): Alert[] {
  const alerts = (body as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) throw new ServiceError('the service answered without a list of alerts');
  return alerts as Alert[];
}

/** When the alert entered its state: fired, resolved, or started matching (pending). */
function stateSince(a: Alert): string {
  if (a.state === 'firing') return a.firedAt ?? a.activeSince;
  if (a.state === 'resolved') return a.resolvedAt ?? a.updatedAt;
  return a.activeSince;
}

/** `firing for 2 h 5 min`, `pending for 40 s`, `resolved 3 h ago`; `(stale)` when a source the rule needs failed. */
export function alertStateWords(a: Alert, now: Date): string {
  const since = Date.parse(stateSince(a));
  const seconds = Number.isNaN(since) ? Number.NaN : Math.max(0, now.getTime() - since) / 1000;
  const words = a.state === 'resolved' ? `resolved ${formatDurationSeconds(seconds)} ago` : `${a.state} for ${formatDurationSeconds(seconds)}`;
  return a.stale === undefined || a.stale === null ? words : `${words} (stale)`;
}

/** The `alerts` table: state and for how long, since when (UTC, to the minute), severity, rule, host, user, summary. */
export function renderAlerts(alerts: readonly Alert[], filteredByState: boolean, now: Date): string {
  if (alerts.length === 0) return filteredByState ? 'No alerts in that state.\n' : 'No pending or firing alerts.\n';
  const header = ['STATE', 'SINCE', 'SEVERITY', 'RULE', 'HOST', 'USER', 'SUMMARY'];
  const rows = alerts.map((a) => [
    alertStateWords(a, now),
    formatUtcMinute(stateSince(a)),
    a.severity,
    a.stage === null ? a.rule : `${a.rule} (${a.stage})`,
    a.host,
    a.labels.user ?? '-',
    a.annotations.summary,
  ]);
  return renderColumns(header, rows);
}
