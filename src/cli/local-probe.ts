// `serve --local-probe`: its flags (merged over gpuwarden.yaml's local_probe:, flag wins) and the start of the loop
// that probes this machine inside the serve process (src/probe/local-loop.ts).
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import type { LocalProbeConfig } from '../config/service/local-probe-config.ts';
import { formatDurationMs } from '../format/duration.ts';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../probe/build-snapshot.ts';
import { collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from '../probe/collect.ts';
import { startLocalLoop, type LocalLoop, type LocalLoopOptions } from '../probe/local-loop.ts';
import { changeNotice, failingSourcesKey, startNotice } from '../probe/local-notice.ts';
import { parseIntervalMs } from '../probe/push/duration.ts';
import { createCounterMemory } from '../probe/usage/counter-memory.ts';
import { SNAPSHOT_HOST_PATTERN } from '../snapshot/schema.ts';
import { redactionFrom, SOURCE_FLAGS } from './source-options.ts';
import { UsageError } from './usage-error.ts';

const { host: _snapshotHost, ...SOURCE_FLAGS_BUT_HOST } = SOURCE_FLAGS;

/** parseArgs options serve adds for its local probe (`--host` stays serve's listen address: the name is --probe-host). */
export const LOCAL_PROBE_FLAGS = {
  'local-probe': { type: 'boolean' },
  'probe-interval': { type: 'string' },
  'probe-host': { type: 'string' },
  'enforcement-config': { type: 'string' },
  ...SOURCE_FLAGS_BUT_HOST,
} as const;

/** The local-probe flags as parseArgs returns them. */
export type LocalProbeFlagValues = Partial<Record<keyof typeof LOCAL_PROBE_FLAGS, string | boolean | string[] | undefined>>;

const EMPTY: LocalProbeConfig = {
  enabled: false,
  intervalMs: null,
  host: null,
  nvidiaSmiPath: null,
  nvidiaSmiTimeoutMs: null,
  docker: true,
  dockerSocketPath: null,
  procRoot: null,
  sysfsRoot: null,
  homeRoot: null,
  redact: [],
  enforcementConfigPath: null,
};

/**
 * The local probe's settings: gpuwarden.yaml's `local_probe:` with the flags written over it (flag wins; paths
 * relative to `cwd`). Undefined when neither asks for it; a source flag without a local probe is a UsageError.
 */
export function localProbeFromFlags(values: LocalProbeFlagValues, base: LocalProbeConfig | undefined, cwd: string): LocalProbeConfig | undefined {
  const enabled = values['local-probe'] === true || base?.enabled === true;
  if (!enabled) {
    const given = Object.keys(LOCAL_PROBE_FLAGS).find((flag) => flag !== 'local-probe' && values[flag as keyof LocalProbeFlagValues] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} only applies with --local-probe (or local_probe: in the config file)`);
    return base;
  }
  const str = (k: keyof LocalProbeFlagValues): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const from = base ?? EMPTY;
  const interval = str('probe-interval');
  const host = str('probe-host');
  const timeout = str('nvidia-smi-timeout-ms');
  const path = (k: keyof LocalProbeFlagValues, fallback: string | null): string | null => (str(k) === undefined ? fallback : resolve(cwd, str(k) ?? ''));
  return {
    enabled: true,
    intervalMs: interval === undefined ? from.intervalMs : intervalFlag(interval),
    host: host === undefined ? from.host : hostFlag(host),
    nvidiaSmiPath: str('nvidia-smi') ?? from.nvidiaSmiPath,
    nvidiaSmiTimeoutMs: timeout === undefined ? from.nvidiaSmiTimeoutMs : positiveMs(timeout),
    docker: values['no-docker'] === true ? false : from.docker,
    dockerSocketPath: path('docker-socket', from.dockerSocketPath),
    procRoot: path('proc-root', from.procRoot),
    sysfsRoot: path('sysfs-root', from.sysfsRoot),
    homeRoot: path('home-root', from.homeRoot),
    redact: [...from.redact, ...(Array.isArray(values.redact) ? values.redact : [])],
    enforcementConfigPath: path('enforcement-config', from.enforcementConfigPath),
  };
}

/** Where the collector reads: the settings, then GPUWARDEN_NVIDIA_SMI / DOCKER_HOST, then the probe's defaults. */
export function localCollectOptions(config: LocalProbeConfig, env: NodeJS.ProcessEnv): CollectOptions {
  const dockerHost = env.DOCKER_HOST;
  if (config.docker && config.dockerSocketPath === null && dockerHost !== undefined && dockerHost !== '' && !dockerHost.startsWith('unix://')) {
    throw new UsageError(`DOCKER_HOST=${dockerHost}: only unix:// sockets are supported`);
  }
  const envSocket = dockerHost?.startsWith('unix://') === true ? dockerHost.slice('unix://'.length) : null;
  return {
    ...DEFAULT_COLLECT_OPTIONS,
    nvidiaSmiPath: config.nvidiaSmiPath ?? (env.GPUWARDEN_NVIDIA_SMI || DEFAULT_COLLECT_OPTIONS.nvidiaSmiPath),
    nvidiaSmiTimeoutMs: config.nvidiaSmiTimeoutMs ?? DEFAULT_COLLECT_OPTIONS.nvidiaSmiTimeoutMs,
    dockerSocketPath: config.docker ? (config.dockerSocketPath ?? envSocket ?? DEFAULT_COLLECT_OPTIONS.dockerSocketPath) : null,
    procRoot: config.procRoot ?? DEFAULT_COLLECT_OPTIONS.procRoot,
    sysfsRoot: config.sysfsRoot ?? DEFAULT_COLLECT_OPTIONS.sysfsRoot,
    homeRoot: config.homeRoot ?? DEFAULT_COLLECT_OPTIONS.homeRoot,
    redaction: redactionFrom({ redact: config.redact }),
    host: config.host ?? hostname(),
  };
}

/** What serve hands the local probe. */
export interface LocalProbeDeps {
  ingest: LocalLoopOptions['ingest'];
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Used when no interval is set: the service's probe_interval_s, which host-silent is measured against. */
  defaultIntervalMs: number;
}

/**
 * Start probing this machine into the core: the enforcement runner first (a broken enforcement config throws
 * EnforcementConfigError), then the loop; the first snapshot's sources are told in plain words.
 */
export async function startLocalProbe(config: LocalProbeConfig, deps: LocalProbeDeps): Promise<LocalLoop> {
  const collectOptions = localCollectOptions(config, deps.env);
  const { log } = deps;
  const intervalMs = config.intervalMs ?? deps.defaultIntervalMs;
  const { startActionRunner } = await import('../enforcement/probe/start-runner.ts');
  const enforcement = await startActionRunner(config.enforcementConfigPath, collectOptions, log, '--enforcement-config or local_probe.enforcement_config');
  const buildOptions = { ...DEFAULT_BUILD_OPTIONS, homeRoot: collectOptions.homeRoot, redaction: collectOptions.redaction };
  // As the pushing probe: counters carried for container usage, nvidia-smi children and user cache kept across cycles.
  const memory = createCounterMemory();
  const session = createCollectSession();
  let lastKey: string | null = null;
  log(`local probe: probing host ${collectOptions.host ?? ''} every ${formatDurationMs(intervalMs)} into this service (no token, no HTTP)`);
  if (intervalMs > deps.defaultIntervalMs) {
    log(`local probe: the interval ${formatDurationMs(intervalMs)} is longer than probe_interval_s (${formatDurationMs(deps.defaultIntervalMs)}): host-silent may fire between snapshots`);
  }
  return startLocalLoop({
    collect: async () => buildSnapshot(memory.carry(await collectRaw(collectOptions, session)), buildOptions),
    ingest: deps.ingest,
    intervalMs,
    log,
    enforcement,
    onSnapshot: (snapshot) => {
      if (lastKey === null) {
        for (const line of startNotice(snapshot, { nvidiaSmiPath: collectOptions.nvidiaSmiPath, dockerSocketPath: collectOptions.dockerSocketPath })) log(line);
      } else {
        const change = changeNotice(lastKey, snapshot);
        if (change !== null) log(change);
      }
      lastKey = failingSourcesKey(snapshot);
    },
  });
}

function intervalFlag(text: string): number {
  try {
    return parseIntervalMs(text);
  } catch (err) {
    throw new UsageError(`--probe-interval: ${(err as Error).message}`);
  }
}

function positiveMs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--nvidia-smi-timeout-ms must be a positive whole number, got "${text}"`);
  return n;
}

function hostFlag(name: string): string {
  if (name.length > 253 || !SNAPSHOT_HOST_PATTERN.test(name)) throw new UsageError(`--probe-host ${JSON.stringify(name)}: a host name may only hold letters, digits, ".", "_" and "-"`);
  return name;
}
