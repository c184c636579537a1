import { describe, expect, it } from 'vitest';
import { FACT_CATALOGUE } from './fact-catalogue.ts';
import { FACT_SOURCES, failedSources, sourcesNeeded } from './fact-sources.ts';
import { SCOPES } from './subject.ts';

describe('FACT_SOURCES', () => {
  it.each(SCOPES)('%s: names only facts of the catalogue', (scope) => {
    const unknown = Object.keys(FACT_SOURCES[scope].facts).filter((f) => !(f in FACT_CATALOGUE[scope]));
    expect(unknown).toEqual([]);
  });

  it('a rule needs its scope base and what its facts read, sorted and without repeats', () => {
    expect(sourcesNeeded('container', ['state'])).toEqual(['docker']);
    expect(sourcesNeeded('container', ['idleRatio', 'protected', 'idleMinutes'])).toEqual(['docker', 'gpu', 'proc']);
    expect(sourcesNeeded('host', ['errorCount'])).toEqual([]);
    expect(sourcesNeeded('host', ['freeRatio'])).toEqual(['docker', 'gpu']);
    expect(sourcesNeeded('gpuProcess', ['kind', 'system', 'bareMetalExempt'])).toEqual(['gpu', 'proc', 'users']);
    // Idle detection falls back on GPU processes when usage counters are missing: unreadable counters stale nothing.
    expect(sourcesNeeded('container', ['idleRatio'])).not.toContain('usage');
    expect(sourcesNeeded('container', ['cpuPct'])).toEqual(['docker', 'usage']);
  });
});

describe('failedSources', () => {
  it('is the sources with errors, less those the probe was told not to read', () => {
    const errors = [{ source: 'docker' as const }, { source: 'gpu' as const }, { source: 'docker' as const }];
    expect([...failedSources({ errors })].sort()).toEqual(['docker', 'gpu']);
    expect([...failedSources({ errors, disabledSources: ['docker'] })]).toEqual(['gpu']);
    expect([...failedSources({ errors: [] })]).toEqual([]);
  });
});
