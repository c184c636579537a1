// `gpuwarden events` against a real `serve` (real HTTP, real SQLite file) that evaluated a shipped capture: its
// alert events, filters, JSON lines, and --follow picking up a reload made while it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_TAKEN_AT_MS, startCaptureService, type CaptureService } from '../../test/support/capture-service.ts';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import type { GwEvent } from '../events/event.ts';
import { eventsCommand, type EventsOptions } from './events.ts';
import { UsageError } from './usage-error.ts';

const TAKEN_AT = CAPTURE_TAKEN_AT_MS;

let svc: CaptureService;
let adminTokenFile: string;
let url: string;
let host: CaptureService['host'];
let admin: CaptureService['admin'];

beforeAll(async () => {
  svc = await startCaptureService('gw-events-cli-');
  ({ adminTokenFile, url, host, admin } = svc);
  expect(await svc.postCapture()).toBe(200);
});

afterAll(async () => {
  expect(await svc.stop()).toBe(0);
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
