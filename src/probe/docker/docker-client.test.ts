import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listAndInspectAll, MOUNT_OWNER_MAX_AGE_MS, statMountOwners, type MountOwnerCache } from './docker-client.ts';

// The dockerode path against a real engine is tested by the owner elsewhere; here only what needs no engine.
describe('listAndInspectAll without an engine', () => {
  it('an absent socket gives ok:false with a one-line message, no stack', async () => {
    const socketPath = join(tmpdir(), `gpuwarden-no-such-${process.pid}.sock`);
    const result = await listAndInspectAll({ socketPath, timeoutMs: 2000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(socketPath);
    expect(result.message).toContain('ENOENT');
    expect(result.message).not.toContain('\n');
    expect(result.message).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
  });
});

describe('statMountOwners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuwarden-stat-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns owner uids; missing paths are omitted, not errors', async () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'd'));
    const missing = join(dir, 'nope', 'deeper');
    const notDir = join(file, 'child');
    const { owners, errors } = await statMountOwners([file, join(dir, 'd'), missing, notDir, file]);
    expect(owners).toEqual({ [file]: statSync(file).uid, [join(dir, 'd')]: statSync(dir).uid });
    expect(errors).toEqual([]);
  });
});

describe('statMountOwners with a cache kept across cycles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuwarden-stat-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses a found owner until it is MOUNT_OWNER_MAX_AGE_MS old, stats missing paths every time, forgets paths not asked for', async () => {
    const home = join(dir, 'home-a');
    const other = join(dir, 'home-b');
    const later = join(dir, 'home-later');
    mkdirSync(home);
    mkdirSync(other);
    const cache: MountOwnerCache = { owners: new Map() };
    const uid = statSync(home).uid;
    expect((await statMountOwners([home, other, later], { cache, nowMs: 0 })).owners).toEqual({ [home]: uid, [other]: uid });
    // Removed meanwhile: within the age the kept owner stands (no stat); a path that appeared is found at once.
    rmSync(home, { recursive: true });
    mkdirSync(later);
    const second = await statMountOwners([home, later], { cache, nowMs: MOUNT_OWNER_MAX_AGE_MS - 1 });
    expect(second.owners).toEqual({ [home]: uid, [later]: uid });
    expect([...cache.owners.keys()].sort()).toEqual([home, later].sort());
    const third = await statMountOwners([home, later], { cache, nowMs: MOUNT_OWNER_MAX_AGE_MS });
    expect(third.owners).toEqual({ [later]: uid });
  });
});
