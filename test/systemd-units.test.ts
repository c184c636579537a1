// The shipped systemd units (deploy/systemd): `systemd-analyze verify` accepts them without a single complaint, their
// hardening keeps its exposure score, and every flag and path of their ExecStart lines is one the real CLI accepts,
// so a unit cannot drift from the CLI. systemd is not running here: verify runs offline against a temporary root.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../src/cli/probe.ts';
import { serveConfig } from '../src/cli/serve.ts';
import { runCommand } from './support/cli.ts';

const run = promisify(execFile);

const UNITS = 'deploy/systemd';
const SERVICE = 'gpuwarden.service';
const PROBE = 'gpuwarden-probe.service';
const ENFORCE_DROP_IN = 'gpuwarden-probe.service.d/enforce.conf';
/** Where the units expect the installed configuration; deploy/etc/gpuwarden holds the files shipped for it. */
const ETC = '/etc/gpuwarden';
const SHIPPED_ETC = 'deploy/etc/gpuwarden';

const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p)) ?? null;
/** In CI (or with GPUWARDEN_REQUIRE_SYSTEMD=1) a missing systemd-analyze fails these tests instead of skipping them. */
const REQUIRED = process.env.GPUWARDEN_REQUIRE_SYSTEMD === '1' || (process.env.CI ?? '') !== '';
const SYSTEM_UNITS_DIR = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((p) => existsSync(p)) ?? null;

/** One `Key=value` of a unit file (continuation lines joined), with its section. */
interface UnitEntry {
  section: string;
  key: string;
  value: string;
}

/** The entries of a unit file or drop-in, as systemd reads them (comments dropped, `\` continuations joined). */
function parseUnit(text: string): UnitEntry[] {
  const entries: UnitEntry[] = [];
  let section = '';
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = pending === '' ? raw.trim() : `${pending} ${raw.trim()}`;
    pending = '';
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) {
      pending = line.slice(0, -1).trim();
      continue;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) entries.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return entries;
}

const unitText = (name: string): string => readFileSync(join(UNITS, name), 'utf8');

/** The single value of `key` in [Service]; fails the test when absent or repeated. */
function serviceValue(entries: UnitEntry[], key: string): string {
  const found = entries.filter((e) => e.section === 'Service' && e.key === key);
  expect(found.map((e) => e.key), `exactly one ${key}=`).toEqual([key]);
  return found[0]?.value ?? '';
}

