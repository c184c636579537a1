// engineGet and listAndInspectAll against a real HTTP server on a unix socket that answers the ways an engine fails.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAndInspectAll } from './docker-client.ts';
import { engineGet, EngineHttpError } from './engine-get.ts';

describe('engineGet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-engine-get-'));
  const socketPath = join(dir, 'engine.sock');
  let server: Server;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return res.end('{"a":[1,2]}');
      if (req.url === '/broken') return res.end('{"a":');
      if (req.url === '/hang') return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"driver failed"}');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  const signal = (): AbortSignal => new AbortController().signal;

  it('parses a JSON answer', async () => {
    expect(await engineGet(socketPath, '/ok', signal())).toEqual({ a: [1, 2] });
  });

  it('rejects a non-2xx answer with its status and the engine message', async () => {
    const error = await engineGet(socketPath, '/containers/json', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineHttpError);
    expect(error).toMatchObject({ statusCode: 500, message: '(HTTP code 500) driver failed' });
  });

  it('rejects an answer that is not JSON, and a request aborted meanwhile', async () => {
    await expect(engineGet(socketPath, '/broken', signal())).rejects.toThrow('not JSON');
    await expect(engineGet(socketPath, '/hang', AbortSignal.timeout(100))).rejects.toThrow();
  });

  it('a failing engine makes listAndInspectAll say so in one line', async () => {
    const failed = await listAndInspectAll({ socketPath, timeoutMs: 2000 });
    expect(failed).toEqual({ ok: false, message: `docker engine at ${socketPath}: (HTTP code 500) driver failed` });
  });
});
