// The CLI as a newcomer uses it: help, probe --once on a committed capture, capture + replay, bad usage.
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli.ts';
import { main } from '../src/cli/main.ts';
import { probeCommand } from '../src/cli/probe.ts';
import { ACCEPTED, startTestServer, type TestServer } from '../src/probe/push/test-support.ts';
import { hostSnapshotSchema } from '../src/snapshot/schema.ts';
import { makeFakeNvidiaSmi, listFor, substitutePids } from './support/fake-nvidia-smi.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

const cli = (...args: string[]) => runCommand(main, args);

describe('gpuwarden CLI', () => {
  it('prints help listing the commands', async () => {
    const r = await cli('help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('gpuwarden probe --once');
    expect(r.out).toContain('gpuwarden capture DIR');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: `gpuwarden ${pkg.version}\n`, err: '' });
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "frobnicate"');
  });

  it('rejects an unknown flag with the usage', async () => {
    const r = await cli('probe', '--once', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--colour'");
    expect(r.err).toContain('--replay DIR');
  });

  it('requires --once for now', async () => {
    const r = await cli('probe', '--replay', CAPTURE);
    expect(r.code).toBe(2);
    expect(r.err).toContain('probe needs --once');
  });

  it('shows who uses which GPU from the committed capture', async () => {
    const r = await cli('probe', '--once', '--replay', CAPTURE);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^ds01-demo {2}2026-11-25T17:17:49\.467Z {2}driver 590\.48\.01/);
    expect(r.out).toMatch(/MIG 0 {2}3g\.40gb {2}MIG-00000000-0000-0000-0000-000000000000/);
    expect(r.out).toMatch(/31710 +h\.baker@hertie-school\.lan +container +gwe2e31671-ds01 +2296 MiB +sleep/);
    expect(r.out).toMatch(/32185 +daemon +host +- +7484 MiB +node/);
    expect(r.out).toMatch(/32099 +unknown +container +gwe2e31671-unowned/);
  });

  it('--replay --host NAME reports the capture under that host name (so a walk-through token for it works)', async () => {
    const r = await cli('probe', '--once', '--json', '--replay', CAPTURE, '--host', 'ds01');
    const snapshot = hostSnapshotSchema.parse(JSON.parse(r.out));
    expect(snapshot.host).toBe('ds01');
    expect(snapshot.id).toMatch(/^ds01@/);
    expect(snapshot.gpuProcesses).toHaveLength(9);
  });

  it('--replay refuses the flags that only steer live collection, instead of ignoring them', async () => {
    for (const flag of [['--nvidia-smi', '/bin/true'], ['--no-docker'], ['--proc-root', '/tmp'], ['--docker-socket', '/x'], ['--sysfs-root', '/sys'], ['--nvidia-smi-timeout-ms', '5']]) {
      const r = await cli('probe', '--once', '--replay', CAPTURE, ...flag);
      expect([r.code, r.err.split('\n')[0]]).toEqual([2, `gpuwarden probe: ${flag[0]} steers live collection; a replayed capture was collected already (leave it out)`]);
    }
  });

  it('prints the snapshot as JSON with every attribution', async () => {
    const r = await cli('probe', '--once', '--json', '--replay', CAPTURE);
    const snapshot = hostSnapshotSchema.parse(JSON.parse(r.out));
    const byPid = Object.fromEntries(snapshot.gpuProcesses.map((p) => [p.pid, [p.kind, p.user, p.userSource]]));
    expect(byPid).toEqual({
      31710: ['container', 'h.baker@hertie-school.lan', 'container-owner'],
      31768: ['container', 'sys', 'container-owner'],
      31820: ['container', 'www-data', 'container-owner'],
      31879: ['container', 'games', 'container-owner'],
      31936: ['container', 'man', 'container-owner'],
      31993: ['container', 'daemon', 'container-owner'],
      32047: ['container', null, 'unknown'],
      32099: ['container', null, 'unknown'],
      32185: ['host', 'daemon', 'loginuid'],
    });
    const methods = Object.fromEntries(snapshot.containers.map((c) => [c.name.replace(/^gwe2e\d+-/, ''), c.owner.method]));
    expect(methods).toMatchObject({
      ds01: 'label:ds01.user', aime: 'label:aime.mlc.USER', 'train._.33': 'name-uid', devc: 'devcontainer-folder',
      compose: 'compose-dir', mount: 'mount-path', spoof: 'unknown', unowned: 'unknown',
    });
  });

  it('exits 0 but warns on stderr when a source failed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cli-'));
    await cp(CAPTURE, dir, { recursive: true });
    await rm(join(dir, 'docker-inspect.json'));
    await writeFile(join(dir, 'docker-inspect.json.error.json'), JSON.stringify({ exitCode: null, stderr: '', message: 'connect EACCES /var/run/docker.sock' }));
    const r = await cli('probe', '--once', '--replay', dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: 1 source error(s) (docker); they are listed in the snapshot\'s errors\n');
    expect(r.out).toContain('error [docker] docker: connect EACCES /var/run/docker.sock');
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with a plain message for a folder that is not a capture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cli-'));
    const r = await cli('probe', '--once', '--replay', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no meta.json, not a capture folder');
    await rm(dir, { recursive: true, force: true });
  });

  it('captures this host and replays the folder to the same snapshot', async () => {
    const xml = await readFile('test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(xml, [process.pid]), list: listFor(xml) });
    const dir = join(await mkdtemp(join(tmpdir(), 'gw-cli-')), 'cap');
    const cap = await cli('capture', dir, '--nvidia-smi', bin, '--no-docker', '--host', 'box1');
    expect(cap.code).toBe(0);
    expect(cap.out).toBe(`captured 1 GPU process(es) into ${dir}\n`);
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toMatchObject({
      host: 'box1',
      clockTicksPerSec: 100,
      disabledSources: ['docker'],
    });
    const replay = await cli('probe', '--once', '--json', '--replay', dir);
    const s = hostSnapshotSchema.parse(JSON.parse(replay.out));
    expect(s.gpuProcesses.map((p) => [p.pid, p.kind])).toEqual([[process.pid, 'host']]);
    // --no-docker is a declared choice: recorded in the capture, replayed as disabledSources, not an error.
    expect(s.errors).toEqual([]);
    expect(s.disabledSources).toEqual(['docker']);
    expect(replay.err).toBe('');
  });

  it('probe --once --json never prints a secret from a capture, and applies --redact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cli-'));
    await cp(CAPTURE, dir, { recursive: true });
    await writeFile(join(dir, 'proc', '31710', 'cmdline'), 'python\0train.py\0--hf_token\0NotARealTokenButSecret\0--run\0LAB-4242\0');
    const r = await cli('probe', '--once', '--json', '--replay', dir, '--redact', 'LAB-\\d+');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('NotARealTokenButSecret');
    expect(r.out).not.toContain('LAB-4242');
    const s = hostSnapshotSchema.parse(JSON.parse(r.out));
    expect(s.gpuProcesses.find((p) => p.pid === 31710)).toMatchObject({ cmdline: 'python train.py --hf_token *** --run ***', cmdlineRedacted: true });
    expect(s.gpuProcesses.find((p) => p.pid === 31768)?.cmdlineRedacted).toBe(false);
    const table = await cli('probe', '--once', '--replay', dir);
    expect(table.out).not.toContain('NotARealTokenButSecret');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an invalid --redact pattern before collecting anything', async () => {
    const r = await cli('probe', '--once', '--replay', CAPTURE, '--redact', '([a-z');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--redact "([a-z": not a valid regular expression');
    const c = await cli('capture', '/nonexistent/never-written', '--redact', '');
    expect(c.code).toBe(2);
    expect(c.err).toContain('matches the empty string');
  });

  it('capture needs exactly one folder', async () => {
    expect((await cli('capture')).code).toBe(2);
    expect((await cli('capture', 'a', 'b')).err).toContain('exactly one folder');
  });
});

