import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import { grantsFromExemptions, PERMANENT_UNTIL, type Grant } from '../enforcement/grant.ts';
import { createApp } from '../server/app.ts';
import { startNodeServer, type NodeServer } from '../server/node.ts';
import { TEST_AUTH, TOKENS } from '../server/test-support.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.ts';
import { main } from './main.ts';
import { grantCommand, grantState, GRANT_USAGE, renderGrants } from './grant.ts';
import { UsageError } from './usage-error.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const NOW = new Date('2026-12-03T13:00:00.000Z');
const CONFIG_GRANTS = grantsFromExemptions(
  [{ username: 'dave', exemptFrom: ['max_runtime_h'], expiresAt: null, reason: 'runs the lab database', file: 'x.yaml', line: 2 }],
  NOW,
);

let dir: string;
let server: NodeServer;
let store: MemoryStore;
let url: string;
let adminTokenFile: string;
let hostTokenFile: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-grant-cli-'));
  adminTokenFile = join(dir, 'admin-token');
  hostTokenFile = join(dir, 'host-token');
  await writeFile(adminTokenFile, `${TOKENS.alice}\n`, { mode: 0o600 });
  await writeFile(hostTokenFile, TOKENS.ds01, { mode: 0o600 });
  store = createMemoryStore();
  const core = createStoreOnlyCore(store);
  const app = createApp({
    store, core, auth: TEST_AUTH, clock: () => NOW, log: (line) => logs.push(line), grantsFromConfig: () => CONFIG_GRANTS,
    ruleIds: () => new Set(['idle-gpu-container', 'max-runtime']),
  });
  server = await startNodeServer({ app, core, port: 0, tickIntervalMs: 3_600_000, log: (line) => logs.push(line), store, signals: new EventEmitter() });
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Run the command at NOW and check that no output ever contains a token. */
async function grant(...args: string[]): Promise<CliRun> {
  const run = await runCommand((a, io) => grantCommand(a, io, () => NOW), args);
  for (const token of Object.values(TOKENS)) {
    expect(run.out).not.toContain(token);
    expect(run.err).not.toContain(token);
  }
  return run;
}

const admin = (): string[] => ['--url', url, '--token-file', adminTokenFile];
const idOf = (run: CliRun): string => new RegExp(`id (${UUID})$`).exec(run.out.trim())?.[1] ?? '';

