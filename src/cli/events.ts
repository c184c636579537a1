import { parseArgs } from 'node:util';
import type { GwEvent } from '../events/event.ts';
import { DurationError, parseDurationMs } from '../format/duration.ts';
import { runAdminRequest, ServiceError } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { renderColumns } from './render-table.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { EVENTS_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden events`. */
export const EVENTS_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  type: { type: 'string' },
  host: { type: 'string' },
  user: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  follow: { type: 'boolean' },
} as const;

/** How often --follow asks for new events. */
export const FOLLOW_POLL_MS = 2000;

/** What `events` may be given besides its arguments: the clock (for --since 1h), and for --follow a stop signal and the poll wait. */
export interface EventsOptions {
  now?: () => Date;
  /** Ends --follow (default: SIGINT). */
  signal?: AbortSignal;
  pollMs?: number;
}

/**
 * `gpuwarden events`: the event log, newest last, filtered, as a table or JSON lines; --follow keeps polling with the
 * cursor until SIGINT. Exit 0 ok, 1 a request failed; UsageError.
 */
export async function eventsCommand(args: string[], io: CliIo, options: EventsOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: EVENTS_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`events takes no arguments, got "${positionals.join(' ')}"; filter with --type, --host, --user, --since`);
  if (values.type !== undefined && !/^[a-z_]+(\.[a-z_]*)?$/.test(values.type)) throw new UsageError(`--type "${values.type}" is not a type prefix: use alert, alert.firing, config.reload, ...`);
  if (values.limit !== undefined && !/^[1-9]\d{0,3}$/.test(values.limit)) throw new UsageError('--limit takes a whole number from 1 to 1000');
  for (const key of ['host', 'user'] as const) if (values[key] === '') throw new UsageError(`--${key} must not be empty`);
  const query = new URLSearchParams();
  for (const key of ['type', 'host', 'user', 'limit'] as const) if (values[key] !== undefined) query.set(key, values[key]);
  if (values.since !== undefined) query.set('since', sinceTime(values.since, (options.now ?? (() => new Date()))()));
  const flags = { url: values.url, tokenFile: values['token-file'] };
  let after: string | null = null;
  const print = createEventsPrinter();
  const render = (reply: unknown): string => {
    const page = pageOf(reply);
    after = page.next ?? after;
    if (values.json === true) return page.events.map((e) => `${JSON.stringify(e)}\n`).join('');
    if (page.events.length === 0) return values.follow === true ? '' : 'No events.\n';
    return print(page.events);
  };
  const path = (): string => {
    const q = new URLSearchParams(query);
    if (after !== null) q.set('after', after);
    const qs = q.toString();
    return `/v1/events${qs === '' ? '' : `?${qs}`}`;
  };
  const first = await runAdminRequest(io, { command: 'events', sub: null }, flags, { method: 'GET', path: path(), render });
  if (first !== 0 || values.follow !== true) return first;
  const stop = options.signal ?? sigintSignal();
  while (await wait(options.pollMs ?? FOLLOW_POLL_MS, stop)) {
    const code = await runAdminRequest(io, { command: 'events', sub: null }, flags, { method: 'GET', path: path(), render });
    if (code !== 0) return code;
  }
  return 0;
}

/** --since: an ISO 8601 time, or a duration before now (`90m`, `2h`, `7d`). */
function sinceTime(text: string, now: Date): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new UsageError(`--since "${text}" is not an ISO 8601 time`);
    return new Date(ms).toISOString();
  }
  try {
    return new Date(now.getTime() - parseDurationMs(text)).toISOString();
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--since "${text}" is neither an ISO 8601 time nor a duration: ${err.message}`);
    throw err;
  }
}

/** Aborted on the first SIGINT (the listener then goes). */
function sigintSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

/** Wait `ms`; false at once (or as soon as) `signal` is aborted. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function pageOf(body: unknown): { events: GwEvent[]; next: string | null } {
  const b = body as { events?: unknown; next?: unknown } | null;
  if (!Array.isArray(b?.events) || !(typeof b.next === 'string' || b.next === null)) throw new ServiceError('the service answered without a page of events');
  return { events: b.events as GwEvent[], next: b.next };
}

const EVENT_COLUMNS = ['AT', 'TYPE', 'HOST', 'USER', 'SUBJECT', 'DETAILS'];
/** Widths a page is printed at, at least, so --follow's pages line up: AT is always 20, a subject is a 16-digit fingerprint or a 36-character id. */
const EVENT_MIN_WIDTHS = [20, 20, 12, 12, 36, 0];

/**
 * The `events` table, page after page: time (UTC, to the second), type, host, user, subject, and the details in one
 * line. The header comes once; a column only ever widens (for a longer value than it had), so pages line up.
 */
export function createEventsPrinter(): (events: readonly GwEvent[]) => string {
  const widths = [...EVENT_MIN_WIDTHS];
  let printedHeader = false;
  return (events) => {
    if (events.length === 0) return '';
    const rows = events.map((e) => [e.at.replace(/\.\d{3}Z$/, 'Z'), e.type, e.host ?? '-', e.user ?? '-', e.subject ?? '-', detailsLine(e)]);
    for (const row of rows) for (const [i, cell] of row.slice(0, -1).entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    const table = renderColumns(EVENT_COLUMNS, rows, widths);
    const text = printedHeader ? table.slice(table.indexOf('\n') + 1) : table;
    printedHeader = true;
    return text;
  };
}

/** A summary when the details have one (with `by` for config events), else the details as compact JSON. */
function detailsLine(e: GwEvent): string {
  const { summary, by } = e.details as { summary?: unknown; by?: unknown };
  if (typeof summary === 'string') return typeof by === 'string' ? `${summary} (by ${by})` : summary;
  return JSON.stringify(e.details);
}