describe('gpuwarden probe --push', () => {
  const TOKEN = 'gw_cli-t0ken.s3cret';
  let tmp: string;
  let tokenFile: string;
  let spool: string;
  let server: TestServer;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'gw-cli-push-'));
    tokenFile = join(tmp, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    spool = join(tmp, 'spool');
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const pushOnce = (...extra: string[]): Promise<{ code: number; out: string; err: string }> =>
    cli('probe', '--once', '--replay', CAPTURE, '--push', server.url, '--token-file', tokenFile, '--spool', spool, ...extra);

  it('delivers the replayed snapshot with the bearer token and a body that passes the schema', async () => {
    const r = await pushOnce();
    expect(r).toEqual({ code: 0, out: `delivered ds01-demo 2026-11-25T17:17:49.467Z to ${server.url} (accepted; 0 alert(s), 0 action(s))\n`, err: '' });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v1/snapshots');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    const sent = hostSnapshotSchema.parse(JSON.parse(req?.body ?? ''));
    const printed = hostSnapshotSchema.parse(JSON.parse((await cli('probe', '--once', '--json', '--replay', CAPTURE)).out));
    expect(sent).toEqual(printed);
    expect(sent.gpuProcesses).toHaveLength(9);
    expect((await readdir(spool)).filter((n) => n.endsWith('.json'))).toEqual([]);
  });

  it('spools the snapshot and exits 0 when the service is down', async () => {
    server.respond = () => ({ status: 503, body: { error: 'unavailable', message: 'restarting' } });
    const r = await pushOnce();
    expect(r.code).toBe(0);
    expect(r.out).toBe(`spooled ds01-demo 2026-11-25T17:17:49.467Z in ${spool} (HTTP 503: restarting); 1 snapshot(s) wait for the next push\n`);
    expect((await readdir(spool)).filter((n) => n.endsWith('.json'))).toEqual(['20261125T171749467Z-0000000000.json']);

    server.respond = () => ({ status: 200, body: { accepted: false, alerts: [], actions: [] } });
    const again = await pushOnce();
    expect(again.code).toBe(0);
    expect(again.out).toBe(`delivered ds01-demo 2026-11-25T17:17:49.467Z to ${server.url} (duplicate: the service already had it); also delivered 1 older spooled snapshot(s)\n`);
  });

  it('exits 1 when the service rejects the snapshot, and keeps it in rejected/', async () => {
    server.respond = () => ({ status: 422, body: { error: 'invalid_snapshot', message: 'body is not a valid HostSnapshot' } });
    const r = await pushOnce();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^rejected ds01-demo 2026-11-25T17:17:49\.467Z by http:\/\/127\.0\.0\.1:\d+ \(HTTP 422: body is not a valid HostSnapshot\); moved to /);
    expect(r.err).toContain('rejected (HTTP 422: body is not a valid HostSnapshot)');
    expect(await readdir(join(spool, 'rejected'))).toHaveLength(1);
  });

  it('exits 1 when the credentials are refused (401 or 403), keeps the snapshot, and never prints the token', async () => {
    server.respond = (req) => ({ status: 401, body: { message: `unknown ${req.headers.authorization ?? ''}` } });
    const r = await pushOnce();
    expect(r.code).toBe(1);
    expect(r.out).toContain('(HTTP 401: unknown Bearer [redacted])');
    expect(`${r.out}${r.err}`).not.toContain(TOKEN);
    expect((await readdir(spool)).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    server.respond = () => ({ status: 403, body: { error: 'forbidden', message: 'this token is for host ds01, not ds01-demo' } });
    const forbidden = await pushOnce();
    expect(forbidden.code).toBe(1);
    expect(forbidden.out).toContain('(HTTP 403: this token is for host ds01, not ds01-demo)');
  });

  it('refuses a missing or empty token file with a plain sentence and sends nothing', async () => {
    const missing = join(tmp, 'nope');
    const r = await cli('probe', '--once', '--replay', CAPTURE, '--push', server.url, '--token-file', missing, '--spool', spool);
    expect(r).toEqual({ code: 2, out: '', err: `gpuwarden probe: the token file ${missing} does not exist (--token-file)\n` });
    await writeFile(tokenFile, '\n');
    expect((await pushOnce()).err).toContain('is empty');
    expect(server.requests).toEqual([]);
  });

  it('warns about a token file others can read, and still delivers', async () => {
    await chmod(tokenFile, 0o644);
    const r = await pushOnce();
    expect(r.code).toBe(0);
    expect(r.err).toBe(`warning: the token file ${tokenFile} is readable by group and others (mode 644); run: chmod 600 ${tokenFile}\n`);
  });

  it.each([
    [['--once', '--replay', CAPTURE, '--token-file', 'f'], '--token-file only applies with --push URL'],
    [['--once', '--spool', 'd'], '--spool only applies with --push URL'],
    [['--push', 'http://127.0.0.1:1'], '--push needs --token-file F'],
    [['--push', 'gw.example.org', '--token-file', 'f'], '--push: "gw.example.org" is not a URL'],
    [['--push', 'http://127.0.0.1:1', '--token-file', 'f', '--interval', '30'], '--interval: invalid duration "30": a unit is required (30s?)'],
    [['--push', 'http://127.0.0.1:1', '--token-file', 'f', '--once', '--json'], 'cannot be combined with --push'],
    [['--push', 'http://127.0.0.1:1', '--token-file', 'f', '--replay', CAPTURE], '--replay needs --once'],
  ])('rejects bad push usage %j with exit 2', async (args, message) => {
    const r = await cli('probe', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('--push URL');
  });

  it('warns that plain http to another host sends the token unencrypted', async () => {
    const r = await cli('probe', '--push', 'http://gw.invalid', '--token-file', join(tmp, 'nope'));
    expect(r.err).toContain('warning: --push http://gw.invalid is plain http to another host: the token travels unencrypted');
    expect(r.code).toBe(2);
  });

  it('runs the loop on the live collector until SIGTERM, then removes its signal handlers', async () => {
    const xml = await readFile('test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(xml, [process.pid]), list: listFor(xml) });
    server.respond = () => {
      process.emit('SIGTERM'); // as systemd stopping the probe while its first request is in flight
      return ACCEPTED;
    };
    const before = process.listenerCount('SIGTERM');
    const started = Date.now();
    const r = await cli('probe', '--push', server.url, '--token-file', tokenFile, '--spool', spool, '--interval', '1h', '--nvidia-smi', bin, '--no-docker', '--host', 'box1');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.err).toContain(`pushing snapshots to ${server.url} every 1h; spool ${spool}\n`);
    expect(r.err).toContain(`stopped after 1 cycle(s): 1 delivered, 0 rejected, 0 still spooled in ${spool}\n`);
    expect(r.err).not.toContain(TOKEN);
    const sent = hostSnapshotSchema.parse(JSON.parse(server.requests[0]?.body ?? ''));
    expect(sent.host).toBe('box1');
    expect(sent.gpuProcesses.map((p) => p.pid)).toEqual([process.pid]);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('stops at start-up on a broken --enforcement-config, naming the line and key, and sends nothing', async () => {
    const file = join(tmp, 'enforcement.yaml');
    await writeFile(file, 'mode: on\nallow:\n  - warn\n  - nuke\n');
    const r = await cli('probe', '--push', server.url, '--token-file', tokenFile, '--spool', spool, '--no-docker', '--enforcement-config', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`gpuwarden probe: ${file.replace(/[.]/g, '\\.')}:4: allow\\[1\\]: .*\\(--enforcement-config\\)\\n$`));
    expect(server.requests).toEqual([]);
    const once = await cli('probe', '--once', '--replay', CAPTURE, '--push', server.url, '--token-file', tokenFile, '--enforcement-config', file);
    expect(once.code).toBe(2);
    expect(once.err).toContain('--enforcement-config applies to the long-running probe');
  });

  it('says which enforcement settings the long-running probe uses', async () => {
    const file = join(tmp, 'enforcement.yaml');
    await writeFile(file, 'mode: off\n');
    const controller = new AbortController();
    server.respond = () => {
      controller.abort();
      return ACCEPTED;
    };
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (err += t), env: {} };
    const xml = await readFile('test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml, list: listFor(xml) });
    const args = ['--push', server.url, '--token-file', tokenFile, '--spool', spool, '--nvidia-smi', bin, '--no-docker', '--enforcement-config', file];
    expect(await probeCommand(args, io, controller.signal)).toBe(0);
    expect(err).toContain(`enforcement: mode off, allowed warn (${file})`);
  });

  it('stops the loop through an injected signal too', async () => {
    const controller = new AbortController();
    server.respond = () => {
      controller.abort();
      return ACCEPTED;
    };
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (err += t), env: {} };
    const xml = await readFile('test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml, list: listFor(xml) });
    const code = await probeCommand(['--push', server.url, '--token-file', tokenFile, '--spool', spool, '--nvidia-smi', bin, '--no-docker'], io, controller.signal);
    expect(code).toBe(0);
    expect(err).toContain('every 30s');
    expect(err).toContain('stopped after 1 cycle(s): 1 delivered');
  });
});
