// One line per failed request (4xx warn, 5xx error; others at debug): who asked what, what went wrong, how long it
// took, under a request id the client can quote. Never a token, never a query value. Runtime-neutral (Node, Workers).
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger, LogLevel } from '../log/logger.ts';
import { createSuppressor } from '../log/suppress.ts';
import type { AppEnv, ReplyProblem } from './app-env.ts';
import type { Principal } from './auth.ts';

/** Options of accessLog. */
export interface AccessLogOptions {
  logger: Logger;
  /** Milliseconds now, for the 401 flood window (the service's clock). */
  nowMs: () => number;
  /** The client's address; default: the TCP peer on Node (nothing on Workers unless given). */
  clientAddress?: (c: Context) => string | undefined;
  /** At most one 401 line per client in this window; the next says how many were held back. Default 10 s. */
  unauthorizedWindowMs?: number;
}

/** The header a request id is read from and echoed in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is kept only when short and plain (letters, digits, `.`, `_`, `:`, `-`; at most 64). */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

const MAX_PATH_CHARS = 200;
const MAX_MESSAGE_CHARS = 300;
const MAX_PROBLEM_BODY_CHARS = 64 * 1024;

/** The client's request id when it is sane, else a fresh UUID. */
export function requestIdFrom(header: string | undefined, fresh: () => string = () => crypto.randomUUID()): string {
  return header !== undefined && SANE_REQUEST_ID.test(header) ? header : fresh();
}

/** The TCP peer's address under @hono/node-server (its `env.incoming`), read without importing anything of Node. */
export function nodePeerAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/** Access-log middleware: sets `requestId`, echoes it in `x-request-id`, logs the request once by its status. */
export function accessLog(options: AccessLogOptions): MiddlewareHandler<AppEnv> {
  const unauthorized = createSuppressor({ windowMs: options.unauthorizedWindowMs ?? 10_000 });
  const clientAddress = options.clientAddress ?? nodePeerAddress;
  const { logger } = options;
  return async (c, next) => {
    const startedMs = performance.now();
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    await next();
    c.header(REQUEST_ID_HEADER, requestId);
    const status = c.res.status;
    const level: LogLevel = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
    if (!logger.enabled(level)) return;
    const client = clientAddress(c);
    let suppressed = 0;
    if (status === 401) {
      const decision = unauthorized.decide(client ?? '-', options.nowMs());
      if (!decision.log) return;
      suppressed = decision.suppressed;
    }
    const path = clip(c.req.path, MAX_PATH_CHARS);
    const principal = c.get('principal') as Principal | undefined;
    const problem = status >= 400 ? ((c.get('problem') as ReplyProblem | undefined) ?? (await problemOf(c.res))) : undefined;
    logger.log(level, `${c.req.method} ${path} ${status}`, {
      requestId,
      method: c.req.method,
      path,
      query: queryNames(c.req.url),
      status,
      durationMs: Math.round(performance.now() - startedMs),
      principal: principal?.name,
      principalKind: principal?.kind,
      client,
      error: problem?.code,
      message: problem === undefined ? undefined : clip(problem.message, MAX_MESSAGE_CHARS),
      suppressed: suppressed > 0 ? suppressed : undefined,
    });
  };
}

/** The names of the query parameters, sorted and comma-joined (values can hold secrets: never logged); undefined when none. */
export function queryNames(url: string): string | undefined {
  const names = [...new Set(new URL(url).searchParams.keys())].sort();
  return names.length === 0 ? undefined : clip(names.join(','), MAX_PATH_CHARS);
}

/** `{error, message}` of a JSON error reply that did not come through onError; undefined when there is none. */
async function problemOf(res: Response): Promise<ReplyProblem | undefined> {
  if (!(res.headers.get('content-type') ?? '').includes('json')) return undefined;
  try {
    const text = await res.clone().text();
    if (text.length > MAX_PROBLEM_BODY_CHARS) return undefined;
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    return typeof body.error === 'string' && typeof body.message === 'string' ? { code: body.error, message: body.message } : undefined;
  } catch {
    return undefined; // not JSON after all: the line still has status and path
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
