import type { Alert } from '../alerts/alert.ts';
import type { LimitsView } from '../engine/facts/limits-view.ts';
import type { Grant } from '../enforcement/grant.ts';
import type { ActionTiming } from '../enforcement/plan-actions.ts';
import type { PlannedRecipient } from '../notify/plan.ts';
import type { RuleSet } from './rule-set.ts';

/**
 * What a reload may replace in a running core (rules, limits, routing, grants from config, timing bounds). The core
 * reads it through one reference swapped at once, so an evaluation sees all of the old config or all of the new.
 */
export interface CoreConfig {
  rules: RuleSet;
  limits: LimitsView;
  /** How far a probe's clock may be off before its snapshots are evaluated at receive time (default 2 min). */
  maxClockSkewMs?: number;
  /** How long a source may stay unreadable before the alerts that need it resolve as source-unavailable (default 30 min). */
  staleResolveAfterMs?: number;
  /** Snapshots older than this on arrival (spooled too long) are stored, not evaluated (default 24 h). */
  maxSnapshotAgeMs?: number;
  /** Who hears about an alert (routing + user directory); without it no notification is queued. */
  recipientsOf?: (alert: Alert) => PlannedRecipient[];
  /** When planned stops and signals become due and expire (default DEFAULT_ACTION_TIMING). */
  actionTiming?: ActionTiming;
  /** The grants that may be in force at `at` (store + lifecycle exemptions): a granted user's alert is FYI and plans no action. */
  grants?: (at: Date) => Promise<readonly Grant[]>;
}

/** A CoreConfig with its defaults filled in and the values derived from it, as one evaluation uses them. */
export interface CoreSettings {
  rules: RuleSet;
  limits: LimitsView;
  maxSkewMs: number;
  staleResolveAfterMs: number;
  maxAgeMs: number;
  recipientsOf: ((alert: Alert) => PlannedRecipient[]) | undefined;
  actionTiming: ActionTiming | undefined;
  grants: ((at: Date) => Promise<readonly Grant[]>) | undefined;
  /** A rule's keep_firing_for in seconds (pack default: two probe intervals, so one odd snapshot does not resolve). */
  keepFiringForSec: (rule: string) => number;
  /** A gap between snapshots longer than this restarts pending `for` timers (the host-silent bound). */
  silentGapMs: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Fill in the defaults of a CoreConfig and derive what each evaluation needs. */
export function coreSettings(config: CoreConfig): CoreSettings {
  const { rules, limits } = config;
  return {
    rules,
    limits,
    maxSkewMs: config.maxClockSkewMs ?? 2 * MINUTE_MS,
    staleResolveAfterMs: config.staleResolveAfterMs ?? 30 * MINUTE_MS,
    maxAgeMs: config.maxSnapshotAgeMs ?? DAY_MS,
    recipientsOf: config.recipientsOf,
    actionTiming: config.actionTiming,
    grants: config.grants,
    keepFiringForSec: (rule) => rules.keepFiringForSecOf.get(rule) ?? 2 * limits.probeIntervalS,
    silentGapMs: limits.probeIntervalS * limits.hostSilentAfterIntervals * 1000,
  };
}
