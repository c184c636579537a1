import { resolve } from 'node:path';
import type { AuthConfig } from '../../server/auth.ts';
import { SERVICE_DEFAULTS } from './service-defaults.ts';
import type { LogFormat, LogLevel } from '../../log/logger.ts';
import type { LocalProbeConfig } from './local-probe-config.ts';

/** The rules service's settings after loading: paths absolute, tokens as SHA-256 hex only, defaults filled in. */
export interface ServiceConfig {
  /** The file it came from; null for the embedded defaults. */
  source: string | null;
  listen: { host: string; port: number };
  /** `memory:` or the SQLite file (absolute). */
  store: string;
  auth: AuthConfig;
  limitsPath: string;
  rulesDir: string;
  /** notifications.yaml (receivers and routes); null = no notifications are sent. */
  notificationsPath: string | null;
  /** users.yaml (how to reach each person); null = owners are reached only through email patterns (none). */
  usersPath: string | null;
  probeIntervalS: number;
  hostSilentAfterIntervals: number;
  /** Half-life of the decayed GPU-hours behind fair share. */
  fairShareHalfLifeH: number;
  tickIntervalS: number;
  /** How far a probe's clock may be off before its snapshots are evaluated at receive time (probe-clock-skew fires). */
  maxClockSkewS: number;
  /** Minutes a source may stay unreadable before alerts that need it resolve as source-unavailable. */
  sourceUnavailableResolveAfterM: number;
  /** Snapshots older than this when they arrive are stored, not evaluated. */
  maxSnapshotAgeH: number;
  bodyLimitBytes: number;
  /** `public_url:`: the web view's public base URL (no trailing slash); null when not set (sign-in links are then paths). */
  publicUrl: string | null;
  /** Seconds between the notice that announces a stop or signal and the earliest moment the probe may act. */
  enforcementGraceS: number;
  /** Seconds a due action stays valid; past it, it expires unanswered. */
  enforcementLifetimeS: number;
  /** `log:` of the file (--log-level / --log-format win); absent = info, and JSON unless stderr is a terminal. */
  log?: { level?: LogLevel; format?: LogFormat };
  /** `local_probe:` (serve also probes this machine); absent when the file has no such section. */
  localProbe?: LocalProbeConfig;
}

export { SERVICE_DEFAULTS } from './service-defaults.ts';

/** The store spec for an in-memory store (nothing survives a restart). */
export const MEMORY_STORE_SPEC = 'memory:';

/** A store spec with a relative SQLite path made absolute against baseDir; `memory:` stays as it is. */
export function resolveStoreSpec(spec: string, baseDir: string): string {
  return spec === MEMORY_STORE_SPEC ? spec : resolve(baseDir, spec);
}

/** Where the defaults of path keys point, absolute (see default-paths.ts): never the folder serve runs in. */
export interface ServiceDefaultPaths {
  store: string;
  rulesDir: string;
  limitsPath: string;
}

/** The configuration `gpuwarden serve` runs on without a config file: no host tokens, so no probe can post yet. */
export function defaultServiceConfig(paths: ServiceDefaultPaths): ServiceConfig {
  return {
    source: null,
    listen: { ...SERVICE_DEFAULTS.listen },
    store: paths.store,
    auth: { hosts: [], admins: [] },
    limitsPath: paths.limitsPath,
    rulesDir: paths.rulesDir,
    notificationsPath: null,
    usersPath: null,
    probeIntervalS: SERVICE_DEFAULTS.probeIntervalS,
    hostSilentAfterIntervals: SERVICE_DEFAULTS.hostSilentAfterIntervals,
    fairShareHalfLifeH: SERVICE_DEFAULTS.fairShareHalfLifeH,
    tickIntervalS: SERVICE_DEFAULTS.tickIntervalS,
    maxClockSkewS: SERVICE_DEFAULTS.maxClockSkewS,
    sourceUnavailableResolveAfterM: SERVICE_DEFAULTS.sourceUnavailableResolveAfterM,
    maxSnapshotAgeH: SERVICE_DEFAULTS.maxSnapshotAgeH,
    bodyLimitBytes: SERVICE_DEFAULTS.bodyLimitBytes,
    publicUrl: null,
    enforcementGraceS: SERVICE_DEFAULTS.enforcementGraceS,
    enforcementLifetimeS: SERVICE_DEFAULTS.enforcementLifetimeS,
  };
}
