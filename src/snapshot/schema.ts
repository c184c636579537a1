import { z } from 'zod';

/** Version of the HostSnapshot contract; the service rejects any other. */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

/**
 * Physical bounds of the contract: a value outside them is a broken or hostile probe, answered 400 with its path.
 * Times: years 2000-2200 (no GPU server clock is earlier; later is a typo or a forged far future). Temperature:
 * -50..150 °C (the coldest datacentre to beyond any GPU's thermal shutdown). pid: Linux pid_max is at most 2^22.
 */
export const SNAPSHOT_BOUNDS = {
  /** 16 TiB in MiB: far above any GPU's or MIG slice's memory. */
  maxMiB: 16 * 1024 * 1024,
  minTemperatureC: -50,
  maxTemperatureC: 150,
  maxPowerW: 5000,
  /** Linux `pid_max` can be raised to 4194304 (2^22) and no further. */
  maxPid: 2 ** 22,
  /** uid_t is 32 bits; 4294967295 is (uid_t)-1, "unset". */
  maxUid: 2 ** 32 - 2,
  /** A GPU, MIG or instance index / id. */
  maxIndex: 1_000_000,
  minTimeMs: Date.parse('2000-01-01T00:00:00Z'),
  maxTimeMs: Date.parse('2201-01-01T00:00:00Z'),
  /** docker stats' % of one core, for 1024 cores. */
  maxCpuPct: 100 * 1024,
  /** 1 Tbyte/s: beyond any NIC. */
  maxBytesPerS: 1e12,
  maxIntervalS: 86_400,
} as const;

const B = SNAPSHOT_BOUNDS;

/** What a snapshot id may contain: the probe's `<host>@<ISO takenAt>` and nothing that could break a log line. */
export const SNAPSHOT_ID_PATTERN = /^[A-Za-z0-9._:@+-]+$/;

