// `gpuwarden alerts` against a real `serve` (real HTTP, real SQLite file) holding the alerts of a shipped capture,
// built by the real `probe --once --json --replay` and posted with the host's token.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_TAKEN_AT_MS, startCaptureService, type CaptureService } from '../../test/support/capture-service.ts';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import type { Alert } from '../alerts/alert.ts';
import { alertsCommand, alertStateWords, renderAlerts } from './alerts.ts';
import { main } from './main.ts';
import { UsageError } from './usage-error.ts';

const TAKEN_AT = CAPTURE_TAKEN_AT_MS;
/** Two hours and five minutes after the capture was taken. */
const NOW = new Date(TAKEN_AT + (2 * 3600 + 5 * 60) * 1000);

let svc: CaptureService;
let dir: string;
let adminTokenFile: string;
let url: string;
let host: CaptureService['host'];
let admin: CaptureService['admin'];

beforeAll(async () => {
  svc = await startCaptureService('gw-alerts-cli-');
  ({ dir, adminTokenFile, url, host, admin } = svc);
  expect(await svc.postCapture()).toBe(200);
});

afterAll(async () => {
  expect(await svc.stop()).toBe(0);
});

/** `gpuwarden alerts ARGS` at NOW with the given environment; no output ever holds a token. */
async function alerts(args: string[], env: NodeJS.ProcessEnv = { GPUWARDEN_URL: url, GPUWARDEN_TOKEN_FILE: adminTokenFile }): Promise<CliRun> {
  const run = await runCommand((a, io) => alertsCommand(a, io, () => NOW), args, env);
  for (const token of [admin.token, host.token]) expect(run.out + run.err).not.toContain(token);
  return run;
}

describe('gpuwarden alerts against a running service', () => {
  it('lists the pending and firing alerts, firing first, with for how long in words', async () => {
    const r = await alerts([]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE\s+SINCE\s+SEVERITY\s+RULE\s+HOST\s+USER\s+SUMMARY$/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^firing for 2 h 5 min\s+Wed 2026-11-25 17:17 UTC\s+critical\s+unmanaged-gpu-container \(all-gpus\)\s+ds01-demo\s+-\s+Container gwe2e31671-gpuall/);
    expect(lines.slice(2).every((l) => l.startsWith('pending for 2 h 5 min'))).toBe(true);
    expect(lines.find((l) => l.includes('untracked-host-gpu-process'))).toMatch(/\sds01-demo\s+daemon\s+daemon runs node \(pid 32185\)/);
  });

  it('filters by state, user, rule and host on the service', async () => {
    const firing = await alerts(['--state', 'firing']);
    expect(firing.out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{2,}/)[3])).toEqual(['unmanaged-gpu-container (all-gpus)']);
    const daemon = await alerts(['--user', 'daemon']);
    expect(daemon.out.trimEnd().split('\n')).toHaveLength(2);
    expect(daemon.out).toContain('untracked-host-gpu-process');
    expect((await alerts(['--rule', 'unowned-container', '--severity', 'warning'])).out.trimEnd().split('\n')).toHaveLength(4);
    expect(await alerts(['--host', 'ds02'])).toEqual({ code: 0, out: 'No pending or firing alerts.\n', err: '' });
    expect(await alerts(['--state', 'resolved'])).toEqual({ code: 0, out: 'No alerts in that state.\n', err: '' });
  });

  it('says when --limit cut the list', async () => {
    const r = await alerts(['--limit', '2']);
    expect(r.out.trimEnd().split('\n')).toHaveLength(4);
    expect(r.out).toMatch(/\(the first 2 the service returned; --limit N shows up to 1000\)\n$/);
  });

  it('--json prints the alerts as the service returns them', async () => {
    const r = await alerts(['--rule', 'unowned-container', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out) as { alerts: Alert[] };
    expect(Object.keys(body)).toEqual(['alerts']);
    expect(body.alerts).toHaveLength(3);
    for (const a of body.alerts) {
      expect(a).toMatchObject({ rule: 'unowned-container', host: 'ds01-demo', severity: 'warning', state: 'pending', stage: null, firedAt: null });
      expect(a.activeSince).toBe(new Date(TAKEN_AT).toISOString());
      expect(a.labels.container).toMatch(/^[0-9a-f]{64}$/);
      expect(a.annotations.summary).toMatch(/has no identifiable owner$/);
    }
  });

  it('takes the URL and token file from flags, the environment or the CLI config', async () => {
    const flags = await alerts(['--url', url, '--token-file', adminTokenFile, '--state', 'firing'], {});
    expect(flags.code).toBe(0);
    const xdg = join(dir, 'xdg');
    await mkdir(join(xdg, 'gpuwarden'), { recursive: true });
    await writeFile(join(xdg, 'gpuwarden', 'cli.yaml'), `url: ${url}\ntoken_file: ../../admin.token\n`);
    expect(await alerts(['--state', 'firing'], { XDG_CONFIG_HOME: xdg })).toEqual(flags);
    await writeFile(join(xdg, 'gpuwarden', 'cli.yaml'), `url: ${url}\ntoken-file: x\n`);
    const broken = await alerts([], { XDG_CONFIG_HOME: xdg });
    expect(broken).toEqual({ code: 1, out: '', err: `gpuwarden alerts: invalid CLI config:\n  ${join(xdg, 'gpuwarden', 'cli.yaml')}:2: token-file: unknown key (did you mean token_file?)\n` });
  });

  it('exits 1 with the reason when the service refuses or cannot be reached', async () => {
    const wrong = join(dir, 'wrong.token');
    await writeFile(wrong, host.token, { mode: 0o600 });
    const refused = await alerts([], { GPUWARDEN_URL: url, GPUWARDEN_TOKEN_FILE: wrong });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^gpuwarden alerts: the service answered 403/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await alerts([], { GPUWARDEN_URL: `http://127.0.0.1:${port}`, GPUWARDEN_TOKEN_FILE: adminTokenFile });
    expect(unreachable).toEqual({ code: 1, out: '', err: `gpuwarden alerts: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n` });
  });
});

