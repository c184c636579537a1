// The rules service's default settings, free of Node imports (the Worker uses them too).

/**
 * The embedded defaults. Never relative to the folder serve runs in: `store` is a file name inside the state folder
 * (src/state-dir.ts), `limits` and `rules` are relative to the installed package (its own rule pack and DS01's limits).
 */
export const SERVICE_DEFAULTS = {
  listen: { host: '127.0.0.1', port: 8787 },
  store: 'gpuwarden.sqlite',
  limits: 'config/resource-limits.example.yaml',
  rules: 'rules',
  probeIntervalS: 30,
  hostSilentAfterIntervals: 3,
  fairShareHalfLifeH: 24,
  tickIntervalS: 15,
  maxClockSkewS: 120,
  sourceUnavailableResolveAfterM: 30,
  maxSnapshotAgeH: 24,
  bodyLimitBytes: 4 * 1024 * 1024,
  enforcementGraceS: 300,
  enforcementLifetimeS: 3600,
} as const;