/** What a host name may contain (the service config's host-name rule). */
export const SNAPSHOT_HOST_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The number written by the two ASCII digits at `at`, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `s` is plainly `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or `±HH:MM`, in the years 2001-2199: a shape
 * Date.parse always reads as a time within the contract's range (an offset moves it by under a day). Anything else
 * (including times near the range's ends) is left to Date.parse. Checked char by char: Date.parse costs more.
 */
function plainlyInRange(s: string): boolean {
  const n = s.length;
  if (n < 20 || n > 35 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const year = century * 100 + yearOfCentury;
  if (century < 0 || yearOfCentury < 0 || year < 2001 || year > 2199) return false;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (s[i] === '.') {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start || i - start > 9) return false;
  }
  if (s[i] === 'Z') return i + 1 === n;
  if (s[i] !== '+' && s[i] !== '-') return false;
  if (i + 6 !== n || s[i + 3] !== ':') return false;
  const offsetHour = twoDigits(s, i + 1);
  const offsetMinute = twoDigits(s, i + 4);
  return offsetHour >= 0 && offsetHour <= 23 && offsetMinute >= 0 && offsetMinute <= 59;
}

/** Whether an ISO time (any offset) lies in the contract's years, 2000 to 2200. */
export function isoTimeInRange(value: string): boolean {
  if (plainlyInRange(value)) return true;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= B.minTimeMs && ms < B.maxTimeMs;
}

const isoTime = z.iso.datetime({ offset: true }).refine(isoTimeInRange, 'a time in the years 2000 to 2200');
const boundedNumber = (min: number, max: number, unit: string) =>
  z.number().finite().min(min, `at least ${min} ${unit}`).max(max, `at most ${max} ${unit}`);
const mib = boundedNumber(0, B.maxMiB, 'MiB').nullable();
const index = z.number().int().nonnegative().max(B.maxIndex);
const count = (max: number) => z.number().int().nonnegative().max(max);
const uidSchema = z.number().int().nonnegative().max(B.maxUid);
const containerIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a full 64-hex container id');

/**
 * Which collector a snapshot error came from: nvidia-smi, /proc, the Docker engine, NSS user lookup, or the
 * containers' cgroup/network counters (activity where the GPU signal is missing).
 */
export const errorSourceSchema = z.enum(['gpu', 'proc', 'docker', 'users', 'usage']);

/** A collector failure: reported, never turned into "nothing there". */
export const sourceErrorSchema = z.object({
  source: errorSourceSchema,
  message: z.string().max(2000),
});

/** One MIG instance (GPU instance + compute instance) of a physical GPU. */
export const migInstanceSchema = z.object({
  index,
  uuid: z.string().nullable(),
  profile: z.string().nullable(),
  gpuInstanceId: index.nullable(),
  computeInstanceId: index.nullable(),
  memoryTotalMiB: mib,
  memoryUsedMiB: mib,
});

/** One physical GPU; unknown values are null, never 0. */
export const gpuSchema = z.object({
  index,
  uuid: z.string().nullable(),
  name: z.string().nullable(),
  pciBusId: z.string().nullable(),
  memoryTotalMiB: mib,
  memoryUsedMiB: mib,
  utilizationPct: boundedNumber(0, 100, '%').nullable(),
  temperatureC: boundedNumber(B.minTemperatureC, B.maxTemperatureC, '°C').nullable(),
  powerW: boundedNumber(0, B.maxPowerW, 'W').nullable(),
  migMode: z.enum(['enabled', 'disabled', 'unsupported']),
  migInstances: z.array(migInstanceSchema).max(64),
});

/** One process holding a GPU context, attributed to a container and a person. */
export const gpuProcessSchema = z.object({
  pid: z.number().int().positive().max(B.maxPid),
  gpuUuid: z.string().nullable(),
  migUuid: z.string().nullable(),
  usedMemoryMiB: mib,
  name: z.string().max(4096).nullable(),
  cmdline: z.string().max(4096).nullable(),
  type: z.string().max(16).nullable(),
  uid: uidSchema.nullable(),
  loginUid: uidSchema.nullable(),
  user: z.string().nullable(),
  userSource: z.enum(['loginuid', 'uid', 'container-owner', 'unknown']),
  startTime: isoTime.nullable(),
  kind: z.enum(['container', 'host', 'unknown']),
  containerId: containerIdSchema.nullable(),
  containerRuntime: z.string().nullable(),
  system: z.boolean(),
  /** The probe removed secrets (key/token/password values, URL userinfo) from `cmdline` before sending it. */
  cmdlineRedacted: z.boolean().optional(),
});

/** Who owns a container and which rule of the owner chain decided it. */
export const ownerSchema = z.object({
  user: z.string().nullable(),
  uid: uidSchema.nullable(),
  method: z.enum([
    'label:ds01.user',
    'label:aime.mlc.USER',
    'name-uid',
    'devcontainer-folder',
    'mount-path',
    'compose-dir',
    'unknown',
  ]),
});

/** What GPUs a container asked the engine for. */
export const gpuRequestSchema = z.object({
  requested: z.enum(['none', 'all', 'count', 'devices']),
  count: count(B.maxIndex).nullable(),
  deviceIds: z.array(z.string()),
  uuids: z.array(z.string()),
  via: z.enum(['none', 'device-requests', 'nvidia-runtime', 'device-nodes']),
});

/** One bind mount or volume of a container. */
export const mountSchema = z.object({
  type: z.string(),
  source: z.string().nullable(),
  destination: z.string(),
  readOnly: z.boolean(),
});

/**
 * A running container's activity over the last probe interval, read from its cgroup and network namespace
 * (not `docker stats`): what idle detection falls back on when the GPU signal is missing (MIG). Unknown = null.
 */
export const containerUsageSchema = z.object({
  /** Seconds between the two readings the rates come from. */
  intervalS: z.number().positive().max(B.maxIntervalS, `at most ${B.maxIntervalS} s`),
  /** CPU time used over the interval, in % of one core (docker stats' convention: 200 = two cores busy). */
  cpuPct: boundedNumber(0, B.maxCpuPct, '%').nullable(),
  /** Bytes per second received / sent by the container's network interfaces (host-network containers: null). */
  netRxBytesPerS: boundedNumber(0, B.maxBytesPerS, 'bytes/s').nullable(),
  netTxBytesPerS: boundedNumber(0, B.maxBytesPerS, 'bytes/s').nullable(),
  /** Processes in the container other than shells and sleep (DS01 counts `ps aux` lines without bash/sleep). */
  activeProcessCount: count(B.maxPid).nullable(),
});

/** One container known to the Docker engine, in any state. */
export const containerSchema = z.object({
  id: containerIdSchema,
  name: z.string(),
  image: z.string().nullable(),
  state: z.string(),
  createdAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  pid: count(B.maxPid).nullable(),
  labels: z.record(z.string(), z.string()),
  class: z.enum(['managed', 'devcontainer', 'compose', 'docker', 'infrastructure']),
  protected: z.boolean(),
  owner: ownerSchema,
  gpu: gpuRequestSchema,
  mounts: z.array(mountSchema).max(1000),
  /** Activity over the last interval; null when not measured (first cycle, not running, cgroup unreadable). */
  usage: containerUsageSchema.nullable().optional(),
});

/** Everything one probe cycle saw on one host. */
export const hostSnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** Unique per host; the service is idempotent on (host, id). The probe uses `<host>@<takenAt>`. */
  id: z.string().min(1).max(300).regex(SNAPSHOT_ID_PATTERN, 'letters, digits and . _ : @ + - only'),
  /** A host name as the service's config spells it (hostname characters). */
  host: z.string().min(1).max(253).regex(SNAPSHOT_HOST_PATTERN, 'letters, digits and . _ - only'),
  takenAt: isoTime,
  probe: z.object({ version: z.string() }),
  driverVersion: z.string().nullable(),
  errors: z.array(sourceErrorSchema).max(1000),
  /** Sources the probe was configured not to read (`--no-docker`): a declared choice, not a failure. */
  disabledSources: z.array(errorSourceSchema).max(5).optional(),
  /** GPU processes that exited between the nvidia-smi and /proc reads: a normal race, counted, not an error. */
  exitedProcesses: count(B.maxPid).optional(),
  gpus: z.array(gpuSchema).max(64),
  gpuProcesses: z.array(gpuProcessSchema).max(10000),
  containers: z.array(containerSchema).max(10000),
});

export type SourceError = z.infer<typeof sourceErrorSchema>;
export type ErrorSource = z.infer<typeof errorSourceSchema>;
export type MigInstance = z.infer<typeof migInstanceSchema>;
export type Gpu = z.infer<typeof gpuSchema>;
export type GpuProcess = z.infer<typeof gpuProcessSchema>;
export type Owner = z.infer<typeof ownerSchema>;
export type GpuRequest = z.infer<typeof gpuRequestSchema>;
export type Mount = z.infer<typeof mountSchema>;
export type ContainerUsage = z.infer<typeof containerUsageSchema>;
export type Container = z.infer<typeof containerSchema>;
export type HostSnapshot = z.infer<typeof hostSnapshotSchema>;