describe('gpuwarden grant against a running service', () => {
  it('adds a grant and says until when; ls shows it beside the lifecycle exemption; revoke ends it; ls --all shows it revoked', async () => {
    const added = await grant('add', ...admin(), '--user', 'carol', '--rule', 'idle-gpu-container', '--until', '2026-12-04T17:00:00Z', '--reason', 'keeps her container until Friday');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(new RegExp(`^Granted carol an exemption from idle-gpu-container until Fri 2026-12-04 17:00 UTC \\(in 1 d 4 h\\); id ${UUID}\\n$`));
    const id = idOf(added);
    expect(await store.listGrants({}, NOW.toISOString())).toEqual([
      expect.objectContaining({ id, user: 'carol', rule: 'idle-gpu-container', until: '2026-12-04T17:00:00.000Z', createdBy: 'alice', source: 'admin' }),
    ]);

    const ls = await grant('ls', ...admin());
    expect(ls.code).toBe(0);
    const lines = ls.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+USER\s+RULE\s+UNTIL\s+SOURCE\s+CREATED BY\s+REASON$/);
    expect(lines.find((l) => l.startsWith(id))).toMatch(/carol\s+idle-gpu-container\s+Fri 2026-12-04 17:00 UTC \(in 1 d 4 h\)\s+admin\s+alice\s+keeps her container until Friday$/);
    expect(lines.find((l) => l.startsWith('ds01-exemption:dave:max-runtime'))).toMatch(/dave\s+max-runtime\s+permanent\s+lifecycle-exemptions\s+lifecycle-exemptions.yaml\s+runs the lab database$/);

    expect(await grant('revoke', ...admin(), id)).toEqual({ code: 0, out: `Revoked ${id}\n`, err: '' });
    expect((await grant('ls', ...admin())).out).not.toContain(id);
    const all = await grant('ls', ...admin(), '--all');
    expect(all.out.split('\n')[0]).toMatch(/^ID\s+STATE\s+USER/);
    expect(all.out.split('\n').find((l) => l.startsWith(id))).toMatch(/\srevoked\s+carol\s/);
    const json = JSON.parse((await grant('ls', ...admin(), '--all', '--json')).out) as { grants: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toEqual(['grants']);
    expect(json.grants.find((g) => g.id === id)).toEqual({
      id, user: 'carol', rule: 'idle-gpu-container', until: '2026-12-04T17:00:00.000Z', reason: 'keeps her container until Friday',
      createdBy: 'alice', createdAt: NOW.toISOString(), revokedAt: NOW.toISOString(), source: 'admin',
    });
    expect(json.grants.find((g) => g.id === 'ds01-exemption:dave:max-runtime')).toMatchObject({ until: '9999-12-31T23:59:59.999Z', source: 'lifecycle-exemptions' });
  });

  it('sends --duration and * for every rule', async () => {
    const run = await grant('add', ...admin(), '--user', 'erin', '--rule', '*', '--duration', '3d', '--reason', 'conference demo');
    expect(run.out).toMatch(/^Granted erin an exemption from every rule until Sun 2026-12-06 13:00 UTC \(in 3 d\); id /);
    expect((await store.listGrants({ user: 'erin' }, NOW.toISOString()))[0]).toMatchObject({ rule: '*', until: '2026-12-06T13:00:00.000Z' });
  });

  it('prints the service’s refusal with the path of each problem, exit 1', async () => {
    const run = await grant('add', ...admin(), '--user', 'carol', '--rule', 'idle-gpu-containr', '--until', '2001-01-01T00:00:00Z', '--reason', 'r');
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      'gpuwarden grant add: the service answered 400 invalid_grant: body is not a valid grant (2 problem(s))\n' +
        '  rule: no rule "idle-gpu-containr" (did you mean "idle-gpu-container"?); known rules: idle-gpu-container, max-runtime, or * for every rule\n' +
        '  until: the grant would end in the past (now is 2026-12-03T13:00:00.000Z)\n',
    );
  });

  it('says 404 for an unknown id, 409 when already revoked, and 409 for a lifecycle exemption', async () => {
    expect(await grant('revoke', ...admin(), 'no-such-id')).toEqual({ code: 1, out: '', err: 'gpuwarden grant revoke: the service answered 404 not_found: no grant with id "no-such-id"\n' });
    const id = idOf(await grant('add', ...admin(), '--user', 'frank', '--rule', 'max-runtime', '--duration', '1h', '--reason', 'r'));
    await grant('revoke', ...admin(), id);
    expect((await grant('revoke', ...admin(), id)).err).toMatch(/409 already_revoked: grant ".*" was already revoked at 2026-12-03T13:00:00.000Z/);
    expect((await grant('revoke', ...admin(), 'ds01-exemption:dave:max-runtime')).err).toBe(
      'gpuwarden grant revoke: the service answered 409 read_only: grant "ds01-exemption:dave:max-runtime" comes from lifecycle-exemptions.yaml; edit that file to change or end it\n',
    );
  });

  it('reports a host token as refused without printing it', async () => {
    expect(await grant('ls', '--url', url, '--token-file', hostTokenFile)).toEqual({
      code: 1, out: '', err: 'gpuwarden grant ls: the service answered 403 forbidden: this endpoint needs an admin token; host tokens may only post snapshots\n',
    });
  });
});

