// Start-up of the installed CLI (issue 8): bin/gpuwarden.js runs the bundle when it is fresh and says so when it
// falls back to the sources; the bundle loads only the npm packages a command needs.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve('.');
const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
const VERSION = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;

/** Runs `node ARGS` and returns its exit code and output, never throwing on a non-zero exit. */
async function node(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, args, { cwd: ROOT, env, timeout: 30_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

describe('bin/gpuwarden.js', () => {
  // A stand-in install: the real bin/ and package.json, src/ and node_modules/ linked, and a stub dist/.
  let root: string;
  const stamp = (): string => join(root, 'dist/build-stamp.json');
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gw-bin-'));
    await mkdir(join(root, 'bin'));
    for (const f of ['bin/gpuwarden.js', 'bin/dist-state.js', 'package.json']) await copyFile(f, join(root, f));
    await symlink(join(ROOT, 'src'), join(root, 'src'));
    await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the TypeScript sources with a one-line hint when dist/ is missing', async () => {
    const r = await node([join(root, 'bin/gpuwarden.js'), 'version']);
    expect(r).toEqual({
      code: 0,
      out: `gpuwarden ${VERSION}\n`,
      err: 'gpuwarden: dist/ is missing (run "npm run build"); running the TypeScript sources through tsx (slower start)\n',
    });
  });

  it('runs the bundle when it was built after the sources changed', async () => {
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'dist/entry.mjs'), "process.stdout.write('from dist\\n');\n");
    await writeFile(stamp(), '{}\n');
    const future = new Date(Date.now() + 86_400_000);
    await utimes(stamp(), future, future);
    expect(await node([join(root, 'bin/gpuwarden.js'), 'version'])).toEqual({ code: 0, out: 'from dist\n', err: '' });
  });

  it('does not run a bundle older than the sources', async () => {
    await utimes(stamp(), new Date(1_000), new Date(1_000));
    const r = await node([join(root, 'bin/gpuwarden.js'), 'version']);
    expect(r.out).toBe(`gpuwarden ${VERSION}\n`);
    expect(r.err).toContain('dist/ is older than src/ (run "npm run build")');
  });

  it('treats a bundle without its build stamp as missing', async () => {
    await rm(stamp());
    const r = await node([join(root, 'bin/gpuwarden.js'), 'version']);
    expect(r.out).toBe(`gpuwarden ${VERSION}\n`);
    expect(r.err).toContain('dist/ is missing');
  });
});

describe('bin/gpuwarden.js in an installed package (no src/)', () => {
  it('stops with a plain sentence when dist/ is missing, never reaching for tsx', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gw-bin-installed-'));
    try {
      await mkdir(join(root, 'bin'));
      for (const f of ['bin/gpuwarden.js', 'bin/dist-state.js', 'package.json']) await copyFile(f, join(root, f));
      const r = await node([join(root, 'bin/gpuwarden.js'), 'version']);
      expect(r).toEqual({
        code: 1,
        out: '',
        err: `gpuwarden: this install has no built CLI (${join(root, 'dist/entry.mjs')} is missing); install a package made by "npm pack", which builds dist/\n`,
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the bundled CLI loads only what a command uses', () => {
  // Built fresh into a folder of its own (inside dist/, so the bundle resolves node_modules as the real one does).
  let out: string;
  let traceDir: string;
  beforeAll(async () => {
    await mkdir('dist', { recursive: true });
    out = await mkdtemp(join(ROOT, 'dist', 'test-startup-'));
    traceDir = await mkdtemp(join(tmpdir(), 'gw-trace-'));
    await run(process.execPath, ['scripts/build.mjs', `--outdir=${out}`], { cwd: ROOT, timeout: 60_000 });
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(traceDir, { recursive: true, force: true });
  });

  let n = 0;
  /** Runs `node [--import tracer] ARGS` and returns its result and the set of npm packages it imported. */
  async function traced(args: string[]): Promise<{ code: number; out: string; packages: Set<string> }> {
    const file = join(traceDir, `trace-${n++}.txt`);
    await writeFile(file, '');
    const r = await node(['--import', join(ROOT, 'scripts/trace-packages.mjs'), ...args], { ...process.env, GPUWARDEN_TRACE_PACKAGES: file });
    const packages = new Set((await readFile(file, 'utf8')).split('\n').filter((l) => l !== ''));
    return { code: r.code, out: r.out, packages };
  }

  const HEAVY = ['dockerode', 'zod', 'nodemailer', 'hono', '@hono/node-server', 'yaml', 'fast-xml-parser', 'better-sqlite3', 'json-rules-engine', '@slack/webhook'];

  it('the tracer sees a package imported from ESM and the CommonJS packages it requires', async () => {
    const r = await traced(['--input-type=module', '-e', "await import('dockerode');"]);
    expect(r.code).toBe(0);
    expect(r.packages).toContain('dockerode');
    expect(r.packages).toContain('docker-modem');
  });

  it('version and help load no npm package at all', async () => {
    for (const args of [['version'], ['help'], ['help', 'serve']]) {
      const r = await traced([join(out, 'entry.mjs'), ...args]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/gpuwarden/);
      expect([...r.packages]).toEqual([]);
    }
  });

  it('probe --once --replay loads the XML parser and the schema, not Docker, mail, HTTP server or SQLite', async () => {
    const r = await traced([join(out, 'entry.mjs'), 'probe', '--once', '--replay', CAPTURE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('h.baker@hertie-school.lan');
    expect(r.packages).toContain('fast-xml-parser');
    for (const heavy of ['dockerode', 'nodemailer', 'hono', '@hono/node-server', 'better-sqlite3', '@slack/webhook', 'yaml']) {
      expect(r.packages, heavy).not.toContain(heavy);
    }
  });

  it('token new loads nothing heavy', async () => {
    const r = await traced([join(out, 'entry.mjs'), 'token', 'new']);
    expect(r.code).toBe(0);
    for (const heavy of HEAVY) expect(r.packages, heavy).not.toContain(heavy);
  });
});
