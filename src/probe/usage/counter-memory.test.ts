import { describe, expect, it } from 'vitest';
import type { RawCapture, RawContainerCounters } from '../raw-capture.ts';
import { createCounterMemory } from './counter-memory.ts';

const reading = (readAt: string): RawContainerCounters => ({ readAt, startedAt: 'S', pid: 1, networkMode: null, cpuStat: 'usage_usec 1\n' });
function cycle(counters: Map<string, RawContainerCounters>, previousCounters = new Map<string, RawContainerCounters>()): RawCapture {
  return {
    meta: { host: 'h', takenAt: '2026-12-03T08:00:00Z', bootTimeSec: null, clockTicksPerSec: 100 },
    nvidiaSmiXml: null, nvidiaSmiList: null, dockerInspect: null, mountOwners: {}, passwd: null, proc: new Map(), notes: [], exitedPids: [],
    counters, previousCounters,
  };
}

describe('createCounterMemory', () => {
  it('first cycle: nothing previous; next cycles: the cycle before, and nothing older', () => {
    const memory = createCounterMemory();
    const a = new Map([['x', reading('2026-12-03T08:00:00Z')]]);
    const b = new Map([['x', reading('2026-12-03T08:00:30Z')], ['y', reading('2026-12-03T08:00:30Z')]]);
    const c = new Map([['y', reading('2026-12-03T08:01:00Z')]]);
    expect(memory.carry(cycle(a)).previousCounters.size).toBe(0);
    expect(memory.carry(cycle(b)).previousCounters).toBe(a);
    const third = memory.carry(cycle(c));
    expect(third.previousCounters).toBe(b);
    expect(third.counters).toBe(c);
  });

  it('a capture that holds its own previous reading keeps it', () => {
    const memory = createCounterMemory();
    memory.carry(cycle(new Map([['x', reading('2026-12-03T07:00:00Z')]])));
    const own = new Map([['x', reading('2026-12-03T08:00:00Z')]]);
    expect(memory.carry(cycle(new Map([['x', reading('2026-12-03T08:00:30Z')]]), own)).previousCounters).toBe(own);
  });
});
