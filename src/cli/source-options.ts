import { DEFAULT_COLLECT_OPTIONS, type CollectOptions } from '../probe/collect.ts';
import type { RedactionRules } from '../probe/redact/redact-argv.ts';
import { compileRedactPatterns, RedactPatternError } from '../probe/redact/redact-patterns.ts';
import { SNAPSHOT_HOST_PATTERN } from '../snapshot/schema.ts';
import { UsageError } from './usage-error.ts';

/** parseArgs definitions of the flags that say where the live probe finds its sources. */
export const SOURCE_FLAGS = {
  'nvidia-smi': { type: 'string' },
  'nvidia-smi-timeout-ms': { type: 'string' },
  'docker-socket': { type: 'string' },
  'no-docker': { type: 'boolean' },
  'proc-root': { type: 'string' },
  'sysfs-root': { type: 'string' },
  'home-root': { type: 'string' },
  host: { type: 'string' },
  redact: { type: 'string', multiple: true },
} as const;

/** Parsed source flags, as parseArgs returns them. */
export type SourceFlagValues = Partial<Record<keyof typeof SOURCE_FLAGS, string | boolean | string[] | undefined>>;

/** Thrown for a bad command line (defined in usage-error.ts, which main can load without the probe). */
export { UsageError };

function dockerSocketFromEnv(env: NodeJS.ProcessEnv): string | null {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost === undefined || dockerHost === '') return null;
  if (!dockerHost.startsWith('unix://')) throw new UsageError(`DOCKER_HOST=${dockerHost}: only unix:// sockets are supported`);
  return dockerHost.slice('unix://'.length);
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive whole number, got "${text}"`);
  return n;
}

/** The secret masking the flags ask for: built-in rules plus each `--redact REGEX`, validated now (bad one: UsageError). */
export function redactionFrom(values: SourceFlagValues): RedactionRules {
  const sources = Array.isArray(values.redact) ? values.redact : [];
  try {
    return { extraPatterns: compileRedactPatterns(sources) };
  } catch (err) {
    if (err instanceof RedactPatternError) throw new UsageError(err.message);
    throw err;
  }
}

/** Turn parsed flags (and DOCKER_HOST, GPUWARDEN_NVIDIA_SMI) into collector options. */
export function collectOptionsFrom(values: SourceFlagValues, env: NodeJS.ProcessEnv): CollectOptions {
  const str = (k: keyof typeof SOURCE_FLAGS): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const timeout = str('nvidia-smi-timeout-ms');
  return {
    ...DEFAULT_COLLECT_OPTIONS,
    nvidiaSmiPath: str('nvidia-smi') ?? env.GPUWARDEN_NVIDIA_SMI ?? DEFAULT_COLLECT_OPTIONS.nvidiaSmiPath,
    nvidiaSmiTimeoutMs: timeout === undefined ? DEFAULT_COLLECT_OPTIONS.nvidiaSmiTimeoutMs : positiveInt('nvidia-smi-timeout-ms', timeout),
    dockerSocketPath:
      values['no-docker'] === true
        ? null
        : (str('docker-socket') ?? dockerSocketFromEnv(env) ?? DEFAULT_COLLECT_OPTIONS.dockerSocketPath),
    procRoot: str('proc-root') ?? DEFAULT_COLLECT_OPTIONS.procRoot,
    sysfsRoot: str('sysfs-root') ?? DEFAULT_COLLECT_OPTIONS.sysfsRoot,
    homeRoot: str('home-root') ?? DEFAULT_COLLECT_OPTIONS.homeRoot,
    redaction: redactionFrom(values),
    ...(str('host') === undefined ? {} : { host: hostFlag(str('host') ?? '') }),
  };
}

/** The source flags that steer live collection only (a replayed capture was collected already). */
const LIVE_ONLY_FLAGS = ['nvidia-smi', 'nvidia-smi-timeout-ms', 'docker-socket', 'no-docker', 'proc-root', 'sysfs-root'] as const;

/**
 * For `--replay`: refuses the live-collection flags (a usage error naming the flag, never silently ignored) and
 * returns the `--host` name to report the capture under, or null to keep the capture's own.
 */
export function replayHostFrom(values: Record<string, unknown>): string | null {
  const live = LIVE_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
  if (live !== undefined) throw new UsageError(`--${live} steers live collection; a replayed capture was collected already (leave it out)`);
  return typeof values.host === 'string' ? hostFlag(values.host) : null;
}

/** `--host NAME`: hostname characters only, the snapshot contract's rule (else every snapshot would be refused). */
function hostFlag(name: string): string {
  if (name.length > 253 || !SNAPSHOT_HOST_PATTERN.test(name)) throw new UsageError(`--host ${JSON.stringify(name)}: a host name may only hold letters, digits, ".", "_" and "-"`);
  return name;
}
