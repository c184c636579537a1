import { describe, expect, it } from 'vitest';
import { containerUsageSchema } from '../../snapshot/schema.ts';
import { sampleOf, usageBetween, type CounterSample } from './container-usage.ts';
import { capturedReading } from './test-fixtures.ts';

describe('usageBetween on the real captures', () => {
  it.each(['v1', 'v2'] as const)('the busy container (%s files): about half a core on this shared VM, no network, 0 active processes', (v) => {
    const u = usageBetween(sampleOf(capturedReading('gwp-burn', 1, v)), sampleOf(capturedReading('gwp-burn', 2, v)));
    expect(containerUsageSchema.parse(u)).toEqual(u);
    expect(u?.intervalS).toBeCloseTo(1.13, 2);
    expect(u?.cpuPct).toBeGreaterThan(35);
    expect(u?.cpuPct).toBeLessThan(110);
    expect(u).toMatchObject({ netRxBytesPerS: 0, netTxBytesPerS: 0, activeProcessCount: 0 });
  });

  it('the sleeping container: under 1 % CPU and 0 active processes', () => {
    const u = usageBetween(sampleOf(capturedReading('gwp-sleep', 1, 'v2')), sampleOf(capturedReading('gwp-sleep', 2, 'v2')));
    expect(u?.cpuPct).toBeLessThan(1);
    expect(u?.activeProcessCount).toBe(0);
  });

  it('a host-network container has unknown (null) network rates, since host counters are not its own', () => {
    const u = usageBetween(sampleOf(capturedReading('gwp-host', 1, 'v1')), sampleOf(capturedReading('gwp-host', 2, 'v1')));
    expect(u).toMatchObject({ netRxBytesPerS: null, netTxBytesPerS: null });
    expect(u?.cpuPct).not.toBeNull();
  });
});

describe('usageBetween', () => {
  const at = (s: number, over: Partial<CounterSample> = {}): CounterSample => ({
    atMs: s * 1000, startedAt: 'T0', cpuUsec: s * 250_000, net: { rxBytes: s * 1000, txBytes: s * 10 }, activeProcessCount: 2, ...over,
  });

  it('computes % of one core and bytes per second over the interval', () => {
    expect(usageBetween(at(10), at(40))).toEqual({ intervalS: 30, cpuPct: 25, netRxBytesPerS: 1000, netTxBytesPerS: 10, activeProcessCount: 2 });
    expect(usageBetween(at(0, { cpuUsec: 0 }), at(1, { cpuUsec: 2_000_000 }))?.cpuPct).toBe(200);
  });

  it('is null across a restart (another startedAt) and for readings out of order', () => {
    expect(usageBetween(at(10), at(40, { startedAt: 'T1' }))).toBeNull();
    expect(usageBetween(at(40), at(10))).toBeNull();
    expect(usageBetween(at(10), at(10))).toBeNull();
    expect(usageBetween(at(10, { atMs: Number.NaN }), at(20))).toBeNull();
  });

  it('a counter that went backwards or is unknown gives null for that value only', () => {
    const u = usageBetween(at(10), at(20, { cpuUsec: 5, net: null }));
    expect(u).toEqual({ intervalS: 10, cpuPct: null, netRxBytesPerS: null, netTxBytesPerS: null, activeProcessCount: 2 });
  });
});

describe('sampleOf', () => {
  it('parses a reading once: the same reading object gives the same sample, an equal copy its own equal one', () => {
    const reading = capturedReading('gwp-burn', 1, 'v2');
    const first = sampleOf(reading);
    expect(sampleOf(reading)).toBe(first);
    const copy = { ...reading };
    expect(sampleOf(copy)).not.toBe(first);
    expect(sampleOf(copy)).toEqual(first);
  });

  it('a different reading is parsed on its own (no sample leaks across readings)', () => {
    const reading = capturedReading('gwp-burn', 1, 'v2');
    const later = { ...reading, cpuStat: 'usage_usec 42\n', cgroupProcs: '1\n2\n', comms: '1 python3\n2 bash\n' };
    expect(sampleOf(reading).cpuUsec).not.toBe(42);
    expect(sampleOf(later)).toMatchObject({ cpuUsec: 42, activeProcessCount: 1 });
  });
});
