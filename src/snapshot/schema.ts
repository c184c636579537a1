import { z } from 'zod';
import { actionResultSchema } from '../enforcement/action.ts';
import { containerIdSchema, isoTimeSchema, pidSchema, SNAPSHOT_BOUNDS, SNAPSHOT_HOST_PATTERN, SNAPSHOT_ID_PATTERN, uidSchema } from './primitives.ts';

export { containerIdSchema, isoTimeInRange, isoTimeSchema, pidSchema, SNAPSHOT_BOUNDS, SNAPSHOT_HOST_PATTERN, SNAPSHOT_ID_PATTERN, uidSchema } from './primitives.ts';

const B = SNAPSHOT_BOUNDS;
const isoTime = isoTimeSchema;

/** Version of the HostSnapshot contract; the service rejects any other. */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

const boundedNumber = (min: number, max: number, unit: string) =>
  z.number().finite().min(min, `at least ${min} ${unit}`).max(max, `at most ${max} ${unit}`);
const mib = boundedNumber(0, B.maxMiB, 'MiB').nullable();
const index = z.number().int().nonnegative().max(B.maxIndex);
const count = (max: number) => z.number().int().nonnegative().max(max);

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
  pid: pidSchema,
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
  /** What the probe did with the enforcement actions it was sent since its last snapshot (see src/enforcement). */
  actionResults: z.array(actionResultSchema).max(1000).optional(),
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
