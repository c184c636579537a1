import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceCore } from '../service/core.ts';
import { createApp } from './app.ts';
import { startNodeServer, type NodeServer } from './node.ts';
import { bearer, NOW, TEST_AUTH, TOKENS, validSnapshot } from './test-support.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';

const running: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const until = async (check: () => boolean, timeoutMs = 3000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The server's own address as seen by a raw HTTP request (to check it listens on 127.0.0.1). */
function localAddress(port: number): Promise<{ status: number; remote: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, remote: res.socket.remoteAddress });
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(core: ServiceCore, options: { tickIntervalMs?: number; signals?: EventEmitter; logs?: string[] } = {}): Promise<{
  server: NodeServer;
  store: ReturnType<typeof createMemoryStore>;
}> {
  const store = createMemoryStore();
  const logs = options.logs ?? [];
  const app = createApp({ store, core, auth: TEST_AUTH, clock: () => NOW, log: (l) => logs.push(l) });
  const server = await startNodeServer({
    app,
    core,
    port: 0,
    tickIntervalMs: options.tickIntervalMs ?? 60_000,
    log: (l) => logs.push(l),
    store,
    signals: options.signals ?? new EventEmitter(),
    clock: () => NOW,
  });
  running.push(server);
  return { server, store };
}

const idleCore: ServiceCore = { ingest: async () => ({ accepted: true, alerts: [], actions: [] }), tick: async () => {} };

