// The enforcement round trip with every part real: a container on a real Docker engine breaks a rule of the default
// pack (created-never-started, its timeout made tiny by the limits file) → `gpuwarden serve` (real HTTP, SQLite
// file) fires the alert and plans the stop → the push reply hands it to the long-running `gpuwarden probe --push`
// (in-process, real push loop, sources on the test engine and a stand-in nvidia-smi replaying a captured XML) →
// the probe removes the container (mode on) or only says what it would do (dry-run) → its result comes back in the
// next snapshot → the service stores it and tells the owner on Slack (a real webhook receiver on loopback).
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../src/cli/probe.ts';
import { serveCommand } from '../../src/cli/serve.ts';
import { newToken } from '../../src/cli/token.ts';
import type { StoredAction } from '../../src/enforcement/stored-action.ts';
import type { NodeServer } from '../../src/server/node.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { DOCKER_REQUIRED, engineAvailable, ensureBusyboxImage, TEST_DOCKER_SOCKET } from '../support/docker-engine.ts';
import { listFor, makeFakeNvidiaSmi } from '../support/fake-nvidia-smi.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../support/webhook-receiver.ts';

const available = await engineAvailable();
if (!available && DOCKER_REQUIRED) {
  throw new Error(`Docker engine required (CI or GPUWARDEN_REQUIRE_DOCKER=1) but none answers on ${TEST_DOCKER_SOCKET}; start one with scripts/test-dockerd.sh`);
}

const IMAGE = 'gwtest-busybox:latest';
const TAG = `gwrt${process.pid}`;
const HOST = 'gwrt-host';
const XML_FIXTURE = new URL('../fixtures/nvidia-smi/xml/telegraf__a10g.xml', import.meta.url);
const ADMINS_PATH = '/services/T000/B000/ADMINS';
const USERS_PATH = '/services/T000/B111/USERS';
const ALICE_SLACK_ID = 'U0ALICE';

