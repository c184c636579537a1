import { parseArgs } from 'node:util';
import { GRANT_RULE_PATTERN, grantActiveAt, type Grant } from '../enforcement/grant.ts';
import { durationProblem } from '../format/duration.ts';
import { formatTimeFromNow } from '../format/time-words.ts';
import { runAdminRequest, ServiceError, type ServiceRequest } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { renderColumns } from './render-table.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { GRANT_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden grant` (every subcommand). */
export const GRANT_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  user: { type: 'string' },
  rule: { type: 'string' },
  until: { type: 'string' },
  duration: { type: 'string' },
  reason: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

interface Values {
  url?: string;
  'token-file'?: string;
  user?: string;
  rule?: string;
  until?: string;
  duration?: string;
  reason?: string;
  all?: boolean;
  json?: boolean;
}

const ADD_FLAGS = ['user', 'rule', 'until', 'duration', 'reason'] as const;

/** `gpuwarden grant add|ls|revoke`: exempt a user from a rule for a while, through the admin API. Exit 0 ok, 1 failure. */
export async function grantCommand(args: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add' && sub !== 'ls' && sub !== 'revoke') {
    throw new UsageError(`grant needs a subcommand: add, ls or revoke${sub === undefined ? '' : `, not "${sub}"`}`);
  }
  const { values, positionals } = parseArgs({ args: rest, options: GRANT_FLAGS, allowPositionals: true, strict: true });
  const request = sub === 'add' ? addRequest(values, positionals, now) : sub === 'ls' ? lsRequest(values, positionals, now) : revokeRequest(values, positionals);
  return runAdminRequest(io, { command: 'grant', sub }, { url: values.url, tokenFile: values['token-file'] }, request);
}

function addRequest(values: Values, positionals: string[], now: () => Date): ServiceRequest {
  if (positionals.length > 0) throw new UsageError(`grant add takes flags only, got "${positionals.join(' ')}"; quote a --reason with spaces`);
  rejectLsFlags(values, 'add');
  const user = values.user ?? '';
  if (user.trim() === '') throw new UsageError('--user is required: the person to exempt, as their alerts name them (the user label)');
  const rule = values.rule ?? '';
  if (rule === '') throw new UsageError('--rule is required: the rule id to exempt them from (such as idle-gpu-container), or * for every rule');
  if (!GRANT_RULE_PATTERN.test(rule)) throw new UsageError(`--rule "${rule}" is not a rule id: use letters, digits and . _ : - (such as idle-gpu-container), or *`);
  if (values.reason === undefined || values.reason.trim() === '') throw new UsageError('--reason is required: say why the user is exempt (it is shown with the grant)');
  if (values.until !== undefined && values.duration !== undefined) throw new UsageError('give --until or --duration, not both');
  const body: Record<string, unknown> = { user, rule, reason: values.reason };
  if (values.until !== undefined) body.until = values.until;
  else if (values.duration !== undefined) {
    const problem = durationProblem(values.duration);
    if (problem !== null) throw new UsageError(`--duration: ${problem}`);
    body.duration = values.duration;
  } else throw new UsageError('give --until ISO (such as 2026-12-04T17:00:00Z) or --duration (such as 3d) for how long the grant lasts');
  return {
    method: 'POST',
    path: '/v1/grants',
    body,
    render: (reply) => {
      const g = grantOf(reply);
      return `Granted ${g.user} an exemption from ${ruleWords(g.rule)} until ${formatTimeFromNow(g.until, now())}; id ${g.id}\n`;
    },
  };
}

function lsRequest(values: Values, positionals: string[], now: () => Date): ServiceRequest {
  if (positionals.length > 0) throw new UsageError(`grant ls takes no arguments, got "${positionals.join(' ')}"`);
  rejectAddFlags(values, 'ls');
  const all = values.all === true;
  const render = (reply: unknown): string =>
    values.json === true ? `${JSON.stringify({ grants: grantsOf(reply) }, null, 2)}\n` : renderGrants(grantsOf(reply), all, now());
  return { method: 'GET', path: all ? '/v1/grants?all=1' : '/v1/grants', render };
}

function revokeRequest(values: Values, positionals: string[]): ServiceRequest {
  if (positionals.length !== 1) throw new UsageError('grant revoke takes one grant ID (see grant ls)');
  rejectAddFlags(values, 'revoke');
  rejectLsFlags(values, 'revoke');
  const id = positionals[0] ?? '';
  return { method: 'DELETE', path: `/v1/grants/${encodeURIComponent(id)}`, render: (reply) => `Revoked ${grantOf(reply).id}\n` };
}

function rejectLsFlags(values: Values, sub: string): void {
  for (const flag of ['all', 'json'] as const) if (values[flag] === true) throw new UsageError(`--${flag} belongs to grant ls, not grant ${sub}`);
}

function rejectAddFlags(values: Values, sub: string): void {
  for (const flag of ADD_FLAGS) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to grant add, not grant ${sub}`);
  }
}

function ruleWords(rule: string): string {
  return rule === '*' ? 'every rule' : rule;
}

function grantOf(body: unknown): Grant {
  const grant = (body as { grant?: Grant } | null)?.grant;
  if (grant === undefined || typeof grant.id !== 'string') throw new ServiceError('the service answered without a grant');
  return grant;
}

function grantsOf(body: unknown): Grant[] {
  const grants = (body as { grants?: unknown } | null)?.grants;
  if (!Array.isArray(grants)) throw new ServiceError('the service answered without a list of grants');
  return grants as Grant[];
}

/** A grant's state at `now`: active, expired (until has passed) or revoked. */
export function grantState(grant: Grant, now: Date): 'active' | 'expired' | 'revoked' {
  if (grantActiveAt(grant, now)) return 'active';
  return revokedEarly(grant) ? 'revoked' : 'expired';
}

/** Whether the grant was revoked before it would have ended. */
function revokedEarly(grant: Grant): boolean {
  return grant.revokedAt !== null && Date.parse(grant.revokedAt) < Date.parse(grant.until);
}

/** The `grant ls` table (a STATE column with --all); times for people, the lifecycle exemptions marked by source. */
export function renderGrants(grants: readonly Grant[], all: boolean, now: Date): string {
  if (grants.length === 0) return all ? 'No grants.\n' : 'No grants in force.\n';
  const header = ['ID', ...(all ? ['STATE'] : []), 'USER', 'RULE', 'UNTIL', 'SOURCE', 'CREATED BY', 'REASON'];
  const rows = grants.map((g) => [
    g.id,
    ...(all ? [grantState(g, now)] : []),
    g.user,
    g.rule,
    formatTimeFromNow(g.until, now),
    g.source,
    g.createdBy,
    g.reason,
  ]);
  return renderColumns(header, rows);
}
