// A real HTTP server on 127.0.0.1 (port 0) standing in for a Slack incoming webhook: it records every request and
// answers each one as scripted (200, 429 with Retry-After, 500, 404, or never).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How to answer one request: a status (with body/headers), a 429 with Retry-After seconds, or never (`'hang'`). */
export type ScriptedReply = number | 'hang' | { status: number; body?: string; headers?: Record<string, string>; retryAfterS?: number };

/** One request as received. */
export interface ReceivedRequest {
  at: Date;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** The running receiver. */
export interface WebhookReceiver {
  /** Base URL, `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** A webhook URL on this receiver (default path looks like a Slack hook, secret segment included). */
  url(path?: string): string;
  /** Requests received so far, oldest first. */
  requests: ReceivedRequest[];
  /** Answer the next requests like this, in order; when the script runs out, `fallback` answers. */
  script(...replies: ScriptedReply[]): void;
  /** The answer once the script is used up (default 200 `ok`, like Slack). */
  fallback: ScriptedReply;
  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Stop: hanging requests are cut, open connections closed. */
  close(): Promise<void>;
}

/** The default path of `url()`: shaped like a Slack webhook, with a secret-looking last segment. */
export const DEFAULT_HOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, reply: Exclude<ScriptedReply, 'hang'>): void {
  const r = typeof reply === 'number' ? { status: reply } : reply;
  const headers: Record<string, string> = { 'content-type': 'text/plain', ...(r.headers ?? {}) };
  if (r.retryAfterS !== undefined) headers['retry-after'] = String(r.retryAfterS);
  const defaultBody = r.status === 200 ? 'ok' : r.status === 404 ? 'no_service' : r.status === 429 ? 'rate_limited' : r.status >= 500 ? 'internal_error' : 'invalid_payload';
  res.writeHead(r.status, headers);
  res.end(r.body ?? defaultBody);
}

/** Starts a receiver on 127.0.0.1 with a free port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const queue: ScriptedReply[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({ at: new Date(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
      const reply = queue.shift() ?? receiver.fallback;
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const receiver: WebhookReceiver = {
    baseUrl,
    url: (path = DEFAULT_HOOK_PATH) => `${baseUrl}${path}`,
    requests,
    fallback: 200,
    script: (...replies) => {
      queue.push(...replies);
    },
    waitForRequests: (n, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        if (requests.length >= n) return resolve(requests.slice());
        const timer = setTimeout(() => reject(new Error(`webhook receiver: ${requests.length} of ${n} requests after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests.slice());
          },
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return receiver;
}

/** A loopback port with nothing listening (bound, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
