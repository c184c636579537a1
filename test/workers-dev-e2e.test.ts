// The Workers deployment end to end, locally and offline: `wrangler d1 migrations apply --local`, `wrangler dev
// --local` (workerd, local D1, the HostWriter Durable Object), and `gpuwarden probe --push` of a real capture. Its
// GET /v1/alerts must equal `gpuwarden rules test` on the same capture: the check the Node service passes
// (test/service-e2e.test.ts).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { newToken } from '../src/cli/token.ts';
import { runCommand } from './support/cli.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
/** The limits the Worker bundles (src/server/worker-pack.ts is generated from this file). */
const LIMITS = 'config/resource-limits.example.yaml';
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const cli = (...args: string[]) => runCommand((a, io) => main(a, io), args);

type Seen = { rule: string; severity: string; state: string; labels: Record<string, string> };
const comparable = (alerts: Seen[]): Seen[] =>
  alerts
    .filter((a) => a.state !== 'resolved')
    .map(({ rule, severity, state, labels }) => ({ rule, severity, state, labels }))
    .sort((a, b) => a.rule.localeCompare(b.rule) || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

describe('wrangler dev --local + probe --push + GET /v1/alerts', () => {
  const host = newToken();
  const admin = newToken();
  const port = 20_000 + (process.pid % 1000);
  const url = `http://127.0.0.1:${port}`;
  let dir: string;
  let wrangler: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-workers-e2e-'));
    await writeFile(join(dir, 'host.token'), host.token, { mode: 0o600 });
    await promisify(execFile)('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { env });
    wrangler = spawn('npx', [
      'wrangler', 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', dir,
      '--var', `GPUWARDEN_HOST_TOKENS:${JSON.stringify({ 'ds01-demo': host.sha256 })}`,
      '--var', `GPUWARDEN_ADMIN_TOKENS:${JSON.stringify({ ops: admin.sha256 })}`,
      // The capture was recorded days ago: evaluate snapshots up to 30 days old (as service-e2e's max_snapshot_age_h).
      '--var', 'GPUWARDEN_MAX_SNAPSHOT_AGE_H:720',
    ], { env, stdio: 'ignore', detached: true });
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('wrangler dev --local did not answer /healthz within 90 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    if (wrangler?.pid !== undefined) {
      try {
        process.kill(-wrangler.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the pushed capture\'s alerts, the same as rules test, and a resend is a duplicate', async () => {
    const push = await cli('probe', '--once', '--replay', CAPTURE, '--push', url, '--token-file', join(dir, 'host.token'), '--spool', join(dir, 'spool'));
    expect(push.err).toBe('');
    expect(push.out).toContain('accepted');
    const res = await fetch(`${url}/v1/alerts`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    const served = comparable(((await res.json()) as { alerts: Seen[] }).alerts);
    const tested = await cli('rules', 'test', '--replay', CAPTURE, '--json', '--limits', LIMITS);
    expect(served).toEqual(comparable(JSON.parse(tested.out) as Seen[]));
    expect(served.map((a) => a.rule)).toEqual(expect.arrayContaining(['untracked-host-gpu-process', 'unmanaged-gpu-container', 'unowned-container']));
    const again = await cli('probe', '--once', '--replay', CAPTURE, '--push', url, '--token-file', join(dir, 'host.token'), '--spool', join(dir, 'spool'));
    expect(again.out).toContain('duplicate');
  }, 60_000);
});