describe('gpuwarden grant usage errors', () => {
  const usage = async (args: string[], message: string | RegExp): Promise<void> => {
    await expect(runCommand(grantCommand, args)).rejects.toThrow(message);
    await expect(runCommand(grantCommand, args)).rejects.toBeInstanceOf(UsageError);
  };
  const base = ['--url', 'http://127.0.0.1:1', '--token-file', '/nonexistent'];
  const add = [...base, '--user', 'carol', '--rule', 'idle-gpu-container', '--reason', 'r'];

  it('needs a known subcommand, --url and --token-file', async () => {
    await usage([], 'grant needs a subcommand: add, ls or revoke');
    await usage(['extend'], 'grant needs a subcommand: add, ls or revoke, not "extend"');
    await usage(['ls'], 'no service URL: give --url URL');
    await usage(['ls', '--url', 'http://x'], 'no admin token file: give --token-file F');
  });

  it('checks add before calling the service', async () => {
    await usage(['add', ...base, '--rule', 'r', '--reason', 'r', '--duration', '1d'], /--user is required/);
    await usage(['add', ...base, '--user', 'u', '--reason', 'r', '--duration', '1d'], /--rule is required/);
    await usage(['add', ...base, '--user', 'u', '--rule', 'idle gpu', '--reason', 'r', '--duration', '1d'], /--rule "idle gpu" is not a rule id/);
    await usage(['add', ...base, '--user', 'u', '--rule', 'r', '--duration', '1d'], /--reason is required: say why/);
    await usage(['add', ...add], /give --until ISO .* or --duration/);
    await usage(['add', ...add, '--until', '2027-01-01T00:00:00Z', '--duration', '1d'], 'give --until or --duration, not both');
    await usage(['add', ...add, '--duration', '3 days'], /--duration: invalid duration "3 days"/);
    await usage(['add', ...add, '--duration', '1d', 'extra', 'words'], /grant add takes flags only, got "extra words"; quote a --reason/);
    await usage(['add', ...add, '--duration', '1d', '--all'], '--all belongs to grant ls');
  });

  it('checks ls and revoke arguments', async () => {
    await usage(['ls', ...base, 'x'], 'grant ls takes no arguments, got "x"');
    await usage(['ls', ...base, '--user', 'u'], '--user belongs to grant add, not grant ls');
    await usage(['revoke', ...base], 'grant revoke takes one grant ID');
    await usage(['revoke', ...base, 'a', 'b'], 'grant revoke takes one grant ID');
    await usage(['revoke', ...base, 'a', '--reason', 'r'], '--reason belongs to grant add, not grant revoke');
  });

  it('documents every subcommand; help lists grant', async () => {
    expect(GRANT_USAGE.split('\n')[0]).toBe('gpuwarden grant add|ls|revoke [--url URL] [--token-file F] ...');
    for (const text of ['grant add', 'grant ls', 'grant revoke', '--until', '--duration', '--reason', '--all', 'FYI notice']) expect(GRANT_USAGE).toContain(text);
    let out = '';
    expect(await main(['help'], { stdout: (t) => (out += t), stderr: () => undefined, env: {} })).toBe(0);
    expect(out).toContain('gpuwarden grant add|ls|revoke');
  });
});

describe('grantState and renderGrants', () => {
  const g = (overrides: Partial<Grant>): Grant => ({
    id: 'g-1', user: 'carol', rule: 'idle-gpu-container', until: '2026-12-04T17:00:00.000Z', reason: 'r', createdBy: 'alice',
    createdAt: '2026-12-01T00:00:00.000Z', revokedAt: null, source: 'admin', ...overrides,
  });

  it('names the state of a grant at a time', () => {
    expect(grantState(g({}), NOW)).toBe('active');
    expect(grantState(g({ until: '2026-12-03T12:00:00.000Z' }), NOW)).toBe('expired');
    expect(grantState(g({ revokedAt: '2026-12-02T00:00:00.000Z' }), NOW)).toBe('revoked');
    expect(grantState(g({ until: '2026-12-02T00:00:00.000Z', revokedAt: '2026-12-03T00:00:00.000Z' }), NOW)).toBe('expired');
    expect(grantState(g({ until: PERMANENT_UNTIL }), NOW)).toBe('active');
  });

  it('says when there is nothing to list', () => {
    expect(renderGrants([], false, NOW)).toBe('No grants in force.\n');
    expect(renderGrants([], true, NOW)).toBe('No grants.\n');
  });

  it('aligns columns and keeps a reason on one line', () => {
    expect(renderGrants([g({ reason: 'two\nlines' }), g({ id: 'g-22', until: '2026-12-03T10:00:00.000Z', createdBy: 'root' })], true, NOW)).toBe(
      'ID    STATE    USER   RULE                UNTIL                                  SOURCE  CREATED BY  REASON\n' +
        'g-1   active   carol  idle-gpu-container  Fri 2026-12-04 17:00 UTC (in 1 d 4 h)  admin   alice       two lines\n' +
        'g-22  expired  carol  idle-gpu-container  Thu 2026-12-03 10:00 UTC (3 h ago)     admin   root        r\n',
    );
  });
});
