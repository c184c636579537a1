import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.ts';
import { parseServiceConfig } from '../config/service/load.ts';
import { sha256Hex } from '../server/auth.ts';
import { newToken, tokenCommand, TOKEN_USAGE } from './token.ts';
import { UsageError } from './usage-error.ts';

const run = (...args: string[]) => runCommand(tokenCommand, args);

describe('newToken', () => {
  it('makes 64 hex characters of fresh randomness and their sha256', () => {
    const a = newToken();
    const b = newToken();
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.sha256).toBe(createHash('sha256').update(a.token).digest('hex'));
  });

  it('hashes the way the service checks (Web Crypto)', async () => {
    const { token, sha256 } = newToken();
    expect(await sha256Hex(token)).toBe(sha256);
  });
});

describe('gpuwarden token new', () => {
  it('--file writes the token (mode 600), prints only its sha256, and never overwrites a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-token-'));
    try {
      const file = join(dir, 'admin.token');
      const r = await run('new', '--file', file);
      expect(r.code).toBe(0);
      const token = (await readFile(file, 'utf8')).trim();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(r.out).toBe(`token written to ${file} (mode 600)\nsha256: ${createHash('sha256').update(token).digest('hex')}\n`);
      expect(r.out).not.toContain(token);
      const again = await run('new', '--file', file);
      expect(again.code).toBe(1);
      expect(again.err).toBe(`gpuwarden token new: cannot write ${file} (it exists: a token in use is never overwritten)\n`);
      expect((await readFile(file, 'utf8')).trim()).toBe(token);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the token, its sha256 and a config snippet that loads', async () => {
    const r = await run('new');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const token = /^token: {2}([0-9a-f]{64})$/m.exec(r.out)?.[1];
    const sha = /^sha256: ([0-9a-f]{64})$/m.exec(r.out)?.[1];
    expect(token).toBeDefined();
    expect(sha).toBe(createHash('sha256').update(token ?? '').digest('hex'));
    const snippet = r.out.split('\n').slice(4, 7).join('\n').replaceAll('<host name>', 'ds01');
    expect(snippet).toContain('hosts:');
    const config = await parseServiceConfig(snippet.replace(/^ {2}/gm, ''), { file: 'x.yaml', baseDir: '/', defaults: { store: '/s.sqlite', rulesDir: '/r', limitsPath: '/l.yaml' }, readTextFile: async () => '' });
    expect(config.auth.hosts).toEqual([{ name: 'ds01', tokenSha256: sha }]);
  });

  it('--json prints only the token and its sha256', async () => {
    const r = await run('new', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { token: string; sha256: string };
    expect(Object.keys(doc)).toEqual(['token', 'sha256']);
    expect(doc.sha256).toBe(createHash('sha256').update(doc.token).digest('hex'));
  });

  it('rejects a missing or unknown subcommand and extra arguments', async () => {
    await expect(run()).rejects.toThrow(new UsageError('token needs a subcommand: new'));
    await expect(run('old')).rejects.toThrow('unknown token subcommand "old"');
    await expect(run('new', 'x')).rejects.toThrow('token new takes no arguments, got "x"');
  });

  it('has a usage whose first line is the command', () => {
    expect(TOKEN_USAGE.split('\n')[0]).toBe('gpuwarden token new [--file F] [--json]');
  });
});
