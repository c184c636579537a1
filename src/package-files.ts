// Files shipped inside the gpuwarden package (the default rule pack, the example configs), found from where this
// module runs: src/ in a checkout, dist/ in a bundle, wherever npm installed the package. Never the current folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `fromDir` holding a package.json: gpuwarden's own root (src/ and dist/ have none). */
export function findPackageRoot(fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`gpuwarden cannot find its package.json above ${fromDir}: the install is incomplete`);
  }
}

let root: string | undefined;

/** The folder gpuwarden is installed in (or the checkout's root). */
export function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** The default rule pack (rules/*.json) shipped in the package. */
export function packagedRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/** DS01's example resource-limits.yaml shipped in the package: the limits used when none are named. */
export function packagedLimitsPath(): string {
  return join(packageRoot(), 'config', 'resource-limits.example.yaml');
}
