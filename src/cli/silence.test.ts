import { EventEmitter } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import { createApp } from '../server/app.ts';
import { startNodeServer, type NodeServer } from '../server/node.ts';
import { TEST_AUTH, TOKENS } from '../server/test-support.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.ts';
import type { Silence } from '../store/store.ts';
import { renderSilences, silenceCommand, silenceState, SILENCE_USAGE } from './silence.ts';
import { UsageError } from './usage-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
let server: NodeServer;
let store: MemoryStore;
let url: string;
let adminTokenFile: string;
let hostTokenFile: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-silence-cli-'));
  adminTokenFile = join(dir, 'admin-token');
  hostTokenFile = join(dir, 'host-token');
  await writeFile(adminTokenFile, `${TOKENS.alice}\n`, { mode: 0o600 });
  await writeFile(hostTokenFile, TOKENS.ds01, { mode: 0o600 });
  store = createMemoryStore();
  const core = createStoreOnlyCore(store);
  const app = createApp({ store, core, auth: TEST_AUTH, clock: () => new Date(), log: (line) => logs.push(line) });
  server = await startNodeServer({ app, core, port: 0, tickIntervalMs: 3_600_000, log: (line) => logs.push(line), store, signals: new EventEmitter() });
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Run the command and check that no output ever contains a token. */
async function silence(...args: string[]): Promise<CliRun> {
  const run = await runCommand(silenceCommand, args);
  for (const token of Object.values(TOKENS)) {
    expect(run.out).not.toContain(token);
    expect(run.err).not.toContain(token);
  }
  return run;
}

const admin = (): string[] => ['--url', url, '--token-file', adminTokenFile];

