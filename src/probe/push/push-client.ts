// One POST of one snapshot to the rules service, classified into what the caller must do with it.
import { z } from 'zod';
import type { PlannedAction } from '../../enforcement/action.ts';
import { parseActions, type InvalidAction } from '../../enforcement/probe/parse-actions.ts';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { GPUWARDEN_VERSION } from '../../version.ts';

/** What to do with a snapshot after one push: forget it (accepted, duplicate), set it aside (rejected), keep it (auth, retry). */
export type PushKind = 'accepted' | 'duplicate' | 'rejected' | 'auth' | 'retry';

/** The service's answer to a delivered snapshot. */
export interface PushReply {
  accepted: boolean;
  alerts: unknown[];
  /** The reply's actions that parsed as PlannedAction. */
  actions: PlannedAction[];
  /** The reply's actions that did not (each to be reported, never dropped silently). */
  invalidActions: InvalidAction[];
}

/** Result of one push; `message` never contains the token. */
export interface PushOutcome {
  kind: PushKind;
  status?: number;
  message?: string;
  reply?: PushReply;
}

/** Per-request settings. */
export interface PushOptions {
  timeoutMs: number;
  /** The probe's clock, read at each send for the X-Gpuwarden-Sent-At header (default: the system clock). */
  now?: () => Date;
}

/** Header carrying the probe's clock at the moment of the send, so the service can measure clock skew. */
export const SENT_AT_HEADER = 'x-gpuwarden-sent-at';

const replySchema = z.object({
  accepted: z.boolean(),
  alerts: z.array(z.unknown()).default([]),
  actions: z.array(z.unknown()).default([]),
});

const REJECTED_STATUSES = new Set([400, 413, 422]);
const AUTH_STATUSES = new Set([401, 403]);
const MAX_MESSAGE_CHARS = 300;
/** Visible ASCII only: anything else cannot go in an HTTP header (and undici would echo it in its error). */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** The snapshots endpoint under a service base URL (`https://svc/gw/` → `https://svc/gw/v1/snapshots`). */
export function snapshotsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/snapshots`;
}

/** Replace every occurrence of the token in `text` (a no-op for an empty token). */
export function redactToken(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('[redacted]');
}

/** Make a message fit one log line: no control characters, bounded length, token removed. */
function oneLine(text: string, token: string): string {
  const flat = redactToken(text, token).replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…` : flat;
}

/** The service's error body `{error, message, issues?: [{path, message}]}`: the message, then the first issues. */
function serverMessage(body: string, statusText: string): string {
  try {
    const json = JSON.parse(body) as { message?: unknown; issues?: unknown } | null;
    if (typeof json?.message === 'string' && json.message !== '') {
      const issues = Array.isArray(json.issues) ? json.issues.slice(0, 3).map(issueText).filter((t) => t !== '') : [];
      return issues.length === 0 ? json.message : `${json.message}: ${issues.join('; ')}`;
    }
  } catch {
    // not JSON: use the text itself
  }
  const firstLine = body.trim().split('\n')[0] ?? '';
  return firstLine !== '' && !firstLine.startsWith('<') ? firstLine : statusText;
}

function issueText(issue: unknown): string {
  const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
  if (typeof message !== 'string') return '';
  return typeof path === 'string' && path !== '' ? `${path}: ${message}` : message;
}

function networkMessage(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no reply within ${timeoutMs} ms`;
  const cause = e.cause;
  if (cause?.code !== undefined) return `network error: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return `network error: ${cause?.message ?? e.message ?? String(err)}`;
}

function classify(status: number, body: string, statusText: string, location: string | null, token: string): PushOutcome {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const parsed = replySchema.safeParse(json);
    if (!parsed.success) {
      return { kind: 'retry', status, message: `HTTP ${status} but the reply is not a gpuwarden answer (is --push the service's URL?)` };
    }
    const { actions, invalid } = parseActions(parsed.data.actions);
    const reply: PushReply = { accepted: parsed.data.accepted, alerts: parsed.data.alerts, actions, invalidActions: invalid };
    return { kind: parsed.data.accepted ? 'accepted' : 'duplicate', status, reply };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'retry', status, message: oneLine(`redirected to ${location ?? '(no location)'}; use the final URL in --push`, token) };
  }
  const message = oneLine(serverMessage(body, statusText), token);
  if (REJECTED_STATUSES.has(status)) return { kind: 'rejected', status, message };
  if (AUTH_STATUSES.has(status)) return { kind: 'auth', status, message };
  return { kind: 'retry', status, message };
}

/**
 * POST one snapshot (or its JSON text, as spooled) to `{baseUrl}/v1/snapshots` with the bearer token.
 * Never throws: network failures and timeouts come back as `retry`.
 */
export async function pushSnapshot(
  baseUrl: string,
  token: string,
  snapshot: HostSnapshot | string,
  options: PushOptions,
): Promise<PushOutcome> {
  if (!TOKEN_CHARS.test(token)) {
    return { kind: 'auth', message: 'the token is empty or has spaces or control characters, which cannot be sent in an HTTP header' };
  }
  const body = typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot);
  try {
    const res = await fetch(snapshotsUrl(baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': `gpuwarden-probe/${GPUWARDEN_VERSION}`,
        [SENT_AT_HEADER]: (options.now ?? (() => new Date()))().toISOString(),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await res.text();
    return classify(res.status, text, res.statusText, res.headers.get('location'), token);
  } catch (err) {
    return { kind: 'retry', message: oneLine(networkMessage(err, options.timeoutMs), token) };
  }
}
