import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { logText } from '../service/log-text.ts';
import type { LogFn } from '../log/logger.ts';

/** One problem with a request, located by a dotted path into the body or query (`gpus.0.memoryUsedMiB`). */
export interface ApiIssue {
  path: string;
  message: string;
}

/** The JSON body of every error reply. */
export interface ErrorBody {
  error: string;
  message: string;
  issues?: ApiIssue[];
}

/** A client error (4xx) a handler throws; the app's one onError turns it into `{error, message, issues?}`. */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: ApiIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Where the app writes its log lines (never bodies or tokens). */
export type { LogFn } from '../log/logger.ts';

/** Build the onError handler: HttpError → its status and body; anything else → 500 `internal` plus one log line. */
export function errorHandler(log: LogFn): (err: Error, c: Context) => Response {
  return (err, c) => {
    if (err instanceof HttpError) {
      const body: ErrorBody = { error: err.code, message: err.message };
      if (err.issues !== undefined) body.issues = err.issues;
      c.set('problem', { code: err.code, message: err.message });
      return c.json(body, err.status, err.headers);
    }
    log(logText(`gpuwarden: internal error on ${c.req.method} ${new URL(c.req.url).pathname}: ${describeError(err)}`), {
      level: 'error',
      requestId: c.get('requestId') as string | undefined,
    });
    c.set('problem', { code: 'internal', message: 'internal error' });
    return c.json({ error: 'internal', message: 'internal error' } satisfies ErrorBody, 500);
  };
}

/** The notFound handler: a JSON 404 naming the method and path. */
export function notFoundHandler(c: Context): Response {
  const path = new URL(c.req.url).pathname;
  const body: ErrorBody = { error: 'not_found', message: `no route for ${c.req.method} ${path}` };
  c.set('problem', { code: body.error, message: body.message });
  return c.json(body, 404);
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return typeof err === 'string' ? err : 'non-Error value thrown';
}