describe('startNodeServer', () => {
  it('listens on 127.0.0.1 with a free port and answers /healthz over real HTTP', async () => {
    const { server } = await start(idleCore);
    expect(server.hostname).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await localAddress(server.port)).toEqual({ status: 200, remote: '127.0.0.1' });
  });

  it('serves the API: a snapshot posted over HTTP reaches the core', async () => {
    const seen: string[] = [];
    const core: ServiceCore = { ...idleCore, ingest: async (s) => (seen.push(s.id), { accepted: true, alerts: [], actions: [] }) };
    const { server } = await start(core);
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/snapshots`, {
      method: 'POST',
      body: JSON.stringify(validSnapshot()),
      headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['ds01@2026-11-25T17:17:49.467Z']);
  });

  it('ticks the core on its timer with the clock, logs a failing tick and keeps ticking', async () => {
    const ticks: Date[] = [];
    const logs: string[] = [];
    const core: ServiceCore = {
      ...idleCore,
      tick: async (now) => {
        ticks.push(now);
        if (ticks.length === 1) throw new Error('store busy');
      },
    };
    await start(core, { tickIntervalMs: 10, logs });
    await until(() => ticks.length >= 3);
    expect(ticks[0]).toEqual(NOW);
    expect(logs).toContain('gpuwarden: tick failed: Error: store busy');
  });

  it('never overlaps a slow tick with the next one', async () => {
    const gate = deferred();
    let calls = 0;
    const core: ServiceCore = { ...idleCore, tick: async () => (calls++, gate.promise) };
    const { server } = await start(core, { tickIntervalMs: 5 });
    await until(() => calls === 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(1);
    gate.resolve();
    await until(() => calls >= 2);
    await server.close();
  });

  it('close() lets an in-flight request finish, then closes the store and stops ticking', async () => {
    const gate = deferred();
    let ticks = 0;
    const core: ServiceCore = {
      ingest: async () => {
        await gate.promise;
        return { accepted: true, alerts: [], actions: [] };
      },
      tick: async () => {
        ticks++;
      },
    };
    const { server, store } = await start(core, { tickIntervalMs: 10 });
    const inFlight = fetch(`http://127.0.0.1:${server.port}/v1/snapshots`, {
      method: 'POST',
      body: JSON.stringify(validSnapshot()),
      headers: bearer(TOKENS.ds01),
    });
    await new Promise((r) => setTimeout(r, 50));
    const closing = server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    gate.resolve();
    expect((await inFlight).status).toBe(200);
    await closing;
    await server.closed;
    await expect(store.listHosts()).rejects.toThrow('closed');
    const after = ticks;
    await new Promise((r) => setTimeout(r, 40));
    expect(ticks).toBe(after);
  });

  it('closes the store only after ingests whose clients went away have finished', async () => {
    const gate = deferred();
    let ingestFinished = false;
    let pending = 0;
    const core: ServiceCore = {
      ingest: async () => {
        pending++;
        await gate.promise;
        ingestFinished = true;
        return { accepted: true, alerts: [], actions: [] };
      },
      tick: async () => undefined,
      drain: async () => {
        await gate.promise;
      },
    };
    const { server, store } = await start(core);
    const client = new AbortController();
    const abandoned = fetch(`http://127.0.0.1:${server.port}/v1/snapshots`, {
      method: 'POST', body: JSON.stringify(validSnapshot()), headers: bearer(TOKENS.ds01), signal: client.signal,
    }).catch(() => 'aborted');
    await until(() => pending === 1);
    client.abort();
    expect(await abandoned).toBe('aborted');
    const closing = server.close();
    await new Promise((r) => setTimeout(r, 50));
    // The connection is gone, but the store stays open for the ingest still running.
    await expect(store.listHosts()).resolves.toEqual([]);
    gate.resolve();
    await closing;
    expect(ingestFinished).toBe(true);
    await expect(store.listHosts()).rejects.toThrow('closed');
  });

  it('cuts a request that hangs past closeTimeoutMs instead of waiting forever', async () => {
    const core: ServiceCore = { ingest: () => new Promise(() => {}), tick: async () => {} };
    const store = createMemoryStore();
    const app = createApp({ store, core, auth: TEST_AUTH, clock: () => NOW });
    const server = await startNodeServer({ app, core, port: 0, tickIntervalMs: 1000, log: () => {}, store, signals: new EventEmitter(), closeTimeoutMs: 50 });
    const hanging = fetch(`http://127.0.0.1:${server.port}/v1/snapshots`, { method: 'POST', body: JSON.stringify(validSnapshot()), headers: bearer(TOKENS.ds01) });
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(hanging).rejects.toThrow();
    await expect(store.listHosts()).rejects.toThrow('closed');
  });

  it('closes gracefully on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const signals = new EventEmitter();
      const logs: string[] = [];
      const { server, store } = await start(idleCore, { signals, logs });
      expect(signals.listenerCount(signal)).toBe(1);
      signals.emit(signal);
      await server.closed;
      await expect(store.listHosts()).rejects.toThrow('closed');
      expect(logs).toContain('gpuwarden: signal received, closing');
      expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
    }
  });

  it('on SIGTERM runs beforeClose first (serve stops its local probe there), while the server and store still work', async () => {
    const store = createMemoryStore();
    const signals = new EventEmitter();
    const seen: string[] = [];
    let port = 0;
    const server = await startNodeServer({
      app: createApp({ store, core: idleCore, auth: TEST_AUTH, clock: () => NOW }),
      core: idleCore,
      port: 0,
      tickIntervalMs: 60_000,
      log: () => undefined,
      store,
      signals,
      beforeClose: async () => {
        seen.push(`healthz ${(await localAddress(port)).status}`);
        seen.push(`hosts ${(await store.listHosts()).length}`);
      },
    });
    running.push(server);
    port = server.port;
    signals.emit('SIGTERM');
    await server.closed;
    expect(seen).toEqual(['healthz 200', 'hosts 0']);
    await expect(store.listHosts()).rejects.toThrow('closed');
  });

  it('rejects when the port is taken', async () => {
    const { server } = await start(idleCore);
    const store = createMemoryStore();
    const app = createApp({ store, core: idleCore, auth: TEST_AUTH, clock: () => NOW });
    await expect(
      startNodeServer({ app, core: idleCore, port: server.port, tickIntervalMs: 1000, log: () => {}, signals: new EventEmitter() }),
    ).rejects.toThrow('EADDRINUSE');
  });
});