describe('gpuwarden silence against a running service', () => {
  it('adds a silence and prints its id; ls shows it; expire ends it; ls --all shows it expired', async () => {
    const added = await silence('add', ...admin(), '--comment', 'alice is on holiday', '--duration', '2h', 'user=alice', 'alertname=~idle-.*');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const id = added.out.trim();
    expect(id).toMatch(UUID);
    const [stored] = (await store.listSilences({})).filter((s) => s.id === id);
    expect(stored).toMatchObject({ createdBy: 'alice', comment: 'alice is on holiday', expireOnResolve: false });
    expect(Date.parse(stored?.endsAt ?? '') - Date.parse(stored?.startsAt ?? '')).toBe(2 * 3600 * 1000);

    const ls = await silence('ls', ...admin());
    expect(ls.code).toBe(0);
    const [header, row] = ls.out.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+STARTS\s+ENDS\s+CREATED BY\s+MATCHERS\s+COMMENT$/);
    expect(row).toContain(id);
    expect(row).toContain('user=alice alertname=~idle-.*');
    expect(row).toMatch(/alice is on holiday$/);

    const expired = await silence('expire', ...admin(), id);
    expect(expired).toEqual({ code: 0, out: `expired ${id}\n`, err: '' });
    expect((await silence('ls', ...admin())).out).not.toContain(id);
    const all = await silence('ls', ...admin(), '--all');
    expect(all.out.split('\n')[0]).toMatch(/^ID\s+STATE\s+STARTS/);
    expect(all.out.split('\n').find((line) => line.startsWith(id))).toMatch(/\sexpired\s/);
    const json = JSON.parse((await silence('ls', ...admin(), '--all', '--json')).out) as { silences: Silence[] };
    expect(Object.keys(json)).toEqual(['silences']);
    expect(json.silences.find((s) => s.id === id)).toMatchObject({
      comment: 'alice is on holiday', createdBy: 'alice', expireOnResolve: false, expiredAt: expect.any(String),
      matchers: [{ name: 'user', value: 'alice', isRegex: false, isEqual: true }, { name: 'alertname', value: 'idle-.*', isRegex: true, isEqual: true }],
    });
    expect((JSON.parse((await silence('ls', ...admin(), '--json')).out) as { silences: Silence[] }).silences.map((s) => s.id)).not.toContain(id);
    await expect(runCommand(silenceCommand, ['expire', ...admin(), '--json', id])).rejects.toThrow('--json belongs to silence ls, not silence expire');
  });

  it('defaults to 1h, and sends --ends, --starts and --expire-on-resolve', async () => {
    const one = await silence('add', ...admin(), '--comment', 'c', 'host=ds01');
    const a = (await store.listSilences({})).find((s) => s.id === one.out.trim());
    expect(Date.parse(a?.endsAt ?? '') - Date.parse(a?.startsAt ?? '')).toBe(3600 * 1000);
    const starts = new Date(Date.now() + 3600_000).toISOString();
    const ends = new Date(Date.now() + 7200_000).toISOString();
    const two = await silence('add', ...admin(), '--comment', 'c', '--starts', starts, '--ends', ends, '--expire-on-resolve', 'host=ds02');
    expect(two.code).toBe(0);
    expect((await store.listSilences({})).find((s) => s.id === two.out.trim())).toMatchObject({ startsAt: starts, endsAt: ends, expireOnResolve: true });
    const pending = await silence('ls', ...admin(), '--all');
    expect(pending.out.split('\n').find((line) => line.startsWith(two.out.trim()))).toMatch(/\spending\s.*host=ds02 \(until resolved\)/);
  });

  it('prints the service’s refusal with its issues, exit 1', async () => {
    const run = await silence('add', ...admin(), '--comment', 'c', 'user!=bob');
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      'gpuwarden silence add: the service answered 400 invalid_silence: body is not a valid silence (1 problem(s))\n' +
        '  matchers: every matcher matches an alert without that label: add one that needs a value, or this silence mutes everything\n',
    );
    const past = await silence('add', ...admin(), '--comment', 'c', '--ends', '2001-01-01T00:00:00Z', 'user=bob');
    expect(past.err).toMatch(/400 invalid_silence: .*\n  endsAt: the silence would end in the past/);
  });

  it('says 404 for an unknown id and 409 for an ended one', async () => {
    const unknown = await silence('expire', ...admin(), 'no-such-id');
    expect(unknown).toEqual({ code: 1, out: '', err: 'gpuwarden silence expire: the service answered 404 not_found: no silence with id "no-such-id"\n' });
    const id = (await silence('add', ...admin(), '--comment', 'c', 'host=ds03')).out.trim();
    await silence('expire', ...admin(), id);
    expect((await silence('expire', ...admin(), id)).err).toMatch(/409 already_ended: silence .* already ended at/);
  });

  it('reports a rejected token without printing it', async () => {
    const run = await silence('ls', '--url', url, '--token-file', hostTokenFile);
    expect(run).toEqual({
      code: 1,
      out: '',
      err: 'gpuwarden silence ls: the service answered 403 forbidden: this endpoint needs an admin token; host tokens may only post snapshots\n',
    });
    const wrong = join(dir, 'wrong-token');
    await writeFile(wrong, 'not-the-token', { mode: 0o600 });
    expect((await silence('ls', '--url', url, '--token-file', wrong)).err).toBe('gpuwarden silence ls: the service answered 401 unauthorized: invalid bearer token\n');
  });

  it('warns about a token file others can read, and still works', async () => {
    const loose = join(dir, 'loose-token');
    await writeFile(loose, TOKENS.alice);
    await chmod(loose, 0o644);
    const run = await silence('ls', '--url', url, '--token-file', loose);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^gpuwarden silence: warning: the token file .* is readable by group and others \(mode 644\); run: chmod 600/);
  });

  it('fails plainly for a missing token file or an unreachable service', async () => {
    const missing = await silence('ls', '--url', url, '--token-file', join(dir, 'absent'));
    expect(missing).toEqual({ code: 1, out: '', err: `gpuwarden silence ls: the token file ${join(dir, 'absent')} does not exist\n` });
    const port = await freePort();
    const down = await silence('ls', '--url', `http://127.0.0.1:${port}`, '--token-file', adminTokenFile);
    expect(down).toEqual({ code: 1, out: '', err: `gpuwarden silence ls: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n` });
  });

  it('works with a trailing slash on --url', async () => {
    expect((await silence('ls', '--url', `${url}/`, '--token-file', adminTokenFile)).code).toBe(0);
  });
});

