// The bundled pack is generated from rules/ and config/: it must match them, and equal what the Node loaders read.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLimits } from '../config/limits/limits-config.ts';
import { loadRules } from '../engine/rules/load.ts';
import { packLoadOptions } from '../service/rule-set-from-pack.ts';
import { WORKER_PACK } from './worker-pack.ts';

const ruleFiles = readdirSync('rules').filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();

describe('src/server/worker-pack.ts', () => {
  it('is up to date with rules/ and config/resource-limits.example.yaml (else: npm run worker:pack)', () => {
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-worker-pack.ts', '--check'], { stdio: 'pipe', timeout: 30_000 })).not.toThrow();
  });

  it('carries every rule of rules/, exactly as the loader reads it from disk', () => {
    expect(WORKER_PACK.ruleFiles).toEqual(ruleFiles.map((n) => `rules/${n}`));
    const loaded = loadRules(ruleFiles.map((n) => ({ path: `rules/${n}`, text: readFileSync(`rules/${n}`, 'utf8') })), packLoadOptions());
    expect(loaded.problems).toEqual([]);
    expect(WORKER_PACK.rules).toStrictEqual(loaded.rules);
  });

  it('carries the limits exactly as parseLimits reads the file (Maps included)', () => {
    const text = readFileSync('config/resource-limits.example.yaml', 'utf8');
    const parsed = parseLimits({ limits: { file: 'resource-limits.example.yaml', text } });
    expect(WORKER_PACK.limits).toStrictEqual(parsed.config);
    expect(WORKER_PACK.limits.groups).toBeInstanceOf(Map);
  });
});
