import type { EffectiveAggregate, EffectiveLimits } from './effective-limits.ts';

const UNLIMITED = 'unlimited';

function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function limit(n: number | null, unit = ''): string {
  return n === null ? UNLIMITED : `${num(n)}${unit}`;
}

function duration(n: number | null, unit: 'h' | 'm' | 's', exempt = false): string {
  const base = n === null ? 'no limit' : `${num(n)} ${unit}`;
  return exempt ? `${base} (exempt)` : base;
}

/** Bytes as the largest binary unit that keeps it readable: `103079215104` → `96 GiB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return UNLIMITED;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${num(value)} ${units[i]}`;
}

function aggregateText(a: EffectiveAggregate | null): string {
  if (a === null) return 'none (no per-user cap)';
  const cpu = a.cpuQuotaPct === null ? UNLIMITED : `${num(a.cpuQuotaPct)}%`;
  return `cpu ${cpu}, memory max ${formatBytes(a.memoryMaxBytes)}, memory high ${formatBytes(a.memoryHighBytes)}, tasks ${limit(a.tasksMax)}, GPU ${limit(a.gpuLimit, ' gpueq')}`;
}

const SOURCE_WORDS = { members: 'member list', 'group-overrides': 'group-overrides.txt', default_group: 'default_group' } as const;

/** The rows of a user's effective-limits table: [what, value]. */
export function limitsRows(l: EffectiveLimits): [string, string][] {
  const exempt = (k: 'idle_timeout_h' | 'max_runtime_h'): boolean => l.exemptFrom.includes(k);
  const group =
    l.group === l.memberGroup
      ? `${l.group} (${SOURCE_WORDS[l.memberGroupSource]})`
      : `${l.group} (user override; member of ${l.memberGroup} by ${SOURCE_WORDS[l.memberGroupSource]})`;
  const p = l.policies;
  return [
    ['sanitised user', l.sanitisedUser],
    ['group', group],
    ['GPU quota', limit(l.maxGpuEquivalents, ' gpueq')],
    ['GPU slots per container', limit(l.maxGpuSlotsPerContainer)],
    ['full GPUs allowed', l.allowFullGpu ? 'yes' : 'no'],
    ['containers per user', limit(l.maxContainersPerUser)],
    ['max runtime', duration(l.maxRuntimeH, 'h', exempt('max_runtime_h'))],
    ['idle timeout', duration(l.idleTimeoutH, 'h', exempt('idle_timeout_h'))],
    ['GPU hold after stop', duration(l.gpuHoldAfterStopH, 'h')],
    ['container hold after stop', duration(l.containerHoldAfterStopH, 'h')],
    ['aggregate', aggregateText(l.aggregate)],
    [
      'idle detection',
      `GPU < ${num(p.gpuIdleThresholdPct)}%, CPU < ${num(p.cpuIdleThresholdPct)}%, network < ${formatBytes(p.networkIdleThresholdBytes)}, ${p.idleDetectionWindow} checks, grace ${duration(p.gracePeriodM, 'm')}`,
    ],
    ['high demand', `at ${num(p.highDemandThreshold * 100)}% of GPUs allocated, idle timeout × ${num(p.highDemandIdleReduction)}`],
    ['created, never started', duration(p.createdContainerTimeoutM, 'm')],
    ['exempt from', l.exemptFrom.length === 0 ? 'nothing' : l.exemptFrom.join(', ')],
    ['admin', l.isAdmin ? 'yes' : 'no'],
    ['bare-metal GPU use allowed', l.bareMetalExempt ? 'yes' : 'no'],
  ];
}

/** A user's effective limits as a two-column text table, headed by the user name. */
export function renderLimitsTable(l: EffectiveLimits): string {
  const rows = limitsRows(l);
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`Effective limits of ${l.user}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n') + '\n';
}
