import { describe, expect, it } from 'vitest';
import { fairShareOf } from './user-facts.ts';

describe('fairShareOf', () => {
  it('is an equal part of the decayed GPU-hours among the people who used GPUs recently or hold some now', () => {
    expect(fairShareOf([
      { decayedGpuHours: 9, gpuEquivalents: 0 },
      { decayedGpuHours: 3, gpuEquivalents: 1 },
      { decayedGpuHours: 0, gpuEquivalents: 0.5 },
      { decayedGpuHours: 0.001, gpuEquivalents: 0 },
    ])).toBe(4);
  });

  it('is null when nobody used GPUs', () => {
    expect(fairShareOf([])).toBeNull();
    expect(fairShareOf([{ decayedGpuHours: 0.001, gpuEquivalents: 0 }])).toBeNull();
    expect(fairShareOf([{ decayedGpuHours: 0, gpuEquivalents: 2 }])).toBeNull();
  });
});
