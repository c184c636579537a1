import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { listAndInspectAll, statMountOwners, type InspectReuse, type MountOwnerCache } from './docker/docker-client.ts';
import { createInspectCache, type InspectCache } from './docker/inspect-cache.ts';
import { parseDockerInspect } from './docker/parse-inspect.ts';
import { parseNvidiaSmiXml } from './gpu/parse-xml.ts';
import { aimeNameUids, labelUserNames } from './owner/lookup-keys.ts';
import { homeBindSources, homeUserNames } from './owner/mount-sources.ts';
import { parseLoginUid } from './proc/parse-loginuid.ts';
import { parseProcStatus } from './proc/parse-status.ts';
import { redactProcCmdline } from './proc/parse-cmdline.ts';
import { readBootTimeSec, readProcFiles } from './proc/read-proc.ts';
import { DEFAULT_REDACTION, type RedactionRules } from './redact/redact-argv.ts';
import { redactDockerInspect } from './redact/redact-docker-inspect.ts';
import { createUserResolver, type UserResolver } from './proc/users.ts';
import type { InspectedContainer } from './docker/inspected-container.ts';
import type { CaptureNotes, RawCapture, RawContainerCounters, RawProc, RawSource } from './raw-capture.ts';
import { readContainerCounters } from './usage/read-container-counters.ts';
import { readNvidiaSmi, type KeptGpuList } from './nvidia-smi-step.ts';
import { createCommandRunner, type CommandRunner, type CommandRunnerDeps } from './run-command.ts';

/** Where the live collector finds its sources. */
export interface CollectOptions {
  nvidiaSmiPath: string;
  nvidiaSmiTimeoutMs: number;
  dockerSocketPath: string | null;
  dockerTimeoutMs: number;
  procRoot: string;
  /** Where sysfs is mounted (cgroup counters under `<sysfsRoot>/fs/cgroup`). */
  sysfsRoot: string;
  homeRoot: string;
  /** Secret masking applied before anything is kept: /proc cmdline bytes and nvidia-smi process names. */
  redaction: RedactionRules;
  host?: string;
  now?: () => Date;
}

/** Defaults for a standard Linux GPU host. */
export const DEFAULT_COLLECT_OPTIONS: CollectOptions = {
  nvidiaSmiPath: 'nvidia-smi',
  nvidiaSmiTimeoutMs: 10_000,
  dockerSocketPath: '/var/run/docker.sock',
  dockerTimeoutMs: 10_000,
  procRoot: '/proc',
  sysfsRoot: '/sys',
  homeRoot: '/home',
  redaction: DEFAULT_REDACTION,
};

/**
 * What a long-running probe keeps from one cycle to the next: the nvidia-smi children (a wedged one is not
 * started again), the user cache, the inspect documents of containers whose list entry has not changed, the
 * last `nvidia-smi -L` answer and the owners of home folders mounted into containers.
 */
export interface CollectSession {
  nvidiaSmi: CommandRunner;
  users: UserResolver;
  docker: InspectCache;
  gpuList: KeptGpuList | null;
  mountOwners: MountOwnerCache;
}

/** A fresh session; the push loop's probe makes one at start and passes it to every cycle. */
export function createCollectSession(deps: CommandRunnerDeps & { users?: UserResolver } = {}): CollectSession {
  return { nvidiaSmi: createCommandRunner(deps), users: deps.users ?? createUserResolver(), docker: createInspectCache(), gpuList: null, mountOwners: { owners: new Map() } };
}

/** Inspect reuse for this cycle: documents are masked once, when inspected; other masking rules empty the cache. */
function inspectReuse(session: CollectSession, options: CollectOptions): InspectReuse {
  if (session.docker.tag !== options.redaction) session.docker = { entries: new Map(), tag: options.redaction };
  return {
    cache: session.docker,
    prepare: (doc) => (redactDockerInspect([doc], options.redaction) as unknown[])[0],
    pidAlive: (pid) => existsSync(`${options.procRoot}/${pid}`),
  };
}

const NVIDIA_SMI_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** Linux has used 100 ticks per second (USER_HZ) on every mainstream architecture for decades. */
const CLOCK_TICKS_PER_SEC = 100;

function gpuPids(xml: RawSource<string> | null): number[] {
  if (xml === null || !xml.ok) return [];
  const parsed = parseNvidiaSmiXml(xml.value);
  if (!parsed.ok) return [];
  return [...new Set(parsed.gpus.flatMap((g) => g.processes.map((p) => p.pid)))];
}

/** One reading of the counters of every running container, and a note when some could not be read. */
export interface CounterCollection {
  counters: Map<string, RawContainerCounters>;
  notes: CaptureNotes;
}

