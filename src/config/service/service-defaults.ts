// The rules service's default settings, free of Node imports (the Worker uses them too).

/** The embedded defaults; their paths are relative to the folder serve runs in (with or without a config file). */
export const SERVICE_DEFAULTS = {
  listen: { host: '127.0.0.1', port: 8787 },
  store: './data/gpuwarden.sqlite',
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
