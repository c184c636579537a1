// The bundled pack is generated from rules/ and config/: it must match them, and parse with the Node loaders.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKER_PACK } from './worker-pack.ts';

describe('src/server/worker-pack.ts', () => {
  it('is up to date with rules/ and config/resource-limits.example.yaml (else: node scripts/gen-worker-pack.mjs)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-worker-pack.mjs', '--check'], { stdio: 'pipe', timeout: 10_000 })).not.toThrow();
  });

  it('carries every rule file of rules/ and no schema', () => {
    const files = readdirSync('rules').filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
    expect(WORKER_PACK.rules.map((r) => r.path)).toEqual(files.map((n) => `rules/${n}`));
    expect(WORKER_PACK.limits.file).toBe('resource-limits.example.yaml');
  });
});
