import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServiceCore } from '../../service/core.ts';
import { hostSnapshotSchema, SNAPSHOT_SCHEMA_VERSION, type HostSnapshot } from '../../snapshot/schema.ts';
import { createRejectionThrottle, snapshotRejectedEvent } from '../../events/rejection-throttle.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import type { LatestSnapshots } from '../latest-snapshots.ts';
import { requireKind } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { toApiIssues } from '../issues.ts';
import type { MiddlewareHandler } from 'hono';
import type { TurnGate } from '../../scheduling/turn-gate.ts';
import type { Histogram } from '../metrics/histogram.ts';

/** What POST /v1/snapshots needs. */
export interface SnapshotRouteDeps {
  core: ServiceCore;
  clock: () => Date;
  bodyLimitBytes: number;
  authenticated: MiddlewareHandler<AppEnv>;
  /** Parse and validate in turn with other work (see TurnGate); absent: at once. */
  gate?: TurnGate;
  /** Where a refused snapshot is recorded as a snapshot.rejected event (at most one per host per 10 min); absent: not recorded. */
  store?: Store;
  /** Where each host's newest accepted snapshot is kept (GET /v1/snapshots/latest); absent: nowhere. */
  latest?: LatestSnapshots;
  /** Where each ingest's duration (seconds, core.ingest alone) is counted for GET /metrics; absent: nowhere. */
  ingestDuration?: Histogram;
}

/**
 * POST /v1/snapshots: host token → body limit → JSON → schemaVersion → HostSnapshot schema → own host only →
 * core.ingest. 200 `{accepted, alerts, actions}`; accepted is false for a duplicate (host, id).
 */
export function registerSnapshotRoute(app: Hono<AppEnv>, deps: SnapshotRouteDeps): void {
  const tooLarge = (): never => {
    throw new HttpError(413, 'payload_too_large', `request body is larger than ${deps.bodyLimitBytes} bytes`);
  };
  const throttle = createRejectionThrottle();
  // A refusal's answer never depends on the event log: a failing write there is ignored.
  const recordRejection = async (host: string, err: unknown): Promise<void> => {
    if (deps.store === undefined || !(err instanceof HttpError)) return;
    const now = deps.clock();
    const leftOut = throttle.take(host, now.getTime());
    if (leftOut === null) return;
    const first = err.issues?.[0];
    const rejection = { status: err.status, code: err.code, message: err.message, ...(first === undefined ? {} : { firstIssue: `${first.path}: ${first.message}` }) };
    await deps.store.addEvent(snapshotRejectedEvent(host, now, rejection, leftOut)).catch(() => undefined);
  };
  app.post('/v1/snapshots', deps.authenticated, bodyLimit({ maxSize: deps.bodyLimitBytes, onError: tooLarge }), async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'host');
    let snapshot: HostSnapshot;
    try {
      snapshot = await validSnapshot(c.req.arrayBuffer(), principal.name);
    } catch (err) {
      await recordRejection(principal.name, err);
      throw err;
    }
    const startedMs = performance.now();
    const { accepted, alerts, actions } = await deps.core.ingest(snapshot, deps.clock(), { sentAt: sentAtHeader(c.req.header(SENT_AT_HEADER)) });
    deps.ingestDuration?.observe((performance.now() - startedMs) / 1000);
    if (accepted) deps.latest?.remember(snapshot);
    return c.json({ accepted, alerts, actions }, 200);
  });

  /** The body as a HostSnapshot of the token's own host, or the HttpError that refuses it. */
  async function validSnapshot(body: Promise<ArrayBuffer>, host: string): Promise<HostSnapshot> {
    // bodyLimit trusts Content-Length when present; the HTTP servers enforce it, this re-check covers the rest.
    const bytes = await body;
    if (bytes.byteLength > deps.bodyLimitBytes) tooLarge();
    await deps.gate?.turn();
    const parsed = parseJson(bytes);
    checkSchemaVersion(parsed);
    const result = hostSnapshotSchema.safeParse(parsed);
    if (!result.success) {
      const issues = toApiIssues(result.error.issues);
      throw new HttpError(400, 'invalid_snapshot', `body is not a valid HostSnapshot (${result.error.issues.length} problem(s))`, issues);
    }
    const snapshot = result.data;
    if (snapshot.host !== host) {
      throw new HttpError(403, 'host_mismatch', `this token belongs to host "${host}" and cannot write snapshots of host "${snapshot.host}"`);
    }
    return snapshot;
  }
}

/** The header a probe puts its own clock in when it sends a snapshot (used to measure clock skew). */
export const SENT_AT_HEADER = 'X-Gpuwarden-Sent-At';

/** The probe's send time, or null when absent or not an ISO time (a bad header never rejects a snapshot). */
export function sentAtHeader(value: string | undefined): Date | null {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function parseJson(bytes: ArrayBuffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // SyntaxError for bad JSON; RangeError if nesting exhausts the parser's stack. Neither is the client's business.
    const why = err instanceof SyntaxError ? 'request body is not valid JSON' : 'request body is nested too deeply';
    throw new HttpError(400, 'invalid_json', why);
  }
}

/** Reject another contract version before spending time on full validation. A missing version is a schema issue. */
function checkSchemaVersion(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  if (!Object.hasOwn(body, 'schemaVersion')) return;
  const version = (body as { schemaVersion: unknown }).schemaVersion;
  if (version === SNAPSHOT_SCHEMA_VERSION) return;
  const shown = typeof version === 'number' || typeof version === 'string' ? JSON.stringify(version).slice(0, 40) : typeof version;
  throw new HttpError(
    400,
    'unsupported_schema_version',
    `schemaVersion ${shown} is not supported; this service accepts schemaVersion ${SNAPSHOT_SCHEMA_VERSION}`,
  );
}
