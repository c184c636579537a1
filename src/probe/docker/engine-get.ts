// The probe's only Docker calls are two GETs (list containers, inspect one) over the engine's unix socket. A
// plain node:http request does them; dockerode would load ~200 modules (ssh2, grpc, protobufjs, tar-fs) the
// probe never uses: about 25 MB RSS and 250 ms CPU at start.
import { request } from 'node:http';

/** An engine answer that is not 2xx: the status and the engine's `message`. */
export class EngineHttpError extends Error {
  /** HTTP status of the answer. */
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(`(HTTP code ${statusCode}) ${message}`);
    this.name = 'EngineHttpError';
    this.statusCode = statusCode;
  }
}

/** Largest answer read (an inspect document is a few kB; a list of thousands of containers a few MB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function engineMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  } catch {
    // Not JSON: the text itself.
  }
  return body.trim().slice(0, 200) || 'no message';
}

/** GET `path` from the engine at `socketPath` and parse the JSON answer; rejects on a socket error, a non-2xx status, bad JSON or `signal`. */
export function engineGet(socketPath: string, path: string, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'docker', accept: 'application/json' }, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer to GET ${path} is larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new EngineHttpError(status, engineMessage(body)));
        try {
          resolve(JSON.parse(body) as unknown);
        } catch {
          reject(new Error(`answer to GET ${path} is not JSON`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
