// Test helpers: the DS01 fixture folder as LimitsSources, and small configs written inline.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem } from './config-problem.ts';
import { parseLimits, type LimitsConfig, type LimitsSources } from './limits-config.ts';

/** The DS01 fixture folder (real resource-limits.yaml + synthetic side files). */
export const DS01_DIR = 'test/fixtures/config/ds01';

/** A time at which the fixture's h.baker exemption is active and q.postdoc's has expired. */
export const DS01_NOW = new Date('2026-05-01T12:00:00Z');

function read(name: string): { file: string; text: string } {
  const file = join(DS01_DIR, name);
  return { file, text: readFileSync(file, 'utf8') };
}

/** The DS01 fixture folder as sources, with any part replaced. */
export function ds01Sources(replace: Partial<LimitsSources> = {}): LimitsSources {
  const groupsDir = join(DS01_DIR, 'groups');
  return {
    limits: read('resource-limits.yaml'),
    memberFiles: readdirSync(groupsDir)
      .filter((n) => n.endsWith('.members'))
      .sort()
      .map((n) => ({ ...read(join('groups', n)), group: n.replace(/\.members$/, '') })),
    userOverrides: read('user-overrides.yaml'),
    lifecycleExemptions: read('lifecycle-exemptions.yaml'),
    groupOverrides: read('group-overrides.txt'),
    ...replace,
  };
}

/** Parse sources that must be valid; throws with every problem otherwise. */
export function parseOk(sources: LimitsSources): LimitsConfig {
  const r = parseLimits(sources);
  if (r.config === null) throw new Error(`expected a valid config:\n${r.problems.map(formatProblem).join('\n')}`);
  return r.config;
}

/** Sources made of one inline limits file (plus optional side files). */
export function inline(text: string, more: Partial<LimitsSources> = {}): LimitsSources {
  return { limits: { file: 'resource-limits.yaml', text }, ...more };
}

/** The formatted problems of some sources. */
export function problemsOf(sources: LimitsSources): string[] {
  return parseLimits(sources).problems.map((p) => `${p.severity}: ${formatProblem(p)}`);
}
