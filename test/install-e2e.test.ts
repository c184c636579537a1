// Issue 11 item 1, "install anywhere": `npm pack` gives a package that, installed globally into a fresh prefix, runs
// from a folder with no checkout in it: the rule pack and limits come from inside the package, the store from the state
// folder, and nothing needs tsx, esbuild or the tests. Slow (npm installs the runtime dependencies and better-sqlite3
// compiles from source: minutes on a busy 2-core machine), so everything is installed once.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve('.');
const CAPTURE = join(ROOT, 'test/fixtures/captures/ds01-h100-mig');
/** What `npm pack` needs from the checkout to build and pack (node_modules is linked, for esbuild). */
const PACKED_FROM = ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'bin', 'src', 'rules', 'config', 'scripts'];
const INSTALL_TIMEOUT_MS = 15 * 60_000;

interface PackResult {
  filename: string;
  size: number;
  files: Array<{ path: string }>;
}

let tmp: string;
let packed: PackResult;
let bin: string;
let installed: string;
/** A folder with no checkout in it, where every command runs. */
let elsewhere: string;
let env: NodeJS.ProcessEnv;

/** Runs the installed `gpuwarden ARGS` from `elsewhere`, never throwing on a non-zero exit. */
async function gpuwarden(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(bin, args, { cwd: elsewhere, env: { ...env, ...extraEnv }, timeout: 60_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

/** The installed `gpuwarden serve ARGS`, started from `elsewhere`, once it listens: its URL, output so far and exit. */
async function startServe(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string; err: () => string; exited: Promise<unknown[]> }> {
  const child = spawn(bin, ['serve', ...args], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((done, fail) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] !== undefined) done(m[1]);
    });
    child.on('exit', () => fail(new Error(`serve exited before listening: ${err}`)));
  });
  return { child, url, out: () => out, err: () => err, exited };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gw-install-e2e-'));
  const pkg = join(tmp, 'pkg');
  await mkdir(pkg);
  for (const p of PACKED_FROM) await cp(join(ROOT, p), join(pkg, p), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  // A copy, so the `prepare` build that `npm pack` runs never rewrites the checkout's dist/ under other tests.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: pkg, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  packed = (JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[])[0] as PackResult;
  const prefix = join(tmp, 'prefix');
  await run('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(tmp, packed.filename)], {
    cwd: tmp,
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  bin = join(prefix, 'bin', 'gpuwarden');
  installed = join(prefix, 'lib', 'node_modules', 'gpuwarden');
  elsewhere = join(tmp, 'elsewhere');
  await mkdir(join(elsewhere, 'home'), { recursive: true });
  env = { PATH: process.env.PATH, HOME: join(elsewhere, 'home'), STATE_DIRECTORY: join(tmp, 'state') };
}, INSTALL_TIMEOUT_MS * 2);

afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the bundle, the rule pack and the example configs, and no tests, TypeScript sources or fixtures', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of ['bin/gpuwarden.js', 'dist/entry.mjs', 'dist/migrations/0001_init.sql', 'rules/gpu-quota.json', 'config/gpuwarden.example.yaml', 'config/resource-limits.example.yaml', 'README.md']) {
      expect(paths).toContain(p);
    }
    expect(paths.filter((p) => p.endsWith('.ts') || p.startsWith('test/') || p.startsWith('src/') || p.includes('fixtures') || p.includes('.bench.'))).toEqual([]);
    expect(paths.filter((p) => /token|secret|\.env|\.pem$|\.key$/i.test(p))).toEqual([]);
  });

  it('installs only the runtime dependencies: no tsx, esbuild or json-rules-engine', async () => {
    const deps = await readdir(join(installed, 'node_modules'));
    expect(deps).toEqual(expect.arrayContaining(['better-sqlite3', 'hono', 'zod', 'yaml']));
    expect(deps.filter((d) => ['tsx', 'esbuild', 'json-rules-engine', 'vitest', 'typescript'].includes(d))).toEqual([]);
  });
});

