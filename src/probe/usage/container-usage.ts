// Rates from two readings of a container's counters: CPU %, network bytes/s, and the active process count.
import type { ContainerUsage } from '../../snapshot/schema.ts';
import type { RawContainerCounters } from '../raw-capture.ts';
import { countActiveProcesses } from './active-processes.ts';
import { parseCpuacctUsageUsec, parseCpuStatUsageUsec, parseNetDevBytes, type NetBytes } from './parse-counters.ts';

/** One reading, parsed. */
export interface CounterSample {
  atMs: number;
  startedAt: string | null;
  cpuUsec: number | null;
  net: NetBytes | null;
  activeProcessCount: number | null;
}

// A reading is parsed twice: as this cycle's, then as the next cycle's previous one. Readings are never modified
// after they are read, so the sample is kept with the reading object and dropped with it.
const SAMPLES = new WeakMap<RawContainerCounters, CounterSample>();

/** Parse the raw files of one reading (once per reading object); unreadable or absent files give nulls. */
export function sampleOf(raw: RawContainerCounters): CounterSample {
  let sample = SAMPLES.get(raw);
  if (sample === undefined) {
    sample = parseSample(raw);
    SAMPLES.set(raw, sample);
  }
  return sample;
}

function parseSample(raw: RawContainerCounters): CounterSample {
  const cpuUsec =
    raw.cpuStat !== undefined ? parseCpuStatUsageUsec(raw.cpuStat) : raw.cpuacctUsage !== undefined ? parseCpuacctUsageUsec(raw.cpuacctUsage) : null;
  return {
    atMs: Date.parse(raw.readAt),
    startedAt: raw.startedAt,
    cpuUsec,
    net: raw.netDev === undefined ? null : parseNetDevBytes(raw.netDev),
    activeProcessCount: countActiveProcesses(raw.cgroupProcs, raw.comms),
  };
}

function rate(prev: number | null | undefined, cur: number | null | undefined, intervalS: number): number | null {
  if (prev === null || prev === undefined || cur === null || cur === undefined || cur < prev) return null;
  return (cur - prev) / intervalS;
}

/**
 * Usage between two readings of the same container run (same `startedAt`); null when they are of different runs
 * or out of order. A counter that went backwards gives null for that value, never a negative rate.
 */
export function usageBetween(prev: CounterSample, cur: CounterSample): ContainerUsage | null {
  if (prev.startedAt !== cur.startedAt || !Number.isFinite(prev.atMs) || !Number.isFinite(cur.atMs)) return null;
  const intervalS = (cur.atMs - prev.atMs) / 1000;
  if (intervalS <= 0) return null;
  const cpuUsecPerS = rate(prev.cpuUsec, cur.cpuUsec, intervalS);
  const rx = rate(prev.net?.rxBytes, cur.net?.rxBytes, intervalS);
  const tx = rate(prev.net?.txBytes, cur.net?.txBytes, intervalS);
  return {
    intervalS,
    cpuPct: cpuUsecPerS === null ? null : Math.round(cpuUsecPerS / 1e4 * 10) / 10,
    netRxBytesPerS: rx === null ? null : Math.round(rx),
    netTxBytesPerS: tx === null ? null : Math.round(tx),
    activeProcessCount: cur.activeProcessCount,
  };
}
