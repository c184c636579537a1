import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MakeCoreDeps } from '../service/make-core.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { bearer, TOKEN_SHA256, TOKENS, validSnapshot } from '../server/test-support.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import type { NodeServer } from '../server/node.ts';
import { stateDir } from '../state-dir.ts';
import { serveCommand, serveConfig, SERVE_USAGE } from './serve.ts';
import { UsageError } from './usage-error.ts';

const tmp = mkdtemp(join(tmpdir(), 'gw-serve-'));
afterAll(async () => rm(await tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

async function serve(args: string[], onListening: (server: NodeServer) => Promise<void>, extra: { makeCore?: (d: MakeCoreDeps) => Promise<ReturnType<typeof createStoreOnlyCore>> } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await serveCommand(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} }, {
    signals: new EventEmitter(),
    onListening,
    ...extra,
  });
  return { code, out, err };
}

describe('serveConfig', () => {
  it('runs on the embedded defaults without a config file: the package rules and limits, the store in the state folder', async () => {
    const config = await serveConfig([], '/srv/gw');
    expect(config).toMatchObject({
      source: null,
      listen: { host: '127.0.0.1', port: 8787 },
      store: join(stateDir(), 'gpuwarden.sqlite'),
      rulesDir: resolve('rules'),
      limitsPath: resolve('config/resource-limits.example.yaml'),
      auth: { hosts: [], admins: [] },
    });
  });

  it('flags override the config file, with paths relative to the current folder', async () => {
    const config = await serveConfig(
      ['--config', 'test/fixtures/service-config/valid-full.yaml', '--port', '0', '--host', '::1', '--store', 'x.sqlite', '--rules', 'r', '--limits', 'l.yaml'],
      process.cwd(),
    );
    expect(config.listen).toEqual({ host: '::1', port: 0 });
    expect(config.store).toBe(resolve('x.sqlite'));
    expect(config.rulesDir).toBe(resolve('r'));
    expect(config.limitsPath).toBe(resolve('l.yaml'));
    expect(config.probeIntervalS).toBe(60);
    expect(config.auth.hosts).toHaveLength(2);
    expect((await serveConfig(['--store', 'memory:'], '/x')).store).toBe('memory:');
  });

  it('--admin-token-file adds an admin named after the file, by the SHA-256 of its token (relative to the cwd)', async () => {
    const dir = await tmp;
    await writeFile(join(dir, 'ops.token'), `${TOKENS.alice}\n`, { mode: 0o600 });
    const config = await serveConfig(['--admin-token-file', 'ops.token'], dir);
    expect(config.auth.admins).toEqual([{ name: 'ops', tokenSha256: TOKEN_SHA256.alice }]);
    await expect(serveConfig(['--admin-token-file', 'missing.token'], dir)).rejects.toThrow(`--admin-token-file: the token file ${join(dir, 'missing.token')} does not exist`);
  });

  it('rejects a bad port, an empty host, unknown flags and positionals', async () => {
    for (const port of ['-1', '65536', 'http', '1.5', '']) {
      await expect(serveConfig([`--port=${port}`], '/')).rejects.toThrow(UsageError);
    }
    await expect(serveConfig(['--port', '99999'], '/')).rejects.toThrow('--port must be a whole number from 0 to 65535, got "99999"');
    await expect(serveConfig(['--host', ''], '/')).rejects.toThrow('--host must not be empty');
    await expect(serveConfig(['--colour'], '/')).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    await expect(serveConfig(['extra'], '/')).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
  });
});