describe('the installed gpuwarden, run from a folder with no checkout', () => {
  it('prints its version', async () => {
    const version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
    expect(await gpuwarden(['version'])).toEqual({ code: 0, out: `gpuwarden ${version}\n`, err: '' });
  });

  it('checks the rule pack inside the package by default', async () => {
    const r = await gpuwarden(['rules', 'check']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^\d+ rules OK\n$/);
    expect(r.code).toBe(0);
  });

  it('replays a capture with probe --once', async () => {
    const r = await gpuwarden(['probe', '--once', '--replay', CAPTURE]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('ds01-demo');
    expect(r.out).toContain('h.baker@hertie-school.lan');
  });

  it('serves on 127.0.0.1 with its store in the state folder, answers /healthz, and stops on SIGTERM', async () => {
    const { child, url, out: outNow, err: errNow, exited } = await startServe(['--port', '0']);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, errNow()).toBe(0);
    const store = join(tmp, 'state', 'gpuwarden.sqlite');
    expect(outNow()).toContain(`(store ${store}, 0 host token(s), 0 admin token(s))`);
    expect(outNow()).toContain('gpuwarden serve: stopped\n');
    expect(existsSync(store)).toBe(true);
    expect(await readdir(elsewhere)).toEqual(['home']);
  });

  it('runs the README\'s first run as written: token new --file, serve --local-probe --admin-token-file, alerts', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /\*\*First run on a GPU host\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter((l) => l.startsWith('npx gpuwarden ')).map((l) => l.replace(/\s+#.*$/, '').split(/\s+/).slice(2));
    expect(commands.map((c) => c[0])).toEqual(['token', 'serve', 'alerts']);
    const [tokenArgs, serveArgs, alertsArgs] = commands as [string[], string[], string[]];
    expect((await gpuwarden(tokenArgs)).code).toBe(0);
    // As written, plus a free port and a store of its own; this machine has no GPU and no Docker: the probe says so.
    const { child, url, err, exited } = await startServe([...serveArgs.slice(1), '--port', '0', '--store', 'memory:']);
    try {
      const urlAt = alertsArgs.indexOf('--url');
      const args = alertsArgs.map((a, i) => (i === urlAt + 1 ? url : a));
      let alerts = await gpuwarden(args);
      for (let i = 0; i < 50 && !alerts.out.includes('probe-source-failing'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        alerts = await gpuwarden(args);
      }
      expect(alerts.code, alerts.err).toBe(0);
      expect(alerts.out).toMatch(/^STATE +SINCE +SEVERITY +RULE +HOST/);
      expect(alerts.out).toMatch(/pending for .* probe-source-failing/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code, err()).toBe(0);
    expect(err()).toContain('local probe: nvidia-smi not found');
  });

  it('names the key and line of a broken config file, and creates nothing', async () => {
    const file = join(elsewhere, 'etc-gpuwarden.yaml');
    await writeFile(file, 'listen:\n  host: 127.0.0.1\n  prot: 8787\n');
    const state = join(tmp, 'state-broken');
    const r = await gpuwarden(['serve', '--config', file], { STATE_DIRECTORY: state });
    expect(r).toEqual({ code: 1, out: '', err: `gpuwarden serve: invalid configuration:\n${file}:3: listen.prot: unknown key\n` });
    expect(existsSync(state)).toBe(false);
  });

  it('runs the example config copied to an /etc-style folder, on the package\'s rules and limits', async () => {
    const etc = join(elsewhere, 'etc');
    await mkdir(etc);
    await cp(join(installed, 'config/gpuwarden.example.yaml'), join(etc, 'gpuwarden.yaml'));
    const { child, out, err, exited } = await startServe(['--config', join(etc, 'gpuwarden.yaml'), '--port', '0', '--store', 'memory:']);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, err()).toBe(0);
    expect(out()).toContain('1 host token(s), 1 admin token(s)');
  });
});
