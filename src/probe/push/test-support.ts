// Test helpers: a real loopback HTTP server that records requests, and small valid snapshots.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostSnapshot } from '../../snapshot/schema.ts';

/** One request the test server received (`atMs`: Date.now() when it had arrived). */
export interface RecordedRequest {
  atMs?: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the test server answers: a status and a body (objects are sent as JSON), optionally late, or `hang` (never answer). */
export type TestReply = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number } | 'hang';

/** A running loopback server; `respond` may be replaced at any time. */
export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  respond: (req: RecordedRequest) => TestReply;
  close(): Promise<void>;
}

/** Default answer of the service: accepted, no alerts. */
export const ACCEPTED: TestReply = { status: 200, body: { accepted: true, alerts: [], actions: [] } };

/** Start a server on 127.0.0.1 (port 0 = any free port, or the given one to come back on the same URL). */
export async function startTestServer(respond: (req: RecordedRequest) => TestReply = () => ACCEPTED, port = 0): Promise<TestServer> {
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        atMs: Date.now(),
      };
      state.requests.push(recorded);
      const reply = state.respond(recorded);
      if (reply === 'hang') {
        hanging.push(res);
        return;
      }
      const text = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
      const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
      const answer = (): void => {
        res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
        res.end(text);
      };
      if (reply.delayMs === undefined) answer();
      else setTimeout(answer, reply.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  const state: TestServer = {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests: [],
    respond,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/** A small valid HostSnapshot taken at `takenAt`. */
export function sampleSnapshot(takenAt: string, host = 'gpu1'): HostSnapshot {
  return {
    schemaVersion: 1,
    id: `${host}@${takenAt}`,
    host,
    takenAt,
    probe: { version: '0.1.0' },
    driverVersion: '590.48.01',
    errors: [],
    gpus: [],
    gpuProcesses: [],
    containers: [],
  };
}

/** The takenAt of each request body, in arrival order. */
export function takenAts(requests: readonly RecordedRequest[]): string[] {
  return requests.map((r) => (JSON.parse(r.body) as { takenAt: string }).takenAt);
}