/** Read the cgroup/net counters of each running container (a container gone meanwhile is skipped, not an error). */
export function collectCounters(containers: readonly InspectedContainer[], options: CollectOptions): CounterCollection {
  const now = options.now ?? (() => new Date());
  const counters = new Map<string, RawContainerCounters>();
  const failures: string[] = [];
  let running = 0;
  for (const c of containers) {
    if (c.state !== 'running' || c.pid === null) continue;
    running++;
    const r = readContainerCounters({ pid: c.pid, startedAt: c.startedAt, networkMode: c.networkMode }, options, now);
    if (r.ok) counters.set(c.id, r.counters);
    else if (!r.gone) failures.push(`${c.name || c.id.slice(0, 12)}: ${r.message}`);
  }
  const notes: CaptureNotes =
    failures.length === 0
      ? []
      : [{ source: 'usage', message: `container usage: counters unreadable for ${failures.length} of ${running} running container(s); first: ${failures[0] ?? ''}` }];
  return { counters, notes };
}

/** Read every raw input of one probe cycle from the live host (nvidia-smi, /proc, Docker, NSS); a loop passes one session to every cycle. */
export async function collectRaw(options: CollectOptions = DEFAULT_COLLECT_OPTIONS, session: CollectSession = createCollectSession()): Promise<RawCapture> {
  const now = options.now ?? (() => new Date());
  const takenAt = now().toISOString();
  const notes: CaptureNotes = [];
  const run = { timeoutMs: options.nvidiaSmiTimeoutMs, maxBufferBytes: NVIDIA_SMI_MAX_BUFFER_BYTES };

  const dockerPromise: Promise<RawSource<unknown> | null> =
    options.dockerSocketPath === null
      ? Promise.resolve(null)
      : listAndInspectAll({ socketPath: options.dockerSocketPath, timeoutMs: options.dockerTimeoutMs }, inspectReuse(session, options)).then((r) =>
          r.ok ? { ok: true, value: r.inspect } : { ok: false, error: { exitCode: null, stderr: '', message: r.message } },
        );
  const gpuStep = { path: options.nvidiaSmiPath, run, redaction: options.redaction, nowMs: now().getTime() };
  const [gpu, dockerInspect, bootTimeSec] = await Promise.all([
    readNvidiaSmi(session.nvidiaSmi, session.gpuList, gpuStep),
    dockerPromise,
    readBootTimeSec(options.procRoot),
  ]);
  session.gpuList = gpu.kept;
  const { xml, list } = gpu.reading;
  if (bootTimeSec === null) notes.push({ source: 'proc', message: `no btime in ${options.procRoot}/stat: process start times unknown` });

  const proc = new Map<number, RawProc>();
  const exitedPids: number[] = [];
  const containers = dockerInspect?.ok ? parseDockerInspect(dockerInspect.value).containers : [];
  const uids = new Set<number>(aimeNameUids(containers));
  for (const pid of gpuPids(xml)) {
    const files = readProcFiles(pid, options.procRoot);
    if (files.exited === true) {
      exitedPids.push(pid);
      continue;
    }
    for (const message of files.errors) notes.push({ source: 'proc', message });
    const { errors: _errors, exited: _exited, ...raw } = files;
    if (raw.cmdline !== undefined) raw.cmdline = redactProcCmdline(raw.cmdline, options.redaction);
    if (Object.keys(raw).length > 0) proc.set(pid, raw);
    const real = raw.status === undefined ? null : parseProcStatus(raw.status).uid?.real;
    const login = raw.loginuid === undefined ? null : parseLoginUid(raw.loginuid);
    if (real !== null && real !== undefined) uids.add(real);
    if (login !== null) uids.add(login);
  }

  const usage = collectCounters(containers, options);
  notes.push(...usage.notes);

  const mounts = await statMountOwners(homeBindSources(containers, options.homeRoot), { cache: session.mountOwners, nowMs: now().getTime() });
  for (const message of mounts.errors) notes.push({ source: 'docker', message });
  for (const uid of Object.values(mounts.owners)) uids.add(uid);

  const resolver = session.users;
  const byUid = await resolver.lookupUids([...uids]);
  const names = [...homeUserNames(containers, options.homeRoot), ...labelUserNames(containers)];
  const byName = await resolver.lookupNames([...new Set(names)]);
  const userErrors = [...byUid.errors, ...byName.errors];
  for (const message of userErrors) notes.push({ source: 'users', message });
  const lines = [...new Set([...byUid.lines, ...byName.lines])];

  return {
    meta: {
      host: options.host ?? hostname(),
      takenAt,
      bootTimeSec,
      clockTicksPerSec: CLOCK_TICKS_PER_SEC,
      disabledSources: options.dockerSocketPath === null ? ['docker'] : [],
    },
    nvidiaSmiXml: xml,
    nvidiaSmiList: list,
    dockerInspect,
    mountOwners: mounts.owners,
    passwd: { ok: true, value: lines.length === 0 ? '' : `${lines.join('\n')}\n` },
    proc,
    notes,
    exitedPids,
    counters: usage.counters,
    previousCounters: new Map(),
  };
}
