import { parseArgs } from 'node:util';
import { actionSentence, actionNote } from '../enforcement/action-words.ts';
import { ACTION_STATES, type StoredAction } from '../enforcement/stored-action.ts';
import { formatTimeFromNow } from '../format/time-words.ts';
import { formatTime } from '../notify/render/text.ts';
import { runAdminRequest, ServiceError, type ServiceRequest } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { renderColumns } from './render-table.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { ACTIONS_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden actions` (every subcommand). */
export const ACTIONS_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  host: { type: 'string' },
  state: { type: 'string' },
  user: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type LsValues = { host?: string; state?: string; user?: string; limit?: string; json?: boolean };

/** `gpuwarden actions ls|approve`: what enforcement planned and what came of it, through the admin API. Exit 0 ok, 1 failure. */
export async function actionsCommand(args: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'ls' && sub !== 'approve') throw new UsageError(`actions needs a subcommand: ls or approve${sub === undefined ? '' : `, not "${sub}"`}`);
  const { values, positionals } = parseArgs({ args: rest, options: ACTIONS_FLAGS, allowPositionals: true, strict: true });
  const request = sub === 'ls' ? lsRequest(values, positionals, now) : approveRequest(values, positionals);
  return runAdminRequest(io, { command: 'actions', sub }, { url: values.url, tokenFile: values['token-file'] }, request);
}

function lsRequest(values: LsValues, positionals: string[], now: () => Date): ServiceRequest {
  if (positionals.length > 0) throw new UsageError(`actions ls takes no arguments, got "${positionals.join(' ')}"`);
  if (values.state !== undefined && !(ACTION_STATES as readonly string[]).includes(values.state)) {
    throw new UsageError(`--state "${values.state}" is not a state: use one of ${ACTION_STATES.join(', ')}`);
  }
  if (values.limit !== undefined && !/^[1-9]\d{0,3}$/.test(values.limit)) throw new UsageError('--limit takes a whole number from 1 to 1000');
  const query = new URLSearchParams();
  for (const key of ['host', 'state', 'user', 'limit'] as const) if (values[key] !== undefined) query.set(key, values[key]);
  const qs = query.toString();
  const render = (reply: unknown): string =>
    values.json === true ? `${JSON.stringify({ actions: actionsOf(reply) }, null, 2)}\n` : renderActions(actionsOf(reply), now());
  return { method: 'GET', path: `/v1/actions${qs === '' ? '' : `?${qs}`}`, render };
}

function approveRequest(values: LsValues, positionals: string[]): ServiceRequest {
  if (positionals.length !== 1) throw new UsageError('actions approve takes one action ID (see actions ls --state awaiting-approval)');
  for (const flag of ['host', 'state', 'user', 'limit', 'json'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to actions ls`);
  const id = positionals[0] ?? '';
  return {
    method: 'POST',
    path: `/v1/actions/${encodeURIComponent(id)}/approve`,
    render: (reply) => {
      const a = (reply as { action?: StoredAction } | null)?.action;
      if (a === undefined) throw new ServiceError('the service answered without the action');
      return `Approved ${a.action.id}: ${a.action.type} on ${a.action.host} goes to the host with its next snapshot from ${formatTime(a.action.notBefore)}.\n`;
    },
  };
}

function actionsOf(body: unknown): StoredAction[] {
  const actions = (body as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(actions)) throw new ServiceError('the service answered without a list of actions');
  return actions as StoredAction[];
}

function targetText(a: StoredAction): string {
  const t = a.action.target;
  return t.kind === 'container' ? `container ${t.name}` : `pid ${t.pid}`;
}

/** The `actions ls` table: newest first; what happened is said in words, from the probe's result only. */
export function renderActions(actions: readonly StoredAction[], now: Date): string {
  if (actions.length === 0) return 'No actions.\n';
  const header = ['ID', 'STATE', 'HOST', 'TARGET', 'USER', 'RULE', 'PLANNED', 'WHAT'];
  const rows = actions.map((a) => [
    a.action.id,
    a.state,
    a.action.host,
    targetText(a),
    a.action.user ?? '-',
    a.action.reason.stage === null ? a.action.reason.rule : `${a.action.reason.rule} (${a.action.reason.stage})`,
    formatTimeFromNow(a.createdAt, now),
    actionSentence(actionNote(a), formatTime),
  ]);
  return renderColumns(header, rows);
}