describe('gpuwarden serve', () => {
  it('serves a config file over HTTP until closed, then exits 0', async () => {
    const dir = await tmp;
    const file = join(dir, 'gw.yaml');
    await writeFile(file, `store: "memory:"\nhosts:\n  ds01:\n    token_sha256: ${TOKEN_SHA256.ds01}\nadmins:\n  - name: alice\n    token_sha256: ${TOKEN_SHA256.alice}\n`);
    const seen: number[] = [];
    const r = await serve(['--config', file, '--port', '0'], async (server) => {
      const base = `http://127.0.0.1:${server.port}`;
      seen.push((await fetch(`${base}/healthz`)).status);
      const post = await fetch(`${base}/v1/snapshots`, { method: 'POST', body: JSON.stringify(validSnapshot({ takenAt: new Date().toISOString() })), headers: bearer(TOKENS.ds01) });
      seen.push(post.status);
      const hosts = (await (await fetch(`${base}/v1/hosts`, { headers: bearer(TOKENS.alice) })).json()) as { hosts: Array<{ host: string }> };
      expect(hosts.hosts.map((h) => h.host)).toEqual(['ds01']);
      await server.close();
    });
    expect(seen).toEqual([200, 200]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^gpuwarden serve: listening on http:\/\/127\.0\.0\.1:\d+ \(store memory:, 1 host token\(s\), 1 admin token\(s\)\)\n/);
    expect(r.out).toContain('gpuwarden serve: stopped\n');
  });

  it('lists the lifecycle exemptions of the limits folder as read-only grants and refuses grants for unknown rules', async () => {
    const dir = join(await tmp, 'limits-with-exemptions');
    await mkdir(dir, { recursive: true });
    await copyFile(resolve('config/resource-limits.example.yaml'), join(dir, 'resource-limits.yaml'));
    await writeFile(join(dir, 'lifecycle-exemptions.yaml'), 'exemptions:\n  - username: dave\n    exempt_from: [idle_timeout_h]\n    expires_on: null\n    reason: runs the lab notebook server\n');
    const file = join(await tmp, 'gw-grants.yaml');
    await writeFile(file, `store: "memory:"\nhosts:\n  ds01:\n    token_sha256: ${TOKEN_SHA256.ds01}\nadmins:\n  - name: alice\n    token_sha256: ${TOKEN_SHA256.alice}\n`);
    const r = await serve(['--config', file, '--port', '0', '--limits', join(dir, 'resource-limits.yaml')], async (server) => {
      const base = `http://127.0.0.1:${server.port}`;
      const listed = (await (await fetch(`${base}/v1/grants`, { headers: bearer(TOKENS.alice) })).json()) as { grants: Array<{ id: string; source: string; reason: string }> };
      expect(listed.grants).toEqual([expect.objectContaining({ id: 'ds01-exemption:dave:idle-gpu-container', source: 'lifecycle-exemptions', reason: 'runs the lab notebook server' })]);
      const body = JSON.stringify({ user: 'carol', rule: 'no-such-rule', duration: '1d', reason: 'r' });
      const refused = await fetch(`${base}/v1/grants`, { method: 'POST', body, headers: { ...bearer(TOKENS.alice), 'Content-Type': 'application/json' } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain('no rule \\"no-such-rule\\"');
      await server.close();
    });
    expect(r.code, r.err).toBe(0);
  });

  it('without host tokens prints how to add one', async () => {
    const r = await serve(['--store', 'memory:', '--port', '0'], async (server) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/snapshots`, { method: 'POST', body: '{}', headers: bearer(TOKENS.ds01) });
      expect(res.status).toBe(401);
      await server.close();
    });
    expect(r.code).toBe(0);
    expect(r.err).toContain('notice: no host tokens are configured');
    expect(r.err).toContain('gpuwarden token new');
    expect(r.err).toContain('token_sha256: <sha256>');
  });

  it('hands makeCore the store, rules, limits and config, and uses the core it returns', async () => {
    const received: MakeCoreDeps[] = [];
    const dir = join(await tmp, 'make-core');
    await mkdir(join(dir, 'my-rules'), { recursive: true });
    await writeFile(join(dir, 'my-limits.yaml'), '');
    const r = await serve(
      ['--store', 'memory:', '--port', '0', '--rules', join(dir, 'my-rules'), '--limits', join(dir, 'my-limits.yaml')],
      async (server) => server.close(),
      {
        makeCore: async (deps) => {
          received.push(deps);
          return createStoreOnlyCore(deps.store);
        },
      },
    );
    expect(r.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.rulesDir).toBe(join(dir, 'my-rules'));
    expect(received[0]?.limitsPath).toBe(join(dir, 'my-limits.yaml'));
    expect(received[0]?.serviceConfig.store).toBe('memory:');
    expect(received[0]?.clock()).toBeInstanceOf(Date);
  });

  it('prints a bad config file\'s problems and exits 1', async () => {
    const r = await serve(['--config', 'test/fixtures/service-config/unknown-key.yaml'], async () => {
      throw new Error('must not listen');
    });
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'gpuwarden serve: invalid configuration:\ntest/fixtures/service-config/unknown-key.yaml:7: hosts.ds01.tokn_sha256: unknown key\n',
    });
  });

  it('exits 1 with the reason when the core cannot be built, and closes the store', async () => {
    const store = createMemoryStore();
    let out = '';
    let err = '';
    const code = await serveCommand(['--port', '0'], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} }, {
      openStore: () => store,
      makeCore: async () => {
        throw new Error('rules/bad.json: unknown fact "gpuMemoryMib"');
      },
      signals: new EventEmitter(),
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('gpuwarden serve: cannot start: rules/bad.json: unknown fact "gpuMemoryMib"\n');
    await expect(store.listHosts()).rejects.toThrow('closed');
  });

  it('exits 1 when the port is taken', async () => {
    await serve(['--store', 'memory:', '--port', '0'], async (first) => {
      const second = await serve(['--store', 'memory:', '--port', String(first.port)], async () => {
        throw new Error('must not listen');
      });
      expect(second.code).toBe(1);
      expect(second.err).toContain('gpuwarden serve: cannot start: listen EADDRINUSE');
      await first.close();
    });
  });

  it('names a missing rules folder or limits file before it creates the store', async () => {
    const dir = join(await tmp, 'missing-inputs');
    const storeFile = join(dir, 'state/gw.sqlite');
    const rules = await serve(['--store', storeFile, '--port', '0', '--rules', join(dir, 'no-rules')], async () => {
      throw new Error('must not listen');
    });
    expect(rules).toEqual({ code: 1, out: '', err: `gpuwarden serve: invalid configuration:\nrules: ${join(dir, 'no-rules')} is not a folder (ENOENT)\n` });
    const limits = await serve(['--store', storeFile, '--port', '0', '--limits', join(dir, 'no-limits.yaml')], async () => {
      throw new Error('must not listen');
    });
    expect(limits.err).toBe(`gpuwarden serve: invalid configuration:\nlimits: cannot read ${join(dir, 'no-limits.yaml')} (ENOENT)\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 1 when the store cannot be opened', async () => {
    let err = '';
    const code = await serveCommand(['--store', '/dev/null/x.sqlite', '--port', '0'], { stdout: () => {}, stderr: (t) => (err += t), env: {} }, {
      signals: new EventEmitter(),
    });
    expect(code).toBe(1);
    expect(err).toContain('gpuwarden serve: cannot open the store /dev/null/x.sqlite: ');
  });

  it('has a usage whose first line lists every flag (the local probe\'s as a group)', () => {
    expect(SERVE_USAGE.split('\n')[0]).toBe('gpuwarden serve [--config FILE] [--port N] [--host ADDR] [--store SPEC] [--rules DIR] [--limits FILE] [--admin-token-file F] [--log-level LEVEL] [--log-format FORMAT] [--local-probe [local probe flags]]');
  });
});
