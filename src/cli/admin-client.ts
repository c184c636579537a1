// The admin API client the admin commands share (alerts, silence, grant, actions): find the URL and the token file
// (flags, environment, CLI config), call the service with the admin token, and turn every failure into a sentence
// (the service's own message and issues, or why it could not be reached), never containing the token.
import { ConfigError, formatProblem } from '../config/limits/config-problem.ts';
import { readTokenFile, TokenFileError } from '../probe/push/token-file.ts';
import { adminConnection, type AdminConnection } from './cli-config.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** How long one request to the service may take. */
export const ADMIN_REQUEST_TIMEOUT_MS = 30_000;

/** A request that failed: the service's own message (or why it could not be reached), never the token. */
export class ServiceError extends Error {
  override name = 'ServiceError';
}

/** One call of the admin API and how to print its reply. */
export interface ServiceRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  render: (body: unknown) => string;
}

/** The base URL (http or https, no query or fragment, trailing slashes dropped); UsageError naming `from` otherwise. */
export function serviceUrl(text: string, from = '--url'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from} must be an http(s) URL such as http://127.0.0.1:8787, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${from} must be an http(s) URL, got "${url.protocol}"`);
  if (url.search !== '' || url.hash !== '') throw new UsageError(`${from} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Make the request with the admin token; the reply's JSON body, or a ServiceError saying what went wrong. */
export async function callService(base: string, token: string, request: ServiceRequest): Promise<unknown> {
  const url = `${base}${request.path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method,
      headers: { Authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(ADMIN_REQUEST_TIMEOUT_MS),
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
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${ADMIN_REQUEST_TIMEOUT_MS / 1000} s`;
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

/**
 * Run one admin request for `gpuwarden <command> <sub>`: find the service and the admin token file (flag, then
 * GPUWARDEN_URL / GPUWARDEN_TOKEN_FILE, then the CLI config file), call the service, print the rendered reply.
 * Exit 0, or 1 with a sentence on stderr (never the token) when the token file, the CLI config or the service fails;
 * UsageError when no URL or token file is given anywhere.
 */
export async function runAdminRequest(io: CliIo, what: { command: string; sub: string | null }, flags: { url?: string | undefined; tokenFile?: string | undefined }, request: ServiceRequest): Promise<number> {
  const prefix = what.sub === null ? `gpuwarden ${what.command}` : `gpuwarden ${what.command} ${what.sub}`;
  let connection: AdminConnection;
  try {
    connection = await adminConnection(flags, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${prefix}: invalid CLI config:\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    return 1;
  }
  const base = serviceUrl(connection.url, connection.urlFrom);
  try {
    const { token, warning } = await readTokenFile(connection.tokenFile);
    if (warning !== null) io.stderr(`gpuwarden ${what.command}: warning: ${warning}\n`);
    io.stdout(request.render(await callService(base, token, request)));
    return 0;
  } catch (err) {
    if (!(err instanceof ServiceError) && !(err instanceof TokenFileError)) throw err;
    io.stderr(`${prefix}: ${err.message}\n`);
    return 1;
  }
}
