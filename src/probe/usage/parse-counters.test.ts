import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCpuacctUsageUsec, parseCpuStatUsageUsec, parseNetDevBytes } from './parse-counters.ts';
import { fixture } from './test-fixtures.ts';

describe('parseCpuStatUsageUsec (cgroup v2 cpu.stat)', () => {
  it('reads usage_usec of the real captures', () => {
    expect(parseCpuStatUsageUsec(fixture('gwp-burn', 1, 'v2-cpu.stat'))).toBe(9145700);
    expect(parseCpuStatUsageUsec(fixture('gwp-burn', 2, 'v2-cpu.stat'))).toBe(9670679);
  });

  it('reads a kernel with more keys (cpu controller enabled) and refuses garbage', () => {
    expect(parseCpuStatUsageUsec('usage_usec 12\nuser_usec 10\nsystem_usec 2\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n')).toBe(12);
    expect(parseCpuStatUsageUsec('user_usec 10\n')).toBeNull();
    expect(parseCpuStatUsageUsec('usage_usec -3\n')).toBeNull();
    expect(parseCpuStatUsageUsec('')).toBeNull();
  });
});

describe('parseCpuacctUsageUsec (cgroup v1 cpuacct.usage, ns)', () => {
  it('reads the real capture in µs, agreeing with v2 within the read gap', () => {
    const v1 = parseCpuacctUsageUsec(fixture('gwp-burn', 1, 'v1-cpuacct.usage')) ?? 0;
    const v2 = parseCpuStatUsageUsec(fixture('gwp-burn', 1, 'v2-cpu.stat')) ?? 0;
    expect(v1).toBeGreaterThan(0);
    expect(Math.abs(v2 - v1)).toBeLessThan(50_000);
  });

  it('refuses anything but one integer', () => {
    expect(parseCpuacctUsageUsec('3580567296\n')).toBe(3580567);
    expect(parseCpuacctUsageUsec('12 34')).toBeNull();
    expect(parseCpuacctUsageUsec('')).toBeNull();
  });
});

describe('parseNetDevBytes', () => {
  it('a --network none container has only lo: zero bytes, not unknown', () => {
    expect(parseNetDevBytes(fixture('gwp-sleep', 1, 'net-dev'))).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  it('sums every interface but lo (real host namespace: eth0 + ifb0 + ifb1)', () => {
    const text = fixture('gwp-host', 1, 'net-dev');
    const eth0 = /eth0:\s+(\d+)(?:\s+\d+){7}\s+(\d+)/.exec(text);
    expect(parseNetDevBytes(text)).toEqual({ rxBytes: Number(eth0?.[1]), txBytes: Number(eth0?.[2]) });
  });

  it('handles interface names glued to the counters and refuses text without interfaces', () => {
    const glued = 'Inter-|   Receive\n face |bytes\n  eth0:123 1 0 0 0 0 0 0 456 2 0 0 0 0 0 0\n    lo: 9 1 0 0 0 0 0 0 9 1 0 0 0 0 0 0\n';
    expect(parseNetDevBytes(glued)).toEqual({ rxBytes: 123, txBytes: 456 });
    expect(parseNetDevBytes('Inter-|   Receive\n face |bytes\n')).toBeNull();
    expect(parseNetDevBytes('')).toBeNull();
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => {
      const r = parseNetDevBytes(t);
      expect(r === null || (r.rxBytes >= 0 && r.txBytes >= 0)).toBe(true);
    }), { numRuns: 300 });
  });
});
