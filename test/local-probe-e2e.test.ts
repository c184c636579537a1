// Issue 11 item 3, "one box, one command": the real CLI runs `serve --local-probe` on 127.0.0.1 and probes this
// machine in the same process, no token. nvidia-smi is the stand-in that replays a captured XML (with this test's
// pid as the GPU process); Docker is off (--no-docker) or pointed at a socket that is not there.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { newToken } from '../src/cli/token.ts';
import { runCommand } from './support/cli.ts';
import { listFor, makeFakeNvidiaSmi, substitutePids } from './support/fake-nvidia-smi.ts';

const ROOT = resolve('.');
const LIMITS = join(ROOT, 'config/resource-limits.example.yaml');
const RULES = join(ROOT, 'rules');
const XML = 'test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml';
const HOST = hostname();

type AlertRow = { rule: string; severity: string; state: string; labels: Record<string, string>; annotations?: { summary: string } };

/** The real CLI as a child process (TypeScript sources through tsx), with its output collected. */
interface Serve {
  child: ChildProcess;
  url: Promise<string>;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function startServe(args: string[]): Serve {
  const env = { ...process.env };
  delete env.GPUWARDEN_NVIDIA_SMI;
  delete env.DOCKER_HOST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'serve', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = new Promise<string>((found, failed) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] !== undefined) found(m[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    void exit.then((code) => failed(new Error(`serve exited (${code}) before listening:\n${out}\n${err}`)));
  });
  return { child, url, out: () => out, err: () => err, exit };
}

/** Ask until `check` returns a value (the loop runs on its own timer; this only waits for it, asserting nothing on time). */
async function until<T>(what: string, check: () => Promise<T | undefined>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The messages of serve's stderr: each JSON line's `msg` (a line that is not JSON as it is). */
function messages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '').map((line) => {
    try {
      return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
    } catch {
      return line;
    }
  });
}

