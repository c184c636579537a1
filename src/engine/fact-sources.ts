import type { ErrorSource } from '../snapshot/schema.ts';
import type { Scope } from './subject.ts';

/**
 * Which probe sources a scope's subjects and facts come from. `base`: what every subject of the scope needs
 * (no docker, no containers to iterate); `facts`: what a fact needs beyond that. A rule needs the union of its
 * scope's base and the facts its conditions read: when one of those sources failed in a snapshot, the rule's
 * alerts neither fire nor resolve from it (they are marked stale).
 */
export const FACT_SOURCES: Record<Scope, { base: readonly ErrorSource[]; facts: Readonly<Record<string, readonly ErrorSource[]>> }> = {
  gpuProcess: {
    base: ['gpu'],
    facts: {
      kind: ['proc'],
      system: ['proc'],
      name: ['proc'],
      user: ['proc', 'users', 'docker'],
      userKnown: ['proc', 'users', 'docker'],
      userSource: ['proc', 'users', 'docker'],
      uid: ['proc'],
      secondsSeen: ['proc'],
      containerKnown: ['proc', 'docker'],
      containerClass: ['proc', 'docker'],
      bareMetalExempt: ['proc', 'users'],
    },
  },
  container: {
    base: ['docker'],
    facts: {
      // `--gpus all` is as many units as the host has GPUs: unknown while nvidia-smi fails.
      gpuSlots: ['gpu'],
      gpuSlotsRatio: ['gpu'],
      gpuEquivalents: ['gpu'],
      holdsGpu: ['gpu'],
      gpuUtilizationPct: ['gpu', 'proc'],
      idleMinutes: ['gpu', 'proc'],
      idleTimeoutMinutes: ['gpu'],
      idleRatio: ['gpu', 'proc'],
      missingGpuDevices: ['gpu'],
      missingGpuDeviceCount: ['gpu'],
      activitySignal: ['gpu', 'proc'],
      cpuPct: ['usage'],
      netRxBytesPerS: ['usage'],
      activeProcessCount: ['usage'],
    },
  },
  user: {
    base: ['docker'],
    facts: {
      gpuEquivalentsUsed: ['gpu'],
      gpuQuotaRatio: ['gpu'],
      gpuContainers: ['gpu'],
      hostGpuProcesses: ['gpu', 'proc', 'users'],
      decayedGpuHours: ['gpu'],
      fairShareGpuHours: ['gpu'],
      fairShareRatio: ['gpu'],
      capacityFreeRatio: ['gpu'],
    },
  },
  gpu: {
    base: ['gpu'],
    facts: {
      allocated: ['docker', 'proc'],
      users: ['docker', 'proc', 'users'],
      slotHolders: ['docker'],
      idleMinutes: ['docker', 'proc'],
    },
  },
  host: {
    base: [],
    facts: {
      gpuCount: ['gpu'],
      totalGpuEquivalents: ['gpu'],
      freeGpuEquivalents: ['gpu', 'docker'],
      freeRatio: ['gpu', 'docker'],
    },
  },
};

/** The sources a rule of `scope` reading `facts` needs, sorted. */
export function sourcesNeeded(scope: Scope, facts: Iterable<string>): ErrorSource[] {
  const table = FACT_SOURCES[scope];
  const out = new Set<ErrorSource>(table.base);
  for (const f of facts) for (const s of table.facts[f] ?? []) out.add(s);
  return [...out].sort();
}

/**
 * Sources that failed in a snapshot: those with an entry in `errors[]`. A source the probe was told not to read
 * (`disabledSources`) is a declared choice, not a failure: its facts are simply absent (no containers without
 * Docker), so its alerts resolve as the condition clears.
 */
export function failedSources(snapshot: { errors: readonly { source: ErrorSource }[]; disabledSources?: readonly ErrorSource[] }): Set<ErrorSource> {
  const disabled = new Set(snapshot.disabledSources ?? []);
  return new Set(snapshot.errors.map((e) => e.source).filter((s) => !disabled.has(s)));
}