describe('gpuwarden silence usage errors', () => {
  const usage = async (args: string[], message: string | RegExp): Promise<void> => {
    await expect(runCommand(silenceCommand, args)).rejects.toThrow(message);
    await expect(runCommand(silenceCommand, args)).rejects.toBeInstanceOf(UsageError);
  };
  const base = ['--url', 'http://127.0.0.1:1', '--token-file', '/nonexistent'];

  it('needs a known subcommand', async () => {
    await usage([], 'silence needs a subcommand: add, ls or expire');
    await usage(['mute'], 'silence needs a subcommand: add, ls or expire, not "mute"');
  });

  it('needs --url (http or https) and --token-file', async () => {
    await usage(['ls', '--token-file', 'f'], /^no service URL: give --url URL .*, set GPUWARDEN_URL, or put url: in /);
    await usage(['ls', '--url', 'nope', '--token-file', 'f'], /--url must be an http\(s\) URL/);
    await usage(['ls', '--url', 'ftp://x', '--token-file', 'f'], '--url must be an http(s) URL, got "ftp:"');
    await usage(['ls', '--url', 'http://x/?a=1', '--token-file', 'f'], '--url must not have a query or fragment');
    await usage(['ls', '--url', 'http://x'], /^no admin token file: give --token-file F, set GPUWARDEN_TOKEN_FILE, or put token_file: in /);
  });

  it('checks add before calling the service', async () => {
    await usage(['add', ...base, 'user=alice'], /--comment is required/);
    await usage(['add', ...base, '--comment', 'c'], /at least one MATCHER/);
    await usage(['add', ...base, '--comment', 'c', 'user'], 'matcher "user" is not valid');
    await usage(['add', ...base, '--comment', 'c', 'user=~('], /not a valid regular expression/);
    await usage(['add', ...base, '--comment', 'c', '--duration', '2 hours', 'user=a'], /--duration: invalid duration "2 hours"/);
    await usage(['add', ...base, '--comment', 'c', '--duration', '1h', '--ends', '2030-01-01T00:00:00Z', 'user=a'], 'give --duration or --ends, not both');
    await usage(['add', ...base, '--comment', 'c', '--all', 'user=a'], '--all belongs to silence ls');
  });

  it('checks ls and expire arguments', async () => {
    await usage(['ls', ...base, 'extra'], 'silence ls takes no arguments, got "extra"');
    await usage(['ls', ...base, '--comment', 'c'], '--comment belongs to silence add, not silence ls');
    await usage(['expire', ...base], 'silence expire takes one silence ID');
    await usage(['expire', ...base, 'a', 'b'], 'silence expire takes one silence ID');
    await usage(['expire', ...base, '--duration', '1h', 'a'], '--duration belongs to silence add, not silence expire');
  });

  it('refuses unknown flags (parseArgs)', async () => {
    await expect(runCommand(silenceCommand, ['ls', ...base, '--bogus'])).rejects.toThrow(/bogus/);
  });

  it('documents every subcommand, first line a summary for the help index', () => {
    expect(SILENCE_USAGE.split('\n')[0]).toBe('gpuwarden silence add|ls|expire [--url URL] [--token-file F] ...');
    for (const text of ['silence add', 'silence ls', 'silence expire', '--expire-on-resolve', '--all']) expect(SILENCE_USAGE).toContain(text);
  });
});

describe('renderSilences and silenceState', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  const s = (overrides: Partial<Silence>): Silence => ({
    id: 'id-1', matchers: [{ name: 'user', value: 'a b', isRegex: false, isEqual: true }], createdBy: 'root', comment: 'line1\nline2',
    startsAt: '2026-11-25T11:00:00.000Z', endsAt: '2026-11-25T13:00:00.000Z', expireOnResolve: false, createdAt: '2026-11-25T11:00:00.000Z',
    expiredAt: null, ...overrides,
  });

  it('names the state of a silence at a time', () => {
    expect(silenceState(s({}), now)).toBe('active');
    expect(silenceState(s({ startsAt: '2026-11-25T12:00:00.001Z' }), now)).toBe('pending');
    expect(silenceState(s({ endsAt: '2026-11-25T12:00:00.000Z' }), now)).toBe('ended');
    expect(silenceState(s({ expiredAt: '2026-11-25T11:30:00.000Z' }), now)).toBe('expired');
    expect(silenceState(s({ expiredAt: '2026-11-25T12:30:00.000Z' }), now)).toBe('active');
  });

  it('says when there is nothing to list', () => {
    expect(renderSilences([], false, now)).toBe('No active silences.\n');
    expect(renderSilences([], true, now)).toBe('No silences.\n');
  });

  it('aligns columns, quotes values that need it and keeps comments on one line', () => {
    expect(renderSilences([s({}), s({ id: 'id-22', createdBy: 'administrator', expiredAt: '2026-11-25T11:30:00.000Z' })], true, now)).toBe(
      'ID     STATE    STARTS                    ENDS                      CREATED BY     MATCHERS    COMMENT\n' +
        'id-1   active   2026-11-25T11:00:00.000Z  2026-11-25T13:00:00.000Z  root           user="a b"  line1 line2\n' +
        'id-22  expired  2026-11-25T11:00:00.000Z  2026-11-25T11:30:00.000Z  administrator  user="a b"  line1 line2\n',
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
