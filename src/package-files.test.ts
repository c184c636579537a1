import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPackageRoot, packagedLimitsPath, packagedRulesDir, packageRoot } from './package-files.ts';

describe('package files', () => {
  const tmp = mkdtemp(join(tmpdir(), 'gw-pkgroot-'));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it('finds the checkout root from src/, not from the current folder', () => {
    expect(packageRoot()).toBe(resolve('.'));
    expect(existsSync(join(packagedRulesDir(), 'gpu-quota.json'))).toBe(true);
    expect(existsSync(packagedLimitsPath())).toBe(true);
  });

  it('walks up from a bundle folder (dist/) to the folder holding package.json', async () => {
    const root = join(await tmp, 'lib/node_modules/gpuwarden');
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'package.json'), '{}');
    expect(findPackageRoot(join(root, 'dist'))).toBe(root);
  });

  it('says the install is incomplete when no package.json is above', () => {
    expect(() => findPackageRoot('/')).toThrow('cannot find its package.json above /');
  });
});
