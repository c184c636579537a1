// A stand-in Docker Engine API on a unix socket: answers the two calls the probe makes (list all containers,
// inspect one) from inspect documents the test or benchmark supplies, and records every request.
import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';

/** One inspect document as the engine returns it (only Id, Name and State are read here). */
export type InspectDoc = { Id: string; Name?: string; State?: { Status?: string; Pid?: number } & Record<string, unknown> } & Record<string, unknown>;

/** A running fake engine: its containers can be changed between cycles; `requests` lists every path asked for. */
export interface FakeDockerApi {
  socketPath: string;
  containers: Map<string, InspectDoc>;
  requests: { path: string; atMs: number }[];
  close(): Promise<void>;
}

/** The `Status` text the engine shows beside `State` in a list entry (stable for a fixed state). */
function statusText(doc: InspectDoc): string {
  const state = doc.State?.Status ?? 'unknown';
  return state === 'running' ? 'Up 2 hours' : state === 'exited' ? 'Exited (0) 3 hours ago' : state;
}

/** The list entry the engine gives for one container (GET /containers/json?all=1). */
export function listEntryOf(doc: InspectDoc): Record<string, unknown> {
  return {
    Id: doc.Id,
    Names: [doc.Name ?? `/${doc.Id.slice(0, 12)}`],
    Image: 'image',
    State: doc.State?.Status ?? 'unknown',
    Status: statusText(doc),
    Labels: {},
  };
}

/** Start the fake engine on `socketPath` serving `docs`. */
export async function startFakeDockerApi(socketPath: string, docs: readonly InspectDoc[]): Promise<FakeDockerApi> {
  const containers = new Map(docs.map((d) => [d.Id, d]));
  const requests: { path: string; atMs: number }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push({ path, atMs: Date.now() });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { message: 'method not allowed' });
    if (/^\/(v[\d.]+\/)?containers\/json$/.test(path)) return send(200, [...containers.values()].map(listEntryOf));
    const m = /^\/(?:v[\d.]+\/)?containers\/([^/]+)\/json$/.exec(path);
    if (m !== null) {
      const doc = containers.get(decodeURIComponent(m[1] ?? ''));
      return doc === undefined ? send(404, { message: 'No such container' }) : send(200, doc);
    }
    return send(404, { message: `page not found: ${path}` });
  });
  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    containers,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
