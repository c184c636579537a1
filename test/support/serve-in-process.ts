// `gpuwarden serve --config FILE` started in this process (real HTTP on an ephemeral port, the real store), for the
// end-to-end tests: resolves once it listens, rejects with the first stderr line when it cannot start.
import { EventEmitter } from 'node:events';
import { serveCommand } from '../../src/cli/serve.ts';
import type { NodeServer } from '../../src/server/node.ts';

/** A running serve: its server, and stop() (SIGTERM, then serve's exit code). */
export interface ServeInProcess {
  server: NodeServer;
  url: string;
  stop(): Promise<number>;
}

/** Start serve on `config` (a clock of the test's when given); rejects with what serve wrote to stderr before it listened. */
export async function serveInProcess(config: string, options: { clock?: () => Date } = {}): Promise<ServeInProcess> {
  const signals = new EventEmitter();
  let listening: NodeServer | undefined;
  let done: Promise<number> = Promise.resolve(0);
  const server = await new Promise<NodeServer>((resolve, reject) => {
    const io = { stdout: () => undefined, stderr: (t: string) => { if (listening === undefined) reject(new Error(t)); }, env: {} };
    done = serveCommand(['--config', config], io, { signals, ...(options.clock === undefined ? {} : { clock: options.clock }), onListening: (s) => { listening = s; resolve(s); } });
  });
  return {
    server,
    url: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      signals.emit('SIGTERM');
      return done;
    },
  };
}
