import { describe, expect, it } from 'vitest';
import { sampleAlert } from '../test-support.ts';
import { endedUntracked, sourcesText, staleText, untrackedText } from './staleness.ts';

describe('sourcesText', () => {
  it.each([
    [[], 'a data source'],
    [['docker'], 'docker'],
    [['docker', 'gpu'], 'docker and gpu'],
    [['docker', 'gpu', 'proc'], 'docker, gpu and proc'],
    [['dock\ner', ''], 'dock er'],
  ])('%j → %s', (sources, text) => {
    expect(sourcesText(sources)).toBe(text);
  });
});

describe('stale and untracked alerts', () => {
  const stale = { since: '2026-11-25T17:05:31.000Z', sources: ['docker'] };

  it('a stale alert is "not re-checked since <time>: <sources> unreadable"; a fresh one says nothing', () => {
    expect(staleText(sampleAlert({ rule: 'r', stale }))).toBe('not re-checked since 2026-11-25 17:05 UTC: docker unreadable');
    expect(staleText(sampleAlert({ rule: 'r', stale: { ...stale, sources: ['docker', 'gpu'] } }))).toBe('not re-checked since 2026-11-25 17:05 UTC: docker and gpu unreadable');
    expect(staleText(sampleAlert({ rule: 'r' }))).toBeNull();
    expect(staleText(sampleAlert({ rule: 'r', stale: null }))).toBeNull();
  });

  it('only resolvedReason source-unavailable counts as ended untracked', () => {
    expect(endedUntracked(sampleAlert({ rule: 'r', state: 'resolved', resolvedReason: 'source-unavailable' }))).toBe(true);
    expect(endedUntracked(sampleAlert({ rule: 'r', state: 'resolved', resolvedReason: 'cleared' }))).toBe(false);
    expect(endedUntracked(sampleAlert({ rule: 'r', state: 'resolved' }))).toBe(false);
  });

  it('an untracked ending never says the problem is fixed', () => {
    const a = sampleAlert({ rule: 'r', state: 'resolved', resolvedReason: 'source-unavailable', stale });
    expect(untrackedText(a, 'admin')).toBe('No longer tracked: docker has been unreadable since 2026-11-25 17:05 UTC; gpuwarden cannot tell whether this is still the case.');
    expect(untrackedText({ ...a, stale: { ...stale, sources: ['docker', 'gpu'] } }, 'admin')).toBe(
      'No longer tracked: docker and gpu have been unreadable since 2026-11-25 17:05 UTC; gpuwarden cannot tell whether this is still the case.',
    );
    expect(untrackedText(a, 'user')).toBe('No longer tracked: gpuwarden has not been able to read docker on ds01 since 2026-11-25 17:05 UTC, so it cannot tell whether this still applies.');
    expect(untrackedText({ ...a, stale: null }, 'admin')).toBe('No longer tracked: a data source has been unreadable; gpuwarden cannot tell whether this is still the case.');
    for (const audience of ['user', 'admin'] as const) expect(untrackedText(a, audience)).not.toMatch(/resolved|fixed|nothing to do/i);
  });
});
