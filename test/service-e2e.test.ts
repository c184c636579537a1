// The "done when": gpuwarden serve (real HTTP, real SQLite file) receives a capture pushed by
// `gpuwarden probe --once --replay … --push`, and GET /v1/alerts shows what `gpuwarden rules test` shows;
// alert state survives a restart on the same file.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli.ts';
import { main } from '../src/cli/main.ts';
import { serveCommand } from '../src/cli/serve.ts';
import { newToken } from '../src/cli/token.ts';
import type { NodeServer } from '../src/server/node.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
const LIMITS = 'config/resource-limits.example.yaml';

const cli = (...args: string[]) => runCommand(main, args);

describe('serve + probe --push + GET /v1/alerts', () => {
  let dir: string;
  let config: string;
  const host = newToken();
  const admin = newToken();

  async function startServe(): Promise<{ server: NodeServer; done: Promise<number>; signals: EventEmitter }> {
    const signals = new EventEmitter();
    let server: NodeServer | undefined;
    let done: Promise<number> = Promise.resolve(1);
    const listening = new Promise<void>((resolve, reject) => {
      const io = { stdout: () => undefined, stderr: (t: string) => { if (server === undefined) reject(new Error(t)); }, env: {} };
      done = serveCommand(['--config', config], io, { signals, onListening: (s) => { server = s; resolve(); } });
    });
    await listening;
    if (server === undefined) throw new Error('serve did not start');
    return { server, done, signals };
  }

  async function alerts(port: number): Promise<{ rule: string; severity: string; state: string; labels: Record<string, string> }[]> {
    const res = await fetch(`http://127.0.0.1:${port}/v1/alerts`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alerts: { rule: string; severity: string; state: string; labels: Record<string, string> }[] };
    return body.alerts
      .filter((a) => a.state !== 'resolved')
      .map(({ rule, severity, state, labels }) => ({ rule, severity, state, labels }))
      .sort((a, b) => a.rule.localeCompare(b.rule) || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-serve-e2e-'));
    config = join(dir, 'gpuwarden.yaml');
    await writeFile(join(dir, 'host.token'), host.token, { mode: 0o600 });
    await writeFile(config, [
      'listen: {host: 127.0.0.1, port: 0}',
      `store: ${join(dir, 'gw.sqlite')}`,
      `hosts: {ds01-demo: {token_sha256: ${host.sha256}}}`,
      `admins: [{name: ops, token_sha256: ${admin.sha256}}]`,
      `limits: ${join(process.cwd(), LIMITS)}`,
      `rules: ${join(process.cwd(), 'rules')}`,
      // The capture was recorded days ago: accept snapshots up to 30 days old (the default, 24 h, stores it unevaluated).
      'max_snapshot_age_h: 720',
    ].join('\n'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the pushed capture\'s alerts, the same as rules test, and keeps them across a restart', async () => {
    const first = await startServe();
    const url = `http://127.0.0.1:${first.server.port}`;
    const push = await cli('probe', '--once', '--replay', CAPTURE, '--push', url, '--token-file', join(dir, 'host.token'), '--spool', join(dir, 'spool'));
    expect(push.code).toBe(0);
    expect(push.out).toContain('accepted');

    const served = await alerts(first.server.port);
    const tested = await cli('rules', 'test', '--replay', CAPTURE, '--json', '--limits', LIMITS);
    const expected = (JSON.parse(tested.out) as { rule: string; severity: string; state: string; labels: Record<string, string> }[])
      .map(({ rule, severity, state, labels }) => ({ rule, severity, state, labels }));
    expect(served).toEqual(expected);
    expect(served.map((a) => a.rule)).toEqual(expect.arrayContaining(['untracked-host-gpu-process', 'unmanaged-gpu-container', 'unowned-container']));
    expect(served.find((a) => a.rule === 'untracked-host-gpu-process')?.labels).toEqual({
      host: 'ds01-demo', pid: '32185', gpu: 'MIG-00000000-0000-0000-0000-000000000000', user: 'daemon',
    });

    const again = await cli('probe', '--once', '--replay', CAPTURE, '--push', url, '--token-file', join(dir, 'host.token'), '--spool', join(dir, 'spool'));
    expect(again.out).toContain('duplicate');

    first.signals.emit('SIGTERM');
    expect(await first.done).toBe(0);
    const second = await startServe();
    expect(await alerts(second.server.port)).toEqual(served);
    second.signals.emit('SIGTERM');
    expect(await second.done).toBe(0);
  });
});