describe.skipIf(!available)('enforcement round trip: rule → service → push reply → probe → Docker → result → notice', () => {
  const docker = new Docker({ socketPath: TEST_DOCKER_SOCKET });
  const names: string[] = [];
  const dirs: string[] = [];
  const host = newToken();
  const admin = newToken();
  const signals = new EventEmitter();
  let dir: string;
  let slack: WebhookReceiver;
  let server: NodeServer;
  let serveDone: Promise<number>;
  let nvidiaSmi: string;
  const serveLog: string[] = [];

  /** Everything a Slack message says: every string in its JSON (text, blocks, fields), one per line. */
  const slackText = (r: ReceivedRequest): string => {
    const out: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
    };
    walk(r.json ?? r.body);
    return out.join('\n');
  };
  /** Slack messages to alice (the users' webhook, mentioning her) about the container `name`, oldest first. */
  const aliceMessages = (name: string): ReceivedRequest[] =>
    slack.requests.filter((r) => r.path === USERS_PATH && r.body.includes(ALICE_SLACK_ID) && r.body.includes(name));

  /** Poll until `get` returns a value (not undefined/false); the VM is loaded, so be patient and say what was seen. */
  async function until<T>(what: string, get: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 45_000, seen: () => string = () => ''): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await get();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}${seen() === '' ? '' : `; ${seen()}`}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The service's actions: GET /v1/actions when this build has it, else read from its SQLite file. */
  async function actions(): Promise<StoredAction[]> {
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/actions?limit=1000`, { headers: { authorization: `Bearer ${admin.token}` } });
    if (res.status === 200) return ((await res.json()) as { actions: StoredAction[] }).actions;
    await res.body?.cancel();
    const store = openSqliteStore(join(dir, 'gw.sqlite'));
    try {
      return await store.listActions({});
    } finally {
      await store.close();
    }
  }
  const actionFor = async (containerId: string): Promise<StoredAction | undefined> =>
    (await actions()).find((a) => a.action.target.kind === 'container' && a.action.target.containerId === containerId);

  /** A container created and never started, owned by alice the DS01 way; remembered for clean-up. */
  async function createdContainer(key: string): Promise<{ id: string; name: string }> {
    const name = `${TAG}-${key}`;
    names.push(name);
    const c = await docker.createContainer({
      Image: IMAGE,
      Cmd: ['sleep', '600'],
      name,
      Labels: { 'ds01.user': 'alice', 'ds01.managed': 'true' },
      HostConfig: { NetworkMode: 'none' },
    });
    return { id: c.id, name };
  }

  const stateOf = async (id: string): Promise<string | null> => {
    try {
      return (await docker.getContainer(id).inspect()).State.Status;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw err;
    }
  };

  /** Start `gpuwarden probe --push URL --token-file F --interval 1s --enforcement-config F` in-process; returns its stop. */
  async function startProbe(enforcementYaml: string): Promise<{ stop: () => Promise<number>; log: string[] }> {
    const pdir = await mkdtemp(join(tmpdir(), 'gw-rt-probe-'));
    dirs.push(pdir);
    await writeFile(join(pdir, 'host.token'), host.token, { mode: 0o600 });
    await writeFile(join(pdir, 'enforcement.yaml'), enforcementYaml);
    const log: string[] = [];
    const controller = new AbortController();
    const io = { stdout: (t: string) => log.push(t), stderr: (t: string) => log.push(t), env: {} };
    const done = probeCommand([
      '--push', `http://127.0.0.1:${server.port}`,
      '--token-file', join(pdir, 'host.token'),
      '--interval', '1s',
      '--enforcement-config', join(pdir, 'enforcement.yaml'),
      '--spool', join(pdir, 'spool'),
      '--host', HOST,
      '--docker-socket', TEST_DOCKER_SOCKET,
      '--nvidia-smi', nvidiaSmi,
    ], io, controller.signal);
    return {
      log,
      stop: async () => {
        controller.abort();
        return done;
      },
    };
  }

  beforeAll(async () => {
    await ensureBusyboxImage(docker, IMAGE);
    dir = await mkdtemp(join(tmpdir(), 'gw-rt-e2e-'));
    dirs.push(dir);
    slack = await startWebhookReceiver();

    // A real captured nvidia-smi XML, its processes taken out (their pids do not exist on this machine).
    const xml = (await readFile(XML_FIXTURE, 'utf8')).replace(/<process_info>[\s\S]*?<\/process_info>\s*/g, '');
    nvidiaSmi = await makeFakeNvidiaSmi({ xml, list: listFor(xml) });
    dirs.push(join(nvidiaSmi, '..'));

    // The example limits file, with a created-but-never-started timeout of 3 s instead of 30 min.
    const example = await readFile('config/resource-limits.example.yaml', 'utf8');
    const limits = example.replace(/created_container_timeout_m: 30\b/, 'created_container_timeout_m: 0.05');
    expect(limits).not.toBe(example);
    await writeFile(join(dir, 'limits.yaml'), limits);

    await writeFile(join(dir, 'notifications.yaml'), [
      'route:',
      '  receiver: admins-slack',
      '  group_by: [alertname]',
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 4h',
      'receivers:',
      '  - name: admins-slack',
      `    slack: {webhook_url: "${slack.url(ADMINS_PATH)}"}`,
      '  - name: users-slack',
      `    slack: {webhook_url: "${slack.url(USERS_PATH)}"}`,
    ].join('\n'));
    await writeFile(join(dir, 'users.yaml'), [
      'default:',
      '  slack_receiver: users-slack',
      '  notify: [slack]',
      'users:',
      '  alice:',
      `    slack_member_id: ${ALICE_SLACK_ID}`,
    ].join('\n'));
    const config = join(dir, 'gpuwarden.yaml');
    await writeFile(config, [
      'listen: {host: 127.0.0.1, port: 0}',
      `store: ${join(dir, 'gw.sqlite')}`,
      `hosts: {${HOST}: {token_sha256: ${host.sha256}}}`,
      `admins: [{name: ops, token_sha256: ${admin.sha256}}]`,
      `limits: ${join(dir, 'limits.yaml')}`,
      `rules: ${join(process.cwd(), 'rules')}`,
      'notifications: notifications.yaml',
      'users: users.yaml',
      // Actions are due at once (no grace after the notice), and live 10 min.
      'enforcement: {grace_s: 0, lifetime_s: 600}',
    ].join('\n'));
    await new Promise<void>((resolve, reject) => {
      const io = {
        stdout: (t: string) => serveLog.push(t),
        stderr: (t: string) => {
          serveLog.push(t);
          if (t.includes('cannot start') || t.includes('invalid configuration')) reject(new Error(t));
        },
        env: {},
      };
      serveDone = serveCommand(['--config', config], io, { signals, onListening: (s) => { server = s; resolve(); } });
      serveDone.then((code) => reject(new Error(`serve exited (${code}): ${serveLog.join('')}`)), reject);
    });
  }, 60_000);

  afterAll(async () => {
    signals.emit('SIGTERM');
    await serveDone;
    await slack.close();
    await Promise.all(names.map((n) => docker.getContainer(n).remove({ force: true }).catch(() => undefined)));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('mode on: the container is removed, the action is done, and alice hears "Scheduled" first and "Done" only after the result', async () => {
    const { id, name } = await createdContainer('on');
    const probe = await startProbe(['mode: on', 'allow: [warn, stop-container]'].join('\n'));
    let stored: StoredAction;
    try {
      await until(`container ${name} to be removed`, async () => (await stateOf(id)) === null, 45_000, () => `probe: ${probe.log.join('')}`);
      stored = await until(`the action on ${name} to be done`, async () => {
        const a = await actionFor(id);
        return a !== undefined && a.state !== 'scheduled' ? a : undefined;
      }, 30_000, () => `probe: ${probe.log.join('')}`);
    } finally {
      expect(await probe.stop()).toBe(0);
    }
    expect(stored.state).toBe('done');
    expect(stored.action).toMatchObject({ type: 'stop-container', host: HOST, user: 'alice', params: { remove: true }, reason: { rule: 'created-never-started' } });
    expect(stored.result).toMatchObject({ outcome: 'done', detail: 'removed (it was not running)' });

    const done = await until('the "Done" Slack message to alice', () => aliceMessages(name).find((r) => slackText(r).includes('Done at')), 30_000,
      () => `Slack got: ${slack.requests.map(slackText).join(' | ')}`);
    expect(slackText(done)).toContain('removed');
    const texts = aliceMessages(name).map(slackText);
    // The first notice announces the stop; nothing said "Done" before the probe's result was stored.
    expect(texts[0]).toContain('Scheduled');
    expect(texts[0]).not.toMatch(/\bDone\b/);
    const resultAt = Date.parse(stored.result?.at ?? '');
    for (const r of aliceMessages(name).filter((m) => /\bDone\b/.test(slackText(m)))) expect(r.at.getTime()).toBeGreaterThanOrEqual(resultAt);
    expect(texts.findIndex((t) => t.includes('Scheduled'))).toBeLessThan(texts.findIndex((t) => t.includes('Done at')));
  }, 60_000);

  it('dry-run: the container stays, the action is dry-run, and alice is told nothing was done', async () => {
    const { id, name } = await createdContainer('dry');
    const probe = await startProbe(['mode: dry-run', 'allow: [warn, stop-container]'].join('\n'));
    let stored: StoredAction;
    try {
      stored = await until(`the action on ${name} to be reported`, async () => {
        const a = await actionFor(id);
        return a !== undefined && a.state !== 'scheduled' ? a : undefined;
      }, 45_000, () => `probe: ${probe.log.join('')}`);
    } finally {
      expect(await probe.stop()).toBe(0);
    }
    expect(stored.state).toBe('dry-run');
    expect(stored.result?.outcome).toBe('dry-run');
    // After the whole cycle (result stored, probe stopped) the container is still there, untouched.
    expect(await stateOf(id)).toBe('created');

    const dry = await until('the "Dry run" Slack message to alice', () => aliceMessages(name).find((r) => slackText(r).includes('Dry run')), 30_000,
      () => `Slack got: ${slack.requests.map(slackText).join(' | ')}`);
    expect(slackText(dry)).toContain('nothing was done');
    expect(aliceMessages(name).map(slackText).join('\n')).not.toMatch(/\bDone\b/);
    expect(await stateOf(id)).toBe('created');
  }, 60_000);
});
