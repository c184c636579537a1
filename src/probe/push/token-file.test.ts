import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTokenFile, TokenFileError } from './token-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tokenFile(text: string, mode = 0o600): Promise<string> {
  const path = join(dir, 'token');
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('readTokenFile', () => {
  it('reads the token, trimmed, without a warning for mode 600', async () => {
    expect(await readTokenFile(await tokenFile('  gw_abc.123\n'))).toEqual({ token: 'gw_abc.123', warning: null });
  });

  it('warns when group or others may read it, naming who and the fix', async () => {
    const path = await tokenFile('gw_abc', 0o644);
    expect((await readTokenFile(path)).warning).toBe(`the token file ${path} is readable by group and others (mode 644); run: chmod 600 ${path}`);
    await chmod(path, 0o640);
    expect((await readTokenFile(path)).warning).toContain('readable by its group (mode 640)');
    await chmod(path, 0o604);
    expect((await readTokenFile(path)).warning).toContain('readable by others (mode 604)');
    await chmod(path, 0o620);
    expect((await readTokenFile(path)).warning).toBeNull();
  });

  it('says plainly when the file is missing', async () => {
    const path = join(dir, 'nope');
    await expect(readTokenFile(path)).rejects.toThrow(new TokenFileError(`the token file ${path} does not exist`));
  });

  it('says plainly when the file is empty or only whitespace', async () => {
    const path = await tokenFile(' \n\t\n');
    await expect(readTokenFile(path)).rejects.toThrow(`the token file ${path} is empty; put the service's token in it, on one line`);
  });

  it('refuses two words or two lines without echoing the content', async () => {
    for (const text of ['gw_first gw_second', 'gw_first\ngw_second\n']) {
      const path = await tokenFile(text);
      const err = await readTokenFile(path).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(TokenFileError);
      expect(err?.message).toContain('must hold one token on one line');
      expect(err?.message).not.toContain('gw_first');
    }
  });

  it('says plainly when the path is a folder', async () => {
    const path = join(dir, 'folder');
    await mkdir(path);
    await expect(readTokenFile(path)).rejects.toThrow(`the token file ${path} is a folder, not a file`);
  });
});
