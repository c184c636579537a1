// `gpuwarden events` against a real `serve` (real HTTP, real SQLite file) that evaluated a shipped capture: its
// alert events, filters, JSON lines, and --follow picking up a reload made while it runs.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import type { GwEvent } from '../events/event.ts';
import type { NodeServer } from '../server/node.ts';
import { eventsCommand, type EventsOptions } from './events.ts';
import { main } from './main.ts';
import { serveCommand } from './serve.ts';
import { newToken } from './token.ts';
import { UsageError } from './usage-error.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
const TAKEN_AT = Date.parse('2026-11-25T17:17:49.467Z');

const host = newToken();
const admin = newToken();
let dir: string;
let adminTokenFile: string;
let url: string;
let signals: EventEmitter;
let served: Promise<number>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-events-cli-'));
  adminTokenFile = join(dir, 'admin.token');
  await writeFile(adminTokenFile, `${admin.token}\n`, { mode: 0o600 });
  const config = join(dir, 'gpuwarden.yaml');
  await writeFile(config, [
    'listen: {host: 127.0.0.1, port: 0}',
    `store: ${join(dir, 'gw.sqlite')}`,
    `hosts: {ds01-demo: {token_sha256: ${host.sha256}}}`,
    `admins: [{name: ops, token_sha256: ${admin.sha256}}]`,
    `limits: ${join(process.cwd(), 'config/resource-limits.example.yaml')}`,
    `rules: ${join(process.cwd(), 'rules')}`,
  ].join('\n'));
  signals = new EventEmitter();
  let server: NodeServer | undefined;
  await new Promise<void>((resolve, reject) => {
    const io = { stdout: () => undefined, stderr: (t: string) => { if (server === undefined) reject(new Error(t)); }, env: {} };
    const clock = (): Date => new Date(TAKEN_AT + 30_000);
    served = serveCommand(['--config', config], io, { signals, clock, onListening: (s) => { server = s; resolve(); } });
  });
  url = `http://127.0.0.1:${server?.port ?? 0}`;
  const snapshot = await runCommand(main, ['probe', '--once', '--json', '--replay', CAPTURE]);
  const posted = await fetch(`${url}/v1/snapshots`, { method: 'POST', body: snapshot.out, headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } });
  expect(posted.status).toBe(200);
});

afterAll(async () => {
  signals.emit('SIGTERM');
  expect(await served).toBe(0);
  await rm(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({ GPUWARDEN_URL: url, GPUWARDEN_TOKEN_FILE: adminTokenFile });

/** `gpuwarden events ARGS`; no output ever holds a token. */
async function events(args: string[], options: EventsOptions = {}): Promise<CliRun> {
  const run = await runCommand((a, io) => eventsCommand(a, io, { now: () => new Date(TAKEN_AT + 10 * 60_000), ...options }), args, env());
  for (const token of [admin.token, host.token]) expect(run.out + run.err).not.toContain(token);
  return run;
}

const jsonLines = (out: string): GwEvent[] => out.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as GwEvent);

describe('gpuwarden events against a running service', () => {
  it('lists the alert transitions of the evaluated snapshot, oldest first, one line each', async () => {
    const r = await events([]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+TYPE\s+HOST\s+USER\s+SUBJECT\s+DETAILS$/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => /^2026-11-25T17:1\d:\d\dZ\s+alert\.(pending|firing)\s+ds01-demo\s/.test(l))).toBe(true);
    expect(lines.some((l) => /alert\.firing\s+ds01-demo\s+-\s+\S+\s+Container gwe2e31671-gpuall/.test(l))).toBe(true);
  });

  it('filters by type prefix, user and host on the service, and prints JSON lines', async () => {
    const firing = jsonLines((await events(['--type', 'alert.firing', '--json'])).out);
    expect(firing.map((e) => [e.type, e.details['rule']])).toEqual([['alert.firing', 'unmanaged-gpu-container']]);
    const daemon = jsonLines((await events(['--user', 'daemon', '--json'])).out);
    expect(daemon.map((e) => [e.type, e.user, e.details['rule']])).toEqual([['alert.pending', 'daemon', 'untracked-host-gpu-process']]);
    expect(await events(['--host', 'ds02'])).toEqual({ code: 0, out: 'No events.\n', err: '' });
    expect(await events(['--type', 'config'])).toEqual({ code: 0, out: 'No events.\n', err: '' });
    expect(await events(['--since', '1m'])).toEqual({ code: 0, out: 'No events.\n', err: '' });
    expect(jsonLines((await events(['--since', '15m', '--json'])).out).length).toBeGreaterThan(2);
    expect(jsonLines((await events(['--since', '2026-11-25T17:00:00Z', '--limit', '2', '--json'])).out)).toHaveLength(2);
  });

  it('--follow prints what came after its first reply (a reload made meanwhile) until stopped, exit 0', async () => {
    const stop = new AbortController();
    let out = '';
    const running = eventsCommand(['--follow', '--type', 'config'], { stdout: (t) => (out += t), stderr: (t) => (out += t), env: env() }, { signal: stop.signal, pollMs: 5 });
    const reload = await fetch(`${url}/v1/reload`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` } });
    expect(reload.status).toBe(200);
    while (!out.includes('config.reload')) await new Promise((r) => setImmediate(r));
    stop.abort();
    expect(await running).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+TYPE/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual(['config.reload']);
    expect(out).toContain('(by admin:ops)');
  });

  it('the route refuses a bad cursor or type; the command refuses bad flags with a sentence', async () => {
    const auth = { authorization: `Bearer ${admin.token}` };
    expect((await fetch(`${url}/v1/events?after=abc`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/v1/events?type=Alert`, { headers: auth })).status).toBe(400);
    const page = (await (await fetch(`${url}/v1/events?limit=1`, { headers: auth })).json()) as { events: GwEvent[]; next: string };
    const after = (await (await fetch(`${url}/v1/events?after=${page.next}`, { headers: auth })).json()) as { events: GwEvent[]; next: string };
    expect(after).toEqual({ events: [], next: page.next });
    await expect(events(['--since', 'yesterday'])).rejects.toThrow(UsageError);
    await expect(events(['--type', 'Alert'])).rejects.toThrow(/type prefix/);
    await expect(events(['extra'])).rejects.toThrow(/no arguments/);
  });
});