describe('gpuwarden alerts usage', () => {
  it('refuses bad filters before calling anything (exit 2 through main, with the usage)', async () => {
    for (const [args, message] of [
      [['--state', 'burning'], '--state "burning" is not a state: use pending, firing or resolved'],
      [['--severity', 'bad'], '--severity "bad" is not a severity: use info, warning, critical'],
      [['--limit', '0'], '--limit takes a whole number from 1 to 1000'],
      [['--host', ''], '--host must not be empty'],
      [['firing'], 'alerts takes no arguments, got "firing"'],
      [[], 'no service URL: give --url URL'],
    ] as const) {
      await expect(runCommand(alertsCommand, [...args])).rejects.toThrow(message);
      await expect(runCommand(alertsCommand, [...args])).rejects.toBeInstanceOf(UsageError);
    }
    const r = await runCommand(main, ['alerts', '--state', 'burning']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gpuwarden alerts: --state "burning" is not a state.*\n\ngpuwarden alerts \[--state/);
  });
});

describe('renderAlerts', () => {
  const alert = (over: Partial<Alert>): Alert => ({
    fingerprint: 'f', rule: 'idle-gpu-container', host: 'ds01', severity: 'warning', stage: null, labels: { user: 'alice' },
    annotations: { summary: 'idle\nfor long', description: '' }, notify: [], state: 'firing', activeSince: '2026-11-25T08:00:00.000Z',
    firedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null, lastMatchedAt: '2026-11-25T09:00:00.000Z', updatedAt: '2026-11-25T09:00:00.000Z', ...over,
  });
  const now = new Date('2026-11-25T10:30:20.000Z');

  it('counts firing from when it fired, pending from when it started matching, resolved back from now', () => {
    expect(alertStateWords(alert({}), now)).toBe('firing for 1 h 30 min');
    expect(alertStateWords(alert({ state: 'pending', firedAt: null, activeSince: '2026-11-25T10:30:00.000Z' }), now)).toBe('pending for 20 s');
    expect(alertStateWords(alert({ state: 'resolved', resolvedAt: '2026-11-25T10:00:20.000Z' }), now)).toBe('resolved 30 min ago');
    expect(alertStateWords(alert({ stale: { since: '2026-11-25T10:00:00.000Z', sources: ['docker'] } }), now)).toBe('firing for 1 h 30 min (stale)');
  });

  it('keeps each alert on one line', () => {
    expect(renderAlerts([alert({})], false, now)).toBe(
      'STATE                  SINCE                     SEVERITY  RULE                HOST  USER   SUMMARY\n' +
      'firing for 1 h 30 min  Wed 2026-11-25 09:00 UTC  warning   idle-gpu-container  ds01  alice  idle for long\n',
    );
  });
});