/** ExecStart split into words (the units use no quoting there; a quote would need a real parser, so it fails here). */
function execStartArgv(entries: UnitEntry[]): string[] {
  const value = serviceValue(entries, 'ExecStart');
  expect(value).not.toMatch(/["']/);
  return value.split(/\s+/);
}

/** The program of an Exec*= value: its first word without the prefixes systemd allows (-, @, :, +, !). */
function programOf(value: string): string {
  return (value.split(/\s+/)[0] ?? '').replace(/^[-@:+!]+/, '');
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * A file system root for `systemd-analyze --root`: this machine's system units (for sysinit.target and the other
 * default dependencies), the given units and drop-ins in /etc/systemd/system, and an executable stub at each program
 * path of their Exec*= lines (verify checks that the program exists: /usr/local/bin/gpuwarden is not installed here).
 */
function makeRoot(files: Record<string, string>, options: { stubPrograms?: boolean } = {}): string {
  const root = tempDir('gw-systemd-root-');
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync('usr/bin', join(root, 'bin'));
  cpSync(SYSTEM_UNITS_DIR ?? '', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, 'etc/systemd/system', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    if (options.stubPrograms === false) continue;
    for (const e of parseUnit(text).filter((x) => x.section === 'Service' && x.key.startsWith('Exec'))) {
      const stub = join(root, programOf(e.value));
      mkdirSync(dirname(stub), { recursive: true });
      writeFileSync(stub, '#!/bin/sh\nexit 0\n');
      chmodSync(stub, 0o755);
    }
  }
  return root;
}

interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function systemdAnalyze(args: string[]): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await run(SYSTEMD_ANALYZE ?? 'systemd-analyze', args, { timeout: 15_000, maxBuffer: 4 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * `systemd-analyze verify` of one unit in `root`. Unknown keys and unparsable values only print a warning and still
 * exit 0, so every line it prints counts as a problem.
 */
async function verify(root: string, unit: string): Promise<{ code: number; problems: string[] }> {
  const r = await systemdAnalyze(['verify', '--man=no', `--root=${root}`, `/etc/systemd/system/${unit}`]);
  const problems = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return { code: r.code, problems };
}

/** The "Overall exposure level" that `systemd-analyze security --offline` gives a unit (0 best, 10 worst). */
async function exposure(root: string, unit: string): Promise<number> {
  const r = await systemdAnalyze(['security', '--offline=true', '--no-pager', `--root=${root}`, `/etc/systemd/system/${unit}`]);
  const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(r.stdout);
  expect(m, `no exposure level in:\n${r.stdout}${r.stderr}`).not.toBeNull();
  return Number(m?.[1]);
}

const canVerify = SYSTEMD_ANALYZE !== null && SYSTEM_UNITS_DIR !== null;

describe.skipIf(!canVerify && !REQUIRED)('systemd-analyze verify on the shipped units', () => {
  it('finds systemd-analyze (Debian package systemd) and the system units', () => {
    expect(SYSTEMD_ANALYZE, 'systemd-analyze is missing: apt-get install systemd').not.toBeNull();
    expect(SYSTEM_UNITS_DIR).not.toBeNull();
  });

  it.each([SERVICE, PROBE])('%s verifies without a single warning', async (unit) => {
    const root = makeRoot({ [unit]: unitText(unit) });
    expect(await verify(root, unit)).toEqual({ code: 0, problems: [] });
  });

  it('the probe with the enforcement drop-in verifies without a warning', async () => {
    const root = makeRoot({ [PROBE]: unitText(PROBE), [ENFORCE_DROP_IN]: unitText(ENFORCE_DROP_IN) });
    expect(await verify(root, PROBE)).toEqual({ code: 0, problems: [] });
  });

  it('reports a misspelled directive, a bad value and a misspelled drop-in key (the check can fail)', async () => {
    const base = unitText(SERVICE);
    expect(base).toContain('ProtectSystem=strict\n');
    expect(base).toContain('Restart=on-failure\n');
    const broken = base.replace('ProtectSystem=strict\n', 'ProtectSytem=strict\n').replace('Restart=on-failure\n', 'Restart=onfailure\n');
    const root = makeRoot({ [SERVICE]: broken });
    const { problems } = await verify(root, SERVICE);
    expect(problems.join('\n')).toContain("Unknown key 'ProtectSytem'");
    expect(problems.join('\n')).toContain('onfailure');

    const dropIn = `${unitText(ENFORCE_DROP_IN)}\nSupplementaryGroup=tty\n`;
    const probeRoot = makeRoot({ [PROBE]: unitText(PROBE), [ENFORCE_DROP_IN]: dropIn });
    expect((await verify(probeRoot, PROBE)).problems.join('\n')).toContain("Unknown key 'SupplementaryGroup'");
  });

  it('reports a program that does not exist (the stub stands in for /usr/local/bin/gpuwarden, nothing else)', async () => {
    const root = makeRoot({ [SERVICE]: unitText(SERVICE) }, { stubPrograms: false });
    const r = await verify(root, SERVICE);
    expect(r.code).not.toBe(0);
    expect(r.problems.join('\n')).toContain('/usr/local/bin/gpuwarden is not executable');
  });

  it('keeps the hardening: exposure at most 1.5 for the service, 3.0 for the probe (3.5 with enforcement rights)', async () => {
    expect(await exposure(makeRoot({ [SERVICE]: unitText(SERVICE) }), SERVICE)).toBeLessThanOrEqual(1.5);
    expect(await exposure(makeRoot({ [PROBE]: unitText(PROBE) }), PROBE)).toBeLessThanOrEqual(3.0);
    const withDropIn = makeRoot({ [PROBE]: unitText(PROBE), [ENFORCE_DROP_IN]: unitText(ENFORCE_DROP_IN) });
    expect(await exposure(withDropIn, PROBE)).toBeLessThanOrEqual(3.5);
    // The control: a unit without any hardening scores far worse, so the figures above mean something.
    const bare = '[Service]\nExecStart=/usr/local/bin/gpuwarden serve\n';
    expect(await exposure(makeRoot({ 'bare.service': bare }), 'bare.service')).toBeGreaterThan(8);
  });
});

/** Every `${NAME}` of an EnvironmentFile, from the shipped copy of that file. */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m !== null) env[m[1] ?? ''] = m[2] ?? '';
  }
  return env;
}

/** Replace each word of `argv` found in `paths`; fail on any unit path left unmapped (a new path needs a decision here). */
function mapPaths(argv: string[], paths: Record<string, string>): string[] {
  const mapped = argv.map((a) => paths[a] ?? a);
  expect(mapped.filter((a) => /^\/(etc|var|run)\/|%|\$\{/.test(a))).toEqual([]);
  return mapped;
}

describe('the units run the CLI as it is', () => {
  it('gpuwarden.service: serve parses the flags and the shipped gpuwarden.yaml, whose store is in the StateDirectory', async () => {
    const entries = parseUnit(unitText(SERVICE));
    const [program, command, ...args] = execStartArgv(entries);
    expect(program).toBe('/usr/local/bin/gpuwarden');
    expect(command).toBe('serve');
    const configDir = `/etc/${serviceValue(entries, 'ConfigurationDirectory')}`;
    expect(configDir).toBe(ETC);
    const local = mapPaths(args, { [`${ETC}/gpuwarden.yaml`]: join(SHIPPED_ETC, 'gpuwarden.yaml') });
    const config = await serveConfig(local, tempDir('gw-serve-cwd-'));
    const stateDir = `/var/lib/${serviceValue(entries, 'StateDirectory')}`;
    expect(dirname(config.store)).toBe(stateDir);
    expect(serviceValue(entries, 'WorkingDirectory')).toBe(stateDir);
    expect(config.listen.host).toBe('127.0.0.1');
    expect(config.rulesDir).toBe('/usr/local/lib/node_modules/gpuwarden/rules');
    expect(config.limitsPath.startsWith(`${ETC}/`)).toBe(true);
    // The parser is strict: a flag the CLI does not have fails (so the check above would catch a renamed flag).
    await expect(serveConfig([...local, '--no-such-flag'], tempDir('gw-serve-cwd-'))).rejects.toThrow(/no-such-flag/);
  });

  it('gpuwarden-probe.service: probe starts with exactly these flags, the shipped env and enforcement files', async () => {
    const entries = parseUnit(unitText(PROBE));
    const [program, command, ...args] = execStartArgv(entries);
    expect(program).toBe('/usr/local/bin/gpuwarden');
    expect(command).toBe('probe');

    expect(serviceValue(entries, 'EnvironmentFile')).toBe(`${ETC}/probe.env`);
    const env = readEnvFile(join(SHIPPED_ETC, 'probe.env'));
    const [credential, credentialSource] = serviceValue(entries, 'LoadCredential').split(':');
    expect(credentialSource).toBe(`${ETC}/probe.token`);
    const stateDir = `/var/lib/${serviceValue(entries, 'StateDirectory')}`;

    const tmp = tempDir('gw-probe-unit-');
    const tokenFile = join(tmp, 'probe-token');
    writeFileSync(tokenFile, 'a-test-token-not-a-secret\n', { mode: 0o600 });
    const paths: Record<string, string> = {
      [`%d/${credential ?? ''}`]: tokenFile,
      [`${stateDir}/spool`]: join(tmp, 'spool'),
      // What docs/operations.md installs as /etc/gpuwarden/probe-enforcement.yaml.
      [`${ETC}/probe-enforcement.yaml`]: 'config/probe-enforcement.example.yaml',
    };
    for (const [name, value] of Object.entries(env)) paths[`\${${name}}`] = value;
    const local = mapPaths(args, paths);

    // An aborted signal: the probe parses every flag, reads the token, loads the enforcement file, opens the spool,
    // then stops before its first cycle (no nvidia-smi, Docker or network needed).
    const stopped = AbortSignal.abort();
    const r = await runCommand((a, io) => probeCommand(a, io, stopped), local);
    expect(r.err).not.toMatch(/warning|usage|invalid/i);
    expect(r.err).toContain('enforcement: mode dry-run, allowed warn');
    expect(r.err).toContain(`pushing snapshots to ${env.GPUWARDEN_URL ?? '?'} every 30s; spool ${join(tmp, 'spool')}`);
    expect(r.code).toBe(0);
    expect(existsSync(join(tmp, 'spool'))).toBe(true);
  });

  it('the probe rejects a flag it does not have (the check above can fail)', async () => {
    const r = await runCommand((a, io) => probeCommand(a, io, AbortSignal.abort()), ['--push', 'http://127.0.0.1:1', '--token-file', 'x', '--spool-dir', 'y']).catch(
      (err: unknown) => ({ code: -1, out: '', err: String(err) }),
    );
    expect(r.err).toContain("Unknown option '--spool-dir'");
  });

  it("the probe unit's NODE_OPTIONS are accepted by node and cap the old space", async () => {
    const entries = parseUnit(unitText(PROBE));
    const value = serviceValue(entries, 'Environment').replace(/^"|"$/g, '');
    expect(value.startsWith('NODE_OPTIONS=')).toBe(true);
    const { stdout } = await run(process.execPath, ['-e', 'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))'], {
      env: { ...process.env, NODE_OPTIONS: value.slice('NODE_OPTIONS='.length) },
      timeout: 15_000,
    });
    expect(Number(stdout)).toBeLessThan(64 * 1024 * 1024);
  });
});
