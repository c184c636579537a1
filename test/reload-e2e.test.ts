// A real `gpuwarden serve` process (the CLI through tsx) with a temp config: SIGHUP and POST /v1/reload swap edited
// rules in, a broken edit keeps the running rules and the process, and every reload is an event in GET /v1/events.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TOKEN_SHA256, TOKENS, validSnapshot } from '../src/server/test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gw-reload-'));
const rulesDir = join(dir, 'rules');
const rule = (id: string): string => JSON.stringify({ id, scope: 'host', severity: 'info', for: '0s', summary: `${id} on {{labels.host}}`, notify: ['admins'], conditions: { all: [] } });
let child: ChildProcess;
let base = '';
let stderr = '';
let exited: Promise<number | null>;

interface EventBody { by: string; outcome: string; summary: string; details: string[] }
interface Envelope { type: string; details: { by: string; summary: string; lines: string[] } }

/** The config events, newest first, each as {by, outcome, summary, details} (outcome from the type). */
async function events(): Promise<EventBody[]> {
  const res = await fetch(`${base}/v1/events?type=config`, { headers: bearer(TOKENS.alice) });
  const list = ((await res.json()) as { events: Envelope[] }).events;
  for (const e of list) expect(['config.reload', 'config.reload_failed']).toContain(e.type);
  return list.reverse().map((e) => ({ by: e.details.by, outcome: e.type === 'config.reload' ? 'ok' : 'failed', summary: e.details.summary, details: e.details.lines }));
}

/** Poll the event log until it holds `n` events (bounded by the test timeout, never by a sleep). */
async function eventsUntil(n: number): Promise<EventBody[]> {
  for (;;) {
    const list = await events();
    if (list.length >= n) return list;
    await new Promise((r) => setImmediate(r));
  }
}

let snapshotN = 0;
async function alertRules(): Promise<string[]> {
  snapshotN += 1;
  const takenAt = new Date(Date.now() + snapshotN).toISOString();
  const res = await fetch(`${base}/v1/snapshots`, {
    method: 'POST',
    headers: { ...bearer(TOKENS.ds01), 'Content-Type': 'application/json' },
    body: JSON.stringify(validSnapshot({ takenAt, id: `s${snapshotN}` })),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { alerts: { rule: string }[] };
  return body.alerts.map((a) => a.rule).filter((r) => r === 'first' || r === 'second').sort();
}

beforeAll(async () => {
  mkdirSync(rulesDir);
  writeFileSync(join(rulesDir, 'first.json'), rule('first'));
  copyFileSync('config/resource-limits.example.yaml', join(dir, 'resource-limits.yaml'));
  const config = [
    'listen:', '  host: 127.0.0.1', '  port: 0', 'store: "memory:"',
    'hosts:', '  ds01:', `    token_sha256: ${TOKEN_SHA256.ds01}`,
    'admins:', '  - name: alice', `    token_sha256: ${TOKEN_SHA256.alice}`,
    'limits: resource-limits.yaml', 'rules: rules', '',
  ].join('\n');
  writeFileSync(join(dir, 'gpuwarden.yaml'), config);
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'serve', '--config', join(dir, 'gpuwarden.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${String(code)}: ${stderr}`)));
  });
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('gpuwarden serve: reload', () => {
  it('SIGHUP swaps in an edited rule folder: the new rule applies to the next snapshot, and the reload is an event', async () => {
    expect(await alertRules()).toEqual(['first']);
    writeFileSync(join(rulesDir, 'second.json'), rule('second'));
    child.kill('SIGHUP');
    const [event] = await eventsUntil(1);
    expect(event).toMatchObject({ by: 'SIGHUP', outcome: 'ok', summary: '1 → 2 rules (1 added, 0 removed)', details: ['rule second added'] });
    expect(await alertRules()).toEqual(['first', 'second']);
  }, 60_000);

  it('a broken edit keeps the running rules and the process; the event and the log say why (file and place)', async () => {
    writeFileSync(join(rulesDir, 'second.json'), '{ "id": "second", ');
    writeFileSync(join(rulesDir, 'third.JSON'), rule('third'));
    child.kill('SIGHUP');
    const [event] = await eventsUntil(2);
    expect(event?.outcome).toBe('failed');
    expect(event?.by).toBe('SIGHUP');
    expect(event?.summary).toBe('kept the running config (2 rules): 2 problem(s)');
    expect(event?.details.join('\n')).toContain(`${join(rulesDir, 'second.json')}: $: invalid JSON at line 1`);
    expect(event?.details.join('\n')).toContain(`${join(rulesDir, 'third.JSON')}: $: not read: rule files end in ".json" (lowercase)`);
    expect(stderr).toContain('reload (SIGHUP): failed, the running config is kept');
    expect(child.exitCode).toBeNull();
    expect(await alertRules()).toEqual(['first', 'second']);
  }, 60_000);

  it('POST /v1/reload: admin token only; 400 with every problem while broken, 200 once fixed; by admin:<name>', async () => {
    expect((await fetch(`${base}/v1/reload`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/v1/reload`, { method: 'POST', headers: bearer(TOKENS.ds01) })).status).toBe(403);
    const broken = await fetch(`${base}/v1/reload`, { method: 'POST', headers: bearer(TOKENS.alice) });
    expect(broken.status).toBe(400);
    const body = (await broken.json()) as { error: string; message: string; issues: { message: string }[] };
    expect(body.error).toBe('reload_failed');
    expect(body.issues.map((i) => i.message).join('\n')).toContain('third.JSON');
    unlinkSync(join(rulesDir, 'third.JSON'));
    unlinkSync(join(rulesDir, 'second.json'));
    const ok = await fetch(`${base}/v1/reload`, { method: 'POST', headers: bearer(TOKENS.alice) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, summary: '2 → 1 rules (0 added, 1 removed), 1 alert(s) of removed rules dropped' });
    const list = await events();
    expect(list.slice(0, 2).map((e) => [e.by, e.outcome])).toEqual([['admin:alice', 'ok'], ['admin:alice', 'failed']]);
    expect(list[0]?.details[0]).toBe('rule second removed');
    expect(await alertRules()).toEqual(['first']);
  }, 60_000);

  it('SIGTERM still closes gracefully (exit 0)', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
