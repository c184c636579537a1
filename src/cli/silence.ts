import { parseArgs } from 'node:util';
import { formatMatcher, MatcherError, parseMatcher } from '../alerts/silence.ts';
import { durationProblem } from '../engine/rules/duration.ts';
import { readTokenFile, TokenFileError } from '../probe/push/token-file.ts';
import type { Silence } from '../store/store.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { SILENCE_USAGE } from './usage.ts';

const FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  comment: { type: 'string' },
  duration: { type: 'string' },
  ends: { type: 'string' },
  starts: { type: 'string' },
  'expire-on-resolve': { type: 'boolean' },
  all: { type: 'boolean' },
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
}

/** How long one request to the service may take. */
export const SILENCE_REQUEST_TIMEOUT_MS = 30_000;

/** A request that failed: the service's own message (or why it could not be reached), never the token. */
class ServiceError extends Error {
  override name = 'ServiceError';
}

/** `gpuwarden silence add|ls|expire`: talk to the service's admin API. Exit 0 ok, 1 failure; UsageError for bad usage. */
export async function silenceCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add' && sub !== 'ls' && sub !== 'expire') {
    throw new UsageError(`silence needs a subcommand: add, ls or expire${sub === undefined ? '' : `, not "${sub}"`}`);
  }
  const { values, positionals } = parseArgs({ args: rest, options: FLAGS, allowPositionals: true, strict: true });
  const base = serviceUrl(values.url);
  const tokenPath = values['token-file'];
  if (tokenPath === undefined || tokenPath === '') throw new UsageError('--token-file is required (a file holding an admin token)');
  const request = sub === 'add' ? addRequest(values, positionals) : sub === 'ls' ? lsRequest(values, positionals) : expireRequest(values, positionals);
  try {
    const { token, warning } = await readTokenFile(tokenPath);
    if (warning !== null) io.stderr(`gpuwarden silence: warning: ${warning}\n`);
    const body = await callService(base, token, request);
    io.stdout(request.render(body));
    return 0;
  } catch (err) {
    if (!(err instanceof ServiceError) && !(err instanceof TokenFileError)) throw err;
    io.stderr(`gpuwarden silence ${sub}: ${err.message}\n`);
    return 1;
  }
}

interface ServiceRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  render: (body: unknown) => string;
}

function serviceUrl(text: string | undefined): string {
  if (text === undefined || text === '') throw new UsageError('--url is required (the rules service, such as http://127.0.0.1:8787)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:8787, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got "${url.protocol}"`);
  if (url.search !== '' || url.hash !== '') throw new UsageError('--url must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function addRequest(values: Values, matchers: string[]): ServiceRequest {
  if (values.all === true) throw new UsageError('--all belongs to silence ls');
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
  return { method: 'GET', path: all ? '/v1/silences' : '/v1/silences?active=true', render: (reply) => renderSilences(silencesOf(reply), all, new Date()) };
}

function expireRequest(values: Values, positionals: string[]): ServiceRequest {
  if (positionals.length !== 1) throw new UsageError('silence expire takes one silence ID');
  rejectAddFlags(values, 'expire');
  if (values.all === true) throw new UsageError('--all belongs to silence ls');
  const id = positionals[0] ?? '';
  return { method: 'DELETE', path: `/v1/silences/${encodeURIComponent(id)}`, render: (reply) => `expired ${silenceOf(reply).id}\n` };
}

function rejectAddFlags(values: Values, sub: string): void {
  for (const flag of ['comment', 'duration', 'ends', 'starts', 'expire-on-resolve'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to silence add, not silence ${sub}`);
  }
}

async function callService(base: string, token: string, request: ServiceRequest): Promise<unknown> {
  const url = `${base}${request.path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method,
      headers: { Authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(SILENCE_REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new ServiceError(`cannot reach ${base}: ${networkReason(err)}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // a proxy's HTML error page, say: reported by status below
  }
  if (!res.ok) throw new ServiceError(describeFailure(res, body));
  if (body === null) throw new ServiceError(`the service answered ${res.status} without a JSON body`);
  return body;
}

function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${SILENCE_REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function describeFailure(res: Response, body: unknown): string {
  const reply = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown; issues?: unknown };
  const code = typeof reply.error === 'string' ? ` ${reply.error}` : '';
  const head = typeof reply.message === 'string' ? `${res.status}${code}: ${reply.message}` : `${res.status} ${res.statusText}`;
  const issues = Array.isArray(reply.issues)
    ? reply.issues.map((i: { path?: unknown; message?: unknown }) => `\n  ${String(i.path ?? '')}: ${String(i.message ?? '')}`).join('')
    : '';
  return `the service answered ${head}${issues}`;
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
