// The real counter captures of test/fixtures/cgroup-usage (see its PROVENANCE.md), for the usage tests.
import { readFileSync } from 'node:fs';
import type { RawContainerCounters } from '../raw-capture.ts';

/** The three captured containers. */
export type CapturedContainer = 'gwp-burn' | 'gwp-sleep' | 'gwp-host';

/** One file of one reading of a captured container. */
export function fixture(container: CapturedContainer, reading: 1 | 2, file: string): string {
  return readFileSync(new URL(`../../../test/fixtures/cgroup-usage/${container}/reading-${reading}/${file}`, import.meta.url), 'utf8');
}

/** A reading as the collector records it, from the v1 or the v2 files of the capture. */
export function capturedReading(container: CapturedContainer, reading: 1 | 2, version: 'v1' | 'v2'): RawContainerCounters {
  const host = container === 'gwp-host';
  return {
    readAt: fixture(container, reading, 'read-at.txt').trim(),
    startedAt: '2026-12-03T08:36:00.000000000Z',
    pid: Number(fixture(container, reading, 'v2-cgroup.procs').trim().split('\n')[0]),
    networkMode: host ? 'host' : 'none',
    cgroup: fixture(container, reading, 'proc-cgroup'),
    ...(version === 'v1' ? { cpuacctUsage: fixture(container, reading, 'v1-cpuacct.usage') } : { cpuStat: fixture(container, reading, 'v2-cpu.stat') }),
    cgroupProcs: fixture(container, reading, `${version}-cgroup.procs`),
    comms: fixture(container, reading, 'comms.txt'),
    ...(host ? {} : { netDev: fixture(container, reading, 'net-dev') }),
  };
}
