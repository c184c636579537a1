import { parseArgs } from 'node:util';
import { formatMatcher, MatcherError, parseMatcher } from '../alerts/silence.ts';
import { durationProblem } from '../format/duration.ts';
import type { Silence } from '../store/store.ts';
import type { CliIo } from './io.ts';
import { ADMIN_REQUEST_TIMEOUT_MS, runAdminRequest, ServiceError, type ServiceRequest } from './admin-client.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { SILENCE_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden silence` (every subcommand). */
export const SILENCE_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  comment: { type: 'string' },
  duration: { type: 'string' },
  ends: { type: 'string' },
  starts: { type: 'string' },
  'expire-on-resolve': { type: 'boolean' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

interface Values {
  url?: string;
  'token-file'?: string;
  comment?: string;
  duration?: string;
  ends?: string;
  starts?: string;
  'expire-on-resolve'?: boolean;
  all?: boolean;
  json?: boolean;
}

/** How long one request to the service may take. */
export const SILENCE_REQUEST_TIMEOUT_MS = ADMIN_REQUEST_TIMEOUT_MS;

/** `gpuwarden silence add|ls|expire`: talk to the service's admin API. Exit 0 ok, 1 failure; UsageError for bad usage. */
export async function silenceCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add' && sub !== 'ls' && sub !== 'expire') {
    throw new UsageError(`silence needs a subcommand: add, ls or expire${sub === undefined ? '' : `, not "${sub}"`}`);
  }
  const { values, positionals } = parseArgs({ args: rest, options: SILENCE_FLAGS, allowPositionals: true, strict: true });
  const request = sub === 'add' ? addRequest(values, positionals) : sub === 'ls' ? lsRequest(values, positionals) : expireRequest(values, positionals);
  return runAdminRequest(io, { command: 'silence', sub }, { url: values.url, tokenFile: values['token-file'] }, request);
}

function addRequest(values: Values, matchers: string[]): ServiceRequest {
  rejectLsFlags(values, 'add');
  if (values.comment === undefined || values.comment.trim() === '') throw new UsageError('--comment is required: say why the alerts are muted');
  if (matchers.length === 0) throw new UsageError('give at least one MATCHER, such as user=alice or alertname=~idle-.*');
  for (const text of matchers) {
    try {
      parseMatcher(text);
    } catch (err) {
      if (err instanceof MatcherError) throw new UsageError(err.message);
      throw err;
    }
  }
  if (values.duration !== undefined && values.ends !== undefined) throw new UsageError('give --duration or --ends, not both');
  const body: Record<string, unknown> = { matchers, comment: values.comment };
  if (values.ends !== undefined) body.endsAt = values.ends;
  else {
    const duration = values.duration ?? '1h';
    const problem = durationProblem(duration);
    if (problem !== null) throw new UsageError(`--duration: ${problem}`);
    body.duration = duration;
  }
  if (values.starts !== undefined) body.startsAt = values.starts;
  if (values['expire-on-resolve'] === true) body.expireOnResolve = true;
  return { method: 'POST', path: '/v1/silences', body, render: (reply) => `${silenceOf(reply).id}\n` };
}

function lsRequest(values: Values, positionals: string[]): ServiceRequest {
  if (positionals.length > 0) throw new UsageError(`silence ls takes no arguments, got "${positionals.join(' ')}"`);
  rejectAddFlags(values, 'ls');
  const all = values.all === true;
  const render = (reply: unknown): string =>
    values.json === true ? `${JSON.stringify({ silences: silencesOf(reply) }, null, 2)}\n` : renderSilences(silencesOf(reply), all, new Date());
  return { method: 'GET', path: all ? '/v1/silences' : '/v1/silences?active=true', render };
}

function expireRequest(values: Values, positionals: string[]): ServiceRequest {
  if (positionals.length !== 1) throw new UsageError('silence expire takes one silence ID');
  rejectAddFlags(values, 'expire');
  rejectLsFlags(values, 'expire');
  const id = positionals[0] ?? '';
  return { method: 'DELETE', path: `/v1/silences/${encodeURIComponent(id)}`, render: (reply) => `expired ${silenceOf(reply).id}\n` };
}

function rejectLsFlags(values: Values, sub: string): void {
  for (const flag of ['all', 'json'] as const) if (values[flag] === true) throw new UsageError(`--${flag} belongs to silence ls, not silence ${sub}`);
}

function rejectAddFlags(values: Values, sub: string): void {
  for (const flag of ['comment', 'duration', 'ends', 'starts', 'expire-on-resolve'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to silence add, not silence ${sub}`);
  }
}

function silenceOf(body: unknown): Silence {
  const silence = (body as { silence?: Silence } | null)?.silence;
  if (silence === undefined || typeof silence.id !== 'string') throw new ServiceError('the service answered without a silence');
  return silence;
}

function silencesOf(body: unknown): Silence[] {
  const silences = (body as { silences?: unknown } | null)?.silences;
  if (!Array.isArray(silences)) throw new ServiceError('the service answered without a list of silences');
  return silences as Silence[];
}

/** A silence's state at `now`: active, pending (not started), expired (ended early) or ended. */
export function silenceState(silence: Silence, now: Date): 'active' | 'pending' | 'expired' | 'ended' {
  const t = now.getTime();
  if (silence.expiredAt !== null && Date.parse(silence.expiredAt) <= t) return 'expired';
  if (Date.parse(silence.endsAt) <= t) return 'ended';
  return Date.parse(silence.startsAt) > t ? 'pending' : 'active';
}

/** The `silence ls` table (a STATE column with --all); one line per silence, comments on one line. */
export function renderSilences(silences: readonly Silence[], all: boolean, now: Date): string {
  if (silences.length === 0) return all ? 'No silences.\n' : 'No active silences.\n';
  const header = ['ID', ...(all ? ['STATE'] : []), 'STARTS', 'ENDS', 'CREATED BY', 'MATCHERS', 'COMMENT'];
  const rows = silences.map((s) => [
    s.id,
    ...(all ? [silenceState(s, now)] : []),
    s.startsAt,
    s.expiredAt ?? s.endsAt,
    s.createdBy,
    s.matchers.map(formatMatcher).join(' ') + (s.expireOnResolve ? ' (until resolved)' : ''),
    s.comment.replace(/[\u0000-\u001f\u007f]+/g, ' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