describe('gpuwarden serve --local-probe (real CLI, one process)', () => {
  let dir: string;
  let config: string;
  const admin = newToken();
  const get = async (url: string, path: string): Promise<Response> => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${admin.token}` } });
  const activeAlerts = async (url: string): Promise<AlertRow[]> => {
    const body = (await (await get(url, `/v1/alerts?host=${HOST}`)).json()) as { alerts: AlertRow[] };
    return body.alerts.filter((a) => a.state !== 'resolved');
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-local-probe-'));
    config = join(dir, 'gpuwarden.yaml');
    // No hosts: the local probe needs no token. An admin token to read the alerts.
    await writeFile(config, ['listen: {host: 127.0.0.1, port: 0}', `admins: [{name: ops, token_sha256: ${admin.sha256}}]`, `limits: ${LIMITS}`, `rules: ${RULES}`].join('\n'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists this host and shows the alerts `rules test --replay` shows for a capture of the same machine', async () => {
    const xml = await readFile(XML, 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(xml, [process.pid]), list: listFor(xml) });
    const store = join(dir, 'one.sqlite');
    const serve = startServe(['--config', config, '--store', store, '--local-probe', '--probe-interval', '200ms', '--nvidia-smi', bin, '--no-docker']);
    try {
      const url = await serve.url;
      const hosts = await until('this host', async () => {
        const body = (await (await get(url, '/v1/hosts')).json()) as { hosts: { host: string; lastTakenAt: string }[] };
        return body.hosts.length > 0 ? body.hosts : undefined;
      });
      expect(hosts.map((h) => h.host)).toEqual([HOST]);
      // A later snapshot too: the loop keeps going.
      await until('a second snapshot', async () => {
        const body = (await (await get(url, '/v1/hosts')).json()) as { hosts: { lastTakenAt: string }[] };
        return body.hosts[0]?.lastTakenAt !== hosts[0]?.lastTakenAt ? true : undefined;
      });
      // The local probe's snapshots skip the HTTP route; /metrics has its GPU values all the same.
      const metrics = await (await get(url, '/metrics')).text();
      expect(metrics).toContain(`gpuwarden_host_up{host="${HOST}"} 1\n`);
      expect(metrics.split('\n').filter((line) => line.startsWith(`gpuwarden_gpu_memory_total_bytes{host="${HOST}",gpu="0",`))).toHaveLength(1);

      const cap = join(dir, 'cap');
      expect((await runCommand(main, ['capture', cap, '--nvidia-smi', bin, '--no-docker'])).code).toBe(0);
      const tested = await runCommand(main, ['rules', 'test', '--replay', cap, '--json', '--rules', RULES, '--limits', LIMITS]);
      expect(tested.code).toBe(0);
      const pick = (rows: AlertRow[]): Omit<AlertRow, 'annotations'>[] =>
        rows.map(({ rule, severity, state, labels }) => ({ rule, severity, state, labels })).sort((a, b) => a.rule.localeCompare(b.rule));
      const expected = pick(JSON.parse(tested.out) as AlertRow[]);
      // The replayed GPU (an idle Tesla T4 holding this test's process) is what the rules see on both sides.
      expect(expected.map((a) => a.rule)).toContain('gpu-waste');
      expect(pick(await activeAlerts(url))).toEqual(expected);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exit).toBe(0);
    expect(serve.err()).toContain(`local probe: probing host ${HOST} every 200ms into this service (no token, no HTTP)`);
    expect(serve.err()).toContain(`local probe: host ${HOST}: 1 GPU(s), 1 GPU process(es), 0 container(s)`);
    expect(serve.err()).toContain('enforcement: mode dry-run, allowed warn');
    expect(serve.err()).not.toContain('no host tokens are configured');
    expect(serve.out()).toContain('gpuwarden serve: stopped');
  });

  it('without nvidia-smi or Docker says so once, still serves, and each snapshot carries the source errors', async () => {
    const store = join(dir, 'bare.sqlite');
    const missing = join(dir, 'no-such-dir', 'nvidia-smi');
    const socket = join(dir, 'no-docker.sock');
    const serve = startServe(['--config', config, '--store', store, '--local-probe', '--probe-interval', '200ms', '--nvidia-smi', missing, '--docker-socket', socket]);
    try {
      const url = await serve.url;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const failing = await until('probe-source-failing', async () => (await activeAlerts(url)).find((a) => a.rule === 'probe-source-failing'));
      expect(failing.state).toBe('pending');
      expect(failing.annotations?.summary).toContain(`${missing} not found`);
      // A few more cycles: the notice is said once, not per snapshot.
      const first = (await (await get(url, '/v1/hosts')).json()) as { hosts: { lastTakenAt: string }[] };
      await until('a later snapshot', async () => {
        const body = (await (await get(url, '/v1/hosts')).json()) as { hosts: { lastTakenAt: string }[] };
        return body.hosts[0]?.lastTakenAt !== first.hosts[0]?.lastTakenAt ? true : undefined;
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exit).toBe(0);
    const notice =
      `local probe: nvidia-smi not found (${missing}) — GPU processes cannot be seen on this host; ` +
      `Docker socket ${socket} not reachable (socket not found (ENOENT)) — containers cannot be attributed`;
    // One line of its own (serve logs JSON lines when stderr is not a terminal), said once however many snapshots were taken.
    expect(messages(serve.err()).filter((line) => line.startsWith(notice))).toHaveLength(1);
    expect(messages(serve.err())).toContain(`local probe: host ${HOST}: 0 GPU(s), 0 GPU process(es), 0 container(s)`);

    // The stored snapshot (evidence for the alert it changed) lists the failing sources, as the pushing probe's does.
    const db = new BetterSqlite3(store, { readonly: true });
    try {
      const row = db.prepare('SELECT body FROM snapshots WHERE body IS NOT NULL ORDER BY taken_at LIMIT 1').get() as { body: string };
      const snapshot = JSON.parse(row.body) as { host: string; errors: { source: string; message: string }[]; gpus: unknown[] };
      expect(snapshot.host).toBe(HOST);
      expect(snapshot.gpus).toEqual([]);
      expect(snapshot.errors).toEqual(expect.arrayContaining([
        { source: 'gpu', message: `nvidia-smi -q -x: ${missing} not found` },
        { source: 'docker', message: `docker: docker engine at ${socket}: socket not found (ENOENT)` },
      ]));
    } finally {
      db.close();
    }
  });
});
