import { mkdir, mkdtemp, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mount } from '../../snapshot/schema.ts';
import { hostPathOf, keepAliveVeto } from './keep-alive.ts';

const bind = (source: string, destination: string): Mount => ({ type: 'bind', source, destination, readOnly: false });

describe('keep-alive', () => {
  it('finds the file through the /workspace mount or a parent mount', () => {
    expect(hostPathOf([bind('/home/a/ws', '/workspace')], '/workspace/.keep-alive')).toBe('/home/a/ws/.keep-alive');
    expect(hostPathOf([bind('/srv/root', '/')], '/workspace/.keep-alive')).toBe('/srv/root/workspace/.keep-alive');
    expect(hostPathOf([bind('/srv/root', '/'), bind('/home/a/ws', '/workspace/')], '/workspace/.keep-alive')).toBe('/home/a/ws/.keep-alive');
    expect(hostPathOf([bind('/x', '/workspaces')], '/workspace/.keep-alive')).toBeNull();
    expect(hostPathOf([], '/workspace/.keep-alive')).toBeNull();
  });

  it('vetoes while the file is younger than the limit, not after, and not without a file or mount', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-keep-'));
    const mounts = [bind(dir, '/workspace')];
    const now = Date.now();
    expect(await keepAliveVeto(mounts, 'job', 24, now)).toBeNull();
    await writeFile(join(dir, '.keep-alive'), '');
    expect(await keepAliveVeto(mounts, 'job', 24, now)).toMatch(/container job has \/workspace\/\.keep-alive touched 0\.\d h ago/);
    const old = new Date(now - 25 * 3_600_000);
    await utimes(join(dir, '.keep-alive'), old, old);
    expect(await keepAliveVeto(mounts, 'job', 24, now)).toBeNull();
    expect(await keepAliveVeto([], 'job', 24, now)).toBeNull();
  });

  it('does not follow a symlink planted as the keep-alive file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-keep-'));
    await mkdir(join(dir, 'ws'));
    await writeFile(join(dir, 'fresh'), '');
    await symlink(join(dir, 'fresh'), join(dir, 'ws', '.keep-alive'));
    expect(await keepAliveVeto([bind(join(dir, 'ws'), '/workspace')], 'job', 24, Date.now())).toBeNull();
  });
});
