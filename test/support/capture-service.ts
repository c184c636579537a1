// A real `gpuwarden serve` (real HTTP, a SQLite file in a temporary folder, the shipped rules and limits) with one
// probe host (ds01-demo) and one admin, whose clock stands just after the shipped ds01-h100-mig capture was taken,
// so that capture is fresh evidence on any day. What the CLI tests of the admin commands run against.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { newToken } from '../../src/cli/token.ts';
import { runCommand } from './cli.ts';
import { serveInProcess } from './serve-in-process.ts';

/** The shipped capture the service evaluates. */
export const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
/** When that capture was taken (ms since the epoch). */
export const CAPTURE_TAKEN_AT_MS = Date.parse('2026-11-25T17:17:49.467Z');

/** A running service and what a test needs to talk to it. */
export interface CaptureService {
  dir: string;
  url: string;
  /** The admin token's file (mode 600). */
  adminTokenFile: string;
  host: { token: string; sha256: string };
  admin: { token: string; sha256: string };
  /** Post the snapshot the real probe builds from the capture, as a probe does (without X-Gpuwarden-Sent-At: the probe's wall clock would disagree with the service's stopped one); returns the HTTP status. */
  postCapture(): Promise<number>;
  /** SIGTERM the service, remove its folder; returns serve's exit code. */
  stop(): Promise<number>;
}

/** Start the service in a new temporary folder named after `prefix`; `extraConfig` lines are appended to its gpuwarden.yaml. */
export async function startCaptureService(prefix: string, extraConfig: readonly string[] = []): Promise<CaptureService> {
  const host = newToken();
  const admin = newToken();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const adminTokenFile = join(dir, 'admin.token');
  await writeFile(adminTokenFile, `${admin.token}\n`, { mode: 0o600 });
  const config = join(dir, 'gpuwarden.yaml');
  await writeFile(config, [
    'listen: {host: 127.0.0.1, port: 0}',
    `store: ${join(dir, 'gw.sqlite')}`,
    `hosts: {ds01-demo: {token_sha256: ${host.sha256}}}`,
    `admins: [{name: ops, token_sha256: ${admin.sha256}}]`,
    `limits: ${join(process.cwd(), 'config/resource-limits.example.yaml')}`,
    `rules: ${join(process.cwd(), 'rules')}`,
    ...extraConfig,
  ].join('\n'));
  const serve = await serveInProcess(config, { clock: () => new Date(CAPTURE_TAKEN_AT_MS + 30_000) });
  const url = serve.url;
  return {
    dir,
    url,
    adminTokenFile,
    host,
    admin,
    async postCapture() {
      const snapshot = await runCommand(main, ['probe', '--once', '--json', '--replay', CAPTURE]);
      const res = await fetch(`${url}/v1/snapshots`, { method: 'POST', body: snapshot.out, headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } });
      return res.status;
    },
    async stop() {
      const code = await serve.stop();
      await rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}
