import type { Scope } from './subject.ts';

/** How a fact is typed for rule authors; every fact may also be null (unknown or unlimited). */
export interface FactDoc {
  type: 'number' | 'string' | 'boolean' | 'string[]';
  unit?: string;
  description: string;
}

/**
 * Every fact a rule can read, per scope: the single source for rule validation (`rules check` rejects
 * unknown facts) and for rules/README.md (a test keeps both in step with computeFacts).
 */
export const FACT_CATALOGUE: Record<Scope, Record<string, FactDoc>> = {
  gpuProcess: {
    kind: { type: 'string', description: "'container', 'host' (outside any container) or 'unknown' (/proc unreadable)" },
    system: { type: 'boolean', description: 'a driver or display daemon (nvidia-persistenced, nv-hostengine, Xorg, …)' },
    name: { type: 'string', description: 'process name (argv[0] basename)' },
    user: { type: 'string', description: 'the person: login user for host processes, container owner otherwise' },
    userKnown: { type: 'boolean', description: 'whether a person could be named' },
    userSource: { type: 'string', description: "how the person was found: 'loginuid', 'uid', 'container-owner', 'unknown'" },
    uid: { type: 'number', description: 'real uid of the process' },
    usedMemoryMiB: { type: 'number', unit: 'MiB', description: 'GPU memory held by the process' },
    gpuName: { type: 'string', description: "its GPU as people name it: 'GPU 0' or 'GPU 0 · MIG 3g.40gb' (the UUID is in the gpu label)" },
    secondsSeen: { type: 'number', unit: 's', description: 'how long this process (pid + start time) has been seen on a GPU' },
    containerKnown: { type: 'boolean', description: 'its container is one Docker reports' },
    containerClass: { type: 'string', description: "class of its container ('managed', 'devcontainer', 'compose', 'docker', 'infrastructure')" },
    bareMetalExempt: { type: 'boolean', description: 'the user may use GPUs outside containers (bare_metal_access.exempt_users, admins)' },
  },
  container: {
    name: { type: 'string', description: 'container name' },
    state: { type: 'string', description: "Docker state: 'running', 'exited', 'created', 'paused', …" },
    running: { type: 'boolean', description: 'running, paused or restarting' },
    class: { type: 'string', description: "'managed', 'devcontainer', 'compose', 'docker' or 'infrastructure'" },
    containerType: { type: 'string', description: 'DS01 container type choosing idle/runtime limits (ds01.interface label, else from the class)' },
    protected: { type: 'boolean', description: 'infrastructure or ds01.protected: never enforced on' },
    owner: { type: 'string', description: 'owner user name' },
    ownerKnown: { type: 'boolean', description: 'an owner could be established' },
    ownerMethod: { type: 'string', description: 'which owner rule decided (label:ds01.user, name-uid, mount-path, …, unknown)' },
    hasGpu: { type: 'boolean', description: 'the container asked for GPU access' },
    gpuRequested: { type: 'string', description: "'none', 'all', 'count' or 'devices'" },
    gpuAll: { type: 'boolean', description: 'started with all GPUs (--gpus all)' },
    gpuSlots: { type: 'number', description: 'GPU/MIG units requested (held or not)' },
    gpuEquivalents: {
      type: 'number',
      unit: 'gpueq',
      description: 'GPU-equivalents held now (full GPU 1, MIG compute slices / 7): running, or stopped within gpu_hold_after_stop_h; created: 0',
    },
    holdsGpu: { type: 'boolean', description: 'holds GPU capacity now (see gpuEquivalents)' },
    missingGpuDevices: { type: 'string[]', description: 'requested device ids (index, GPU-/MIG- UUID) this host does not have; they hold nothing' },
    missingGpuDeviceCount: { type: 'number', description: 'how many requested devices this host does not have' },
    gpuSlotsLimit: { type: 'number', description: "owner's max_gpu_slots_per_container (null = unlimited)" },
    gpuSlotsRatio: { type: 'number', description: 'gpuSlots / gpuSlotsLimit' },
    managed: { type: 'boolean', description: 'created through DS01 (ds01.* / aime labels, ._. name, ds01 cgroup parent)' },
    unmanagedGpuAccess: { type: 'boolean', description: 'GPU access outside DS01 management (not managed, not infrastructure)' },
    gpuUtilizationPct: { type: 'number', unit: '%', description: 'highest utilisation of the GPUs it holds or runs on (null for MIG)' },
    activitySignal: {
      type: 'string',
      description: "what decided idle/active: 'gpu' (utilisation), 'usage' (GPU signal missing, e.g. MIG: CPU and network), 'processes' (neither known: a GPU process counts as active)",
    },
    cpuPct: { type: 'number', unit: '%', description: 'CPU use over the last probe interval, % of one core (null on the first cycle)' },
    netRxBytesPerS: { type: 'number', unit: 'B/s', description: 'bytes received per second over the last interval (null: host network or not measured)' },
    activeProcessCount: { type: 'number', description: 'processes in the container other than shells and sleep' },
    idleMinutes: { type: 'number', unit: 'min', description: 'minutes since its GPUs were last busy (running GPU containers only)' },
    idleTimeoutMinutes: { type: 'number', unit: 'min', description: 'idle limit as DS01 picks it, high-demand reduction applied (null = exempt)' },
    idleRatio: { type: 'number', description: 'idleMinutes / idleTimeoutMinutes (null in the grace period or when exempt)' },
    inGracePeriod: { type: 'boolean', description: 'started less than policies.grace_period_m ago' },
    runtimeHours: { type: 'number', unit: 'h', description: 'hours since it started (running only)' },
    maxRuntimeHours: { type: 'number', unit: 'h', description: 'runtime limit as DS01 picks it (null = unlimited)' },
    runtimeRatio: { type: 'number', description: 'runtimeHours / maxRuntimeHours' },
    stoppedHours: { type: 'number', unit: 'h', description: 'hours since it exited (exited only)' },
    gpuHoldAfterStopHours: { type: 'number', unit: 'h', description: "owner's gpu_hold_after_stop_h (0 for orchestration/api types)" },
    stoppedHoldRatio: { type: 'number', description: 'stoppedHours / gpuHoldAfterStopHours (GPU containers only)' },
    containerHoldAfterStopHours: { type: 'number', unit: 'h', description: "owner's container_hold_after_stop_h (null = never removed)" },
    stoppedRatio: { type: 'number', description: 'stoppedHours / containerHoldAfterStopHours' },
    createdMinutes: { type: 'number', unit: 'min', description: "minutes since creation while still 'created' (never started)" },
    createdTimeoutMinutes: { type: 'number', unit: 'min', description: 'policies.created_container_timeout_m' },
    createdRatio: { type: 'number', description: 'createdMinutes / createdTimeoutMinutes' },
    exemptIdle: { type: 'boolean', description: 'owner has an active idle_timeout_h exemption' },
    exemptRuntime: { type: 'boolean', description: 'owner has an active max_runtime_h exemption' },
  },
  user: {
    group: { type: 'string', description: "DS01 group ('student', 'researcher', 'faculty', 'admin', 'override')" },
    isAdmin: { type: 'boolean', description: 'an admin user' },
    gpuEquivalentsUsed: { type: 'number', unit: 'gpueq', description: "GPU-equivalents held by the user's containers (stopped ones still hold theirs)" },
    gpuEquivalentsQuota: { type: 'number', unit: 'gpueq', description: 'max_gpu_equivalents, capped by aggregate.gpu_limit (null = unlimited)' },
    gpuQuotaRatio: { type: 'number', description: 'gpuEquivalentsUsed / gpuEquivalentsQuota' },
    containers: { type: 'number', description: 'containers owned, any state' },
    gpuContainers: { type: 'number', description: 'containers owned that hold GPUs' },
    containersLimit: { type: 'number', description: 'max_containers_per_user (null = unlimited)' },
    containersRatio: { type: 'number', description: 'containers / containersLimit' },
    hostGpuProcesses: { type: 'number', description: 'non-system GPU processes the user runs outside containers' },
    decayedGpuHours: { type: 'number', unit: 'gpueq·h', description: 'GPU-equivalent hours held, decayed with the fair-share half-life' },
    fairShareGpuHours: { type: 'number', unit: 'gpueq·h', description: "an equal split of all users' decayed GPU-hours (users with recent use)" },
    fairShareRatio: { type: 'number', description: 'decayedGpuHours / fairShareGpuHours' },
    capacityFreeRatio: { type: 'number', description: "share of the host's GPU-equivalents no container holds" },
  },
  gpu: {
    index: { type: 'number', description: 'nvidia-smi index' },
    gpuName: { type: 'string', description: "as people name it: 'GPU 0' (the UUID is in the gpu label)" },
    name: { type: 'string', description: 'product name' },
    migMode: { type: 'string', description: "'enabled', 'disabled' or 'unsupported'" },
    utilizationPct: { type: 'number', unit: '%', description: 'GPU utilisation (null when MIG is on)' },
    memoryUsedPct: { type: 'number', unit: '%', description: 'framebuffer memory used' },
    temperatureC: { type: 'number', unit: '°C', description: 'GPU temperature' },
    powerW: { type: 'number', unit: 'W', description: 'power draw' },
    allocated: { type: 'boolean', description: 'held by a container or running a non-system process' },
    users: { type: 'string[]', description: 'people holding or using it' },
    slotHolders: { type: 'number', description: 'most running containers assigned the same GPU or MIG instance (> 1: duplicate assignment)' },
    idleMinutes: { type: 'number', unit: 'min', description: 'minutes allocated with utilisation below the idle threshold' },
  },
  host: {
    secondsSinceSnapshot: { type: 'number', unit: 's', description: 'age of the newest snapshot (0 at ingest; grows on the scheduled tick)' },
    intervalsMissed: { type: 'number', description: 'probe intervals without a snapshot' },
    silentAfterIntervals: { type: 'number', description: 'missed intervals after which the host counts as silent (service config host_silent_after_intervals)' },
    fromSnapshot: { type: 'boolean', description: 'built from a snapshot (false: from the scheduled tick)' },
    errorCount: { type: 'number', description: 'collector errors in the snapshot' },
    errorSources: { type: 'string[]', description: "failing collectors: 'gpu', 'proc', 'docker', 'users', 'usage'" },
    errorSummary: { type: 'string', description: 'the first collector errors, for messages' },
    disabledSources: { type: 'string[]', description: "sources the probe was told not to read (e.g. 'docker' with --no-docker): a choice, not a failure" },
    exitedProcesses: { type: 'number', description: 'GPU processes that exited between the nvidia-smi and /proc reads (a normal race)' },
    clockSkewSeconds: { type: 'number', unit: 's', description: "how far the host's clock is ahead of the service's (negative: behind); null when not measured" },
    maxClockSkewSeconds: { type: 'number', unit: 's', description: 'skew beyond which the clock counts as wrong (service config max_clock_skew)' },
    clockSkewed: { type: 'boolean', description: "the host's clock is off by more than maxClockSkewSeconds (its snapshots are evaluated at receive time)" },
    gpuCount: { type: 'number', description: 'GPUs reported' },
    totalGpuEquivalents: { type: 'number', unit: 'gpueq', description: 'schedulable capacity (MIG instances weighted)' },
    freeGpuEquivalents: { type: 'number', unit: 'gpueq', description: 'capacity no container holds' },
    freeRatio: { type: 'number', description: 'freeGpuEquivalents / totalGpuEquivalents' },
  },
};

/** Fact names per scope, for rule validation. */
export function knownFacts(): Record<Scope, string[]> {
  return Object.fromEntries(Object.entries(FACT_CATALOGUE).map(([scope, facts]) => [scope, Object.keys(facts)])) as Record<Scope, string[]>;
}
