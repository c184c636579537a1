import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit.ts';

describe('mapLimit', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6, 7, 8, 9], 3, async (n, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6', '7:7', '8:8', '9:9']);
    expect(peak).toBe(3);
  });

  it('handles empty input and silly limits', async () => {
    expect(await mapLimit([], 8, async (x: number) => x)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (x) => x * 2)).toEqual([2, 4]);
    expect(await mapLimit([1, 2], Number.NaN, async (x) => x * 2)).toEqual([2, 4]);
  });

  it('rejects when a call rejects', async () => {
    await expect(mapLimit([1, 2, 3], 2, async (x) => { if (x === 2) throw new Error('boom'); return x; })).rejects.toThrow('boom');
  });
});
