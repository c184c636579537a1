// The real `gpuwarden serve` process with stderr not a terminal: every stderr line is a JSON object, the rejected
// requests are there (403 host mismatch, a 401 flood as one line, a 400), and no token ever is.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TOKEN_SHA256, TOKENS, validSnapshot } from '../src/server/test-support.ts';

const ROOT = resolve('.');

interface Run {
  port: number;
  exited: Promise<{ code: number | null; stderr: string }>;
  stop: () => void;
}

/** Starts `node --import tsx src/cli/entry.ts serve ARGS` and resolves once it says where it listens. */
function startServe(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const exited = new Promise<{ code: number | null; stderr: string }>((done) => child.once('exit', (code) => done({ code, stderr })));
  return new Promise((resolveRun, reject) => {
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m !== null) resolveRun({ port: Number(m[1]), exited, stop: () => child.kill('SIGTERM') });
    });
    void exited.then(({ code }) => reject(new Error(`serve exited ${String(code)} before listening: ${stderr}`)));
  });
}

describe('gpuwarden serve: JSON-lines logs on stderr', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-logs-e2e-'));
    config = join(dir, 'gpuwarden.yaml');
    await writeFile(
      config,
      [
        'store: "memory:"',
        `rules: ${join(ROOT, 'rules')}`,
        `limits: ${join(ROOT, 'config/resource-limits.example.yaml')}`,
        'hosts:',
        `  ds01: {token_sha256: ${TOKEN_SHA256.ds01}}`,
        'admins:',
        `  - {name: alice, token_sha256: ${TOKEN_SHA256.alice}}`,
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('logs each rejected request once as a JSON line (a 2xx not at all), never a token', async () => {
    const run = await startServe(['--config', config, '--port', '0']);
    const base = `http://127.0.0.1:${run.port}`;
    const post = (headers: Record<string, string>, body: unknown): Promise<Response> =>
      fetch(`${base}/v1/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const mismatch = await post({ ...bearer(TOKENS.ds01), 'x-request-id': 'e2e-403' }, validSnapshot({ host: 'ds02' }));
    expect(mismatch.status).toBe(403);
    expect(mismatch.headers.get('x-request-id')).toBe('e2e-403');
    for (let i = 0; i < 50; i += 1) expect((await post(bearer(TOKENS.ds02), {})).status).toBe(401);
    expect((await fetch(`${base}/v1/alerts?state=bogus`, { headers: bearer(TOKENS.alice) })).status).toBe(400);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    run.stop();
    const { code, stderr } = await run.exited;
    expect(code).toBe(0);

    const lines = stderr.trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) expect(Object.keys(p).slice(0, 3)).toEqual(['ts', 'level', 'msg']);
    const access = parsed.filter((p) => typeof p.status === 'number');
    // How many 401 lines get through depends on the wall clock (one per client per 10 s); access-log.test.ts steps a clock.
    const unauthorized = access.slice(1, -1);
    expect(unauthorized.length).toBeGreaterThanOrEqual(1);
    for (const line of unauthorized) expect(line).toMatchObject({ level: 'warn', msg: 'POST /v1/snapshots 401', error: 'unauthorized', message: 'invalid bearer token', client: '127.0.0.1' });
    expect(access[0]).toMatchObject({ level: 'warn', msg: 'POST /v1/snapshots 403', requestId: 'e2e-403', principal: 'ds01', client: '127.0.0.1', error: 'host_mismatch', message: 'this token belongs to host "ds01" and cannot write snapshots of host "ds02"' });
    expect(access.at(-1)).toMatchObject({ level: 'warn', msg: 'GET /v1/alerts 400', query: 'state', principal: 'alice', principalKind: 'admin' });
    expect(parsed).toContainEqual(expect.objectContaining({ level: 'info', msg: 'gpuwarden: signal received, closing' }));
    for (const token of Object.values(TOKENS)) expect(stderr).not.toContain(token);
  });

  it('--log-format text writes readable lines instead', async () => {
    const run = await startServe(['--config', config, '--port', '0', '--log-format', 'text']);
    expect((await fetch(`http://127.0.0.1:${run.port}/nope`)).status).toBe(404);
    run.stop();
    const { stderr } = await run.exited;
    expect(stderr).toMatch(/^\S+Z WARN {2}GET \/nope 404 requestId=\S+ method=GET path=\/nope status=404 durationMs=\d+ client=127\.0\.0\.1 error=not_found message="no route for GET \/nope"$/m);
    expect(stderr).not.toContain('{"ts"');
  });
});
