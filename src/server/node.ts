import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ServiceCore } from '../service/core.ts';
import type { LogFn } from './errors.ts';

/** Where SIGTERM / SIGINT / SIGHUP come from (the process by default; an EventEmitter in tests). */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(signal: 'SIGHUP', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', listener: () => void): unknown;
}

/** Options of startNodeServer. */
export interface NodeServerOptions {
  app: Pick<Hono, 'fetch'>;
  core: Pick<ServiceCore, 'tick' | 'drain'>;
  /** Default 127.0.0.1: nothing listens beyond this machine unless asked. */
  hostname?: string;
  /** 0 picks a free port (tests). */
  port: number;
  tickIntervalMs: number;
  log: LogFn;
  /** Closed last, after in-flight requests and the running tick finished. */
  store?: { close(): Promise<void> };
  clock?: () => Date;
  signals?: SignalSource;
  /** After this long, connections still open at close are cut. Default 10 s. */
  closeTimeoutMs?: number;
  /**
   * What SIGHUP does: reload the config (its outcome is logged and recorded by it). Without it SIGHUP is logged and
   * ignored; either way it never stops the server (it is also what a closing terminal sends).
   */
  reload?: (by: string) => Promise<unknown>;
  /** Run first when closing, before the server stops accepting (serve's local probe loop stops here). */
  beforeClose?: () => Promise<unknown>;
}

/** A running Node server. */
export interface NodeServer {
  port: number;
  hostname: string;
  /** Stop accepting, let in-flight requests and the tick finish, close the store. Idempotent. */
  close(): Promise<void>;
  /** Settles when the server has closed (by close() or a signal). */
  closed: Promise<void>;
}

/** Serve the app over HTTP with @hono/node-server, tick the core on a timer, close gracefully on SIGTERM/SIGINT, reload on SIGHUP. */
export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const clock = options.clock ?? ((): Date => new Date());
  const signals = options.signals ?? process;
  const { log } = options;

  const server = (await listen(options.app, hostname, options.port)) as Server;
  const port = (server.address() as AddressInfo).port;

  let tickRunning: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (tickRunning !== null) return; // a slow tick is never overlapped
    tickRunning = options.core
      .tick(clock())
      .catch((err: unknown) => log(`gpuwarden: tick failed: ${describe(err)}`, { level: 'error' }))
      .finally(() => {
        tickRunning = null;
      });
  }, options.tickIntervalMs);

  let closing: Promise<void> | null = null;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolveClosed) => {
    markClosed = resolveClosed;
  });

  const onSignal = (): void => {
    log('gpuwarden: signal received, closing');
    close().catch((err: unknown) => log(`gpuwarden: close failed: ${describe(err)}`, { level: 'error' }));
  };

  const onHangup = (): void => {
    if (closing !== null) {
      log('gpuwarden: SIGHUP received while closing; ignored');
      return;
    }
    if (options.reload === undefined) {
      log('gpuwarden: SIGHUP received; nothing to reload, ignored');
      return;
    }
    log('gpuwarden: SIGHUP received, reloading the config');
    options.reload('SIGHUP').catch((err: unknown) => log(`gpuwarden: reload failed: ${describe(err)}`));
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
      await options.beforeClose?.().catch((err: unknown) => log(`gpuwarden: ${describe(err)}`));
      clearInterval(timer);
      const stopped = new Promise<void>((done) => server.close(() => done()));
      // Keep-alive connections turn idle once their response is out; close them as they do, cut the rest late.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const force = setTimeout(() => server.closeAllConnections(), options.closeTimeoutMs ?? 10_000);
      await stopped;
      clearInterval(sweep);
      clearTimeout(force);
      await tickRunning;
      // Requests whose clients went away may still be waiting for their turn: they finish before the store closes.
      await options.core.drain?.();
      await options.store?.close();
    })().finally(() => {
      // Removed last: a SIGHUP while closing (a terminal closing with it) must not kill the process mid-close.
      signals.off('SIGHUP', onHangup);
      markClosed();
    });
    return closing;
  };

  signals.once('SIGTERM', onSignal);
  signals.once('SIGINT', onSignal);
  signals.on('SIGHUP', onHangup);
  return { port, hostname, close, closed };
}

function listen(app: Pick<Hono, 'fetch'>, hostname: string, port: number): Promise<ReturnType<typeof serve>> {
  return new Promise((resolveListening, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }, () => {
      server.off('error', reject);
      resolveListening(server);
    });
    server.once('error', reject);
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
