// The routing core runs inside the service (Node and Workers): route.ts and recipients.ts, and everything they import
// at run time, must not touch node:*, npm packages, the clock or the environment.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function runtimeGraph(entries: string[]): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages: string[] = [];
  const queue = entries.map((e) => resolve(e));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (m[2] !== undefined) continue; // import type: erased
      const spec = m[3] ?? m[4] ?? m[5];
      if (spec === undefined) continue;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.push(`${file} → ${spec}`);
    }
  }
  return { files: [...files].sort(), packages };
}

describe('src/notify/route purity', () => {
  const { files, packages } = runtimeGraph(['src/notify/route/route.ts', 'src/notify/route/recipients.ts']);

  it('imports no package at all (not even yaml or node:crypto: the sanitiser is injected)', () => {
    expect(packages).toEqual([]);
    expect(files.some((f) => f.endsWith('src/config/routing/user-directory.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('sanitise-username.ts'))).toBe(false);
  });

  it.each(files.map((f) => [f.slice(f.indexOf('src/')), f]))('%s reads no clock, environment or process', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\bprocess\.|\bDate\.now\(|new Date\(|Math\.random\(/);
  });

  it('the walker does see packages (self-check on the loader)', () => {
    const loader = runtimeGraph(['src/config/routing/load.ts']);
    expect(loader.packages.map((p) => p.split(' → ')[1])).toEqual(expect.arrayContaining(['node:fs/promises', 'yaml', 'zod']));
  });
});
