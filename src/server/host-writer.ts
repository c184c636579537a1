// One writer per host: every snapshot of a host is evaluated by that host's Durable Object (idFromName(host)), so
// two snapshots of one host arriving at two Worker isolates never read and rewrite the host's state at once. The
// Worker validates the snapshot (the Hono app, unchanged) and forwards it; the object runs core.ingest and replies
// with the IngestResult. The host's tick runs in the same object, from its alarm (host-alarm.ts).
import type { IngestMeta, IngestResult, ServiceCore } from '../service/core.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';

/** The parts of a Durable Object namespace binding this uses. */
export interface HostWriterNamespace {
  idFromName(name: string): unknown;
  get(id: never): { fetch(request: Request): Promise<Response> };
}

/** What the Worker sends the host's object: a validated snapshot and the transport's times (ISO). */
export interface ForwardedSnapshot {
  snapshot: HostSnapshot;
  receivedAt: string;
  sentAt: string | null;
}

/** Internal URL of the forward (the object has no other route). */
const INGEST_URL = 'https://host-writer.internal/ingest';

/** An ingest that hands the snapshot to its host's Durable Object and returns what the object evaluated. */
export function forwardingIngest(namespace: HostWriterNamespace): ServiceCore['ingest'] {
  return async (snapshot: HostSnapshot, receivedAt: Date, meta: IngestMeta = {}): Promise<IngestResult> => {
    const body: ForwardedSnapshot = { snapshot, receivedAt: receivedAt.toISOString(), sentAt: meta.sentAt?.toISOString() ?? null };
    const stub = namespace.get(namespace.idFromName(snapshot.host) as never);
    const res = await stub.fetch(new Request(INGEST_URL, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));
    const json = (await res.json()) as IngestResult | { message?: string };
    if (!res.ok) throw new Error(`host writer for ${snapshot.host} failed (${res.status}): ${'message' in json ? String(json.message) : 'no message'}`);
    return json as IngestResult;
  };
}

/**
 * The Durable Object's request handler: parse the forward, run `core.ingest` (the core serialises one host's
 * snapshots and ticks, and this object is the only writer of its host), call `afterIngest` with the host (the
 * object re-arms its alarm), answer the IngestResult as JSON.
 */
export async function handleForwardedIngest(request: Request, core: () => Promise<ServiceCore>, afterIngest?: (host: string) => Promise<void>): Promise<Response> {
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/ingest') {
    return Response.json({ error: 'not_found', message: 'the host writer only takes POST /ingest' }, { status: 404 });
  }
  try {
    const body = (await request.json()) as ForwardedSnapshot;
    const result = await (await core()).ingest(body.snapshot, new Date(body.receivedAt), { sentAt: body.sentAt === null ? null : new Date(body.sentAt) });
    // A failure here answers 500: the probe sends the snapshot again, and the duplicate arms the alarm.
    await afterIngest?.(body.snapshot.host);
    return Response.json(result);
  } catch (err) {
    return Response.json({ error: 'internal', message: err instanceof Error ? err.message : String(err) }, { status: 500 });
  }
}
