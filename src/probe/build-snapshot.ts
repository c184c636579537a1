import {
  SNAPSHOT_SCHEMA_VERSION,
  type Container,
  type GpuProcess,
  type HostSnapshot,
  type SourceError,
} from '../snapshot/schema.ts';
import { classifyContainer, DS01_INFRASTRUCTURE_NAMES } from './docker/classify.ts';
import { gpuRequestOf } from './docker/gpu-request.ts';
import { parseDockerInspect } from './docker/parse-inspect.ts';
import { fitContainerUsage, fitGpuProcesses, fitGpus } from './fit-contract.ts';
import { buildGpus, type GpuProcessSighting } from './gpu/build-gpus.ts';
import { parseNvidiaSmiList } from './gpu/parse-list.ts';
import { parseNvidiaSmiXml, type XmlParseResult } from './gpu/parse-xml.ts';
import { resolveOwner } from './owner/owner.ts';
import { parseCgroup } from './proc/parse-cgroup.ts';
import { parseCmdline } from './proc/parse-cmdline.ts';
import { parseLoginUid } from './proc/parse-loginuid.ts';
import { containerIdFromMountinfo } from './proc/parse-mountinfo.ts';
import { parsePasswd } from './proc/parse-passwd.ts';
import { DEFAULT_REDACTION, redactCommandText, type RedactionRules } from './redact/redact-argv.ts';
import { pidsWithProcNotes, splitExitedNotes } from './proc/proc-notes.ts';
import { parseProcStat, startTimeIso } from './proc/parse-stat.ts';
import { parseProcStatus } from './proc/parse-status.ts';
import { isSystemGpuProcess } from './proc/system-process.ts';
import type { RawCapture, RawProc, RawSource } from './raw-capture.ts';
import { sampleOf, usageBetween } from './usage/container-usage.ts';
import { GPUWARDEN_VERSION } from '../version.ts';

/** Site choices that shape attribution (which containers are infrastructure, where homes live). */
export interface BuildOptions {
  probeVersion: string;
  homeRoot: string;
  infrastructureNames: readonly string[];
  infrastructureLabel: string;
  /** Secret masking applied to every command line (built-in rules plus the admin's `--redact` patterns). */
  redaction: RedactionRules;
}

/** Defaults matching DS01's monitoring block. */
export const DEFAULT_BUILD_OPTIONS: BuildOptions = {
  probeVersion: GPUWARDEN_VERSION,
  homeRoot: '/home',
  infrastructureNames: DS01_INFRASTRUCTURE_NAMES,
  infrastructureLabel: 'ds01.protected',
  redaction: DEFAULT_REDACTION,
};

type Users = ReturnType<typeof parsePasswd>;

function sourceFailure<T>(src: RawSource<T> | null, what: string): string | null {
  if (src === null) return `${what}: not collected`;
  return src.ok ? null : `${what}: ${src.error.message}`;
}

function userName(users: Users, uid: number | null): string | null {
  if (uid === null) return null;
  return users.byUid.get(uid)?.name ?? String(uid);
}

/** Build one GPU process entry: pid → /proc → cgroup → container → person. */
function attributeProcess(
  sighting: GpuProcessSighting,
  proc: RawProc | undefined,
  raw: RawCapture,
  users: Users,
  containersById: Map<string, Container>,
  redaction: RedactionRules,
): GpuProcess {
  const status = proc?.status === undefined ? null : parseProcStatus(proc.status);
  const stat = proc?.stat === undefined ? null : parseProcStat(proc.stat);
  const cmd = proc?.cmdline === undefined ? null : parseCmdline(proc.cmdline, redaction);
  // Without /proc, nvidia-smi's process name (which may hold arguments) is the command line: masked too.
  const fallback = (cmd?.display ?? null) === null && sighting.processName !== null ? redactCommandText(sighting.processName, redaction) : null;
  const loginUid = proc?.loginuid === undefined ? null : parseLoginUid(proc.loginuid);
  const cgroup = proc?.cgroup === undefined ? null : parseCgroup(proc.cgroup);
  let containerId = cgroup?.containerId ?? null;
  let runtime = cgroup?.runtime ?? null;
  if (containerId === null && proc?.mountinfo !== undefined) {
    containerId = containerIdFromMountinfo(proc.mountinfo);
    if (containerId !== null) runtime ??= proc.mountinfo.includes('/var/lib/containers/') ? 'podman' : 'docker';
  }
  const uid = status?.uid?.real ?? null;
  const kind: GpuProcess['kind'] =
    cgroup === null ? 'unknown' : cgroup.inContainer || containerId !== null ? 'container' : 'host';

  let user: string | null = null;
  let userSource: GpuProcess['userSource'] = 'unknown';
  if (kind === 'container') {
    const owner = containerId === null ? null : containersById.get(containerId)?.owner;
    if (owner?.user) {
      user = owner.user;
      userSource = 'container-owner';
    }
  } else if (loginUid !== null) {
    user = userName(users, loginUid);
    userSource = 'loginuid';
  } else if (uid !== null) {
    user = userName(users, uid);
    userSource = 'uid';
  }
  const name = cmd?.basename ?? status?.name ?? baseName(sighting.processName);
  return {
    pid: sighting.pid,
    gpuUuid: sighting.gpuUuid,
    migUuid: sighting.migUuid,
    usedMemoryMiB: sighting.usedMemoryMiB,
    name,
    cmdline: cmd?.display ?? fallback?.text ?? null,
    cmdlineRedacted: (cmd?.redacted ?? false) || (fallback?.redacted ?? false),
    type: sighting.type,
    uid,
    loginUid,
    user,
    userSource,
    startTime:
      stat === null || raw.meta.bootTimeSec === null
        ? null
        : startTimeIso(stat.startTimeTicks, raw.meta.bootTimeSec, raw.meta.clockTicksPerSec),
    kind,
    containerId,
    containerRuntime: runtime,
    system: isSystemGpuProcess(cmd?.basename ?? null, sighting.processName),
  };
}

function baseName(path: string | null): string | null {
  if (path === null) return null;
  const first = path.trim().split(/\s+/)[0] ?? '';
  const base = first.split(/[\\/]/).pop() ?? '';
  return base === '' ? null : base;
}

function buildContainers(raw: RawCapture, users: Users, options: BuildOptions, errors: SourceError[]): Container[] {
  const inspect = raw.dockerInspect;
  if (inspect === null && raw.meta.disabledSources?.includes('docker') === true) return [];
  if (inspect === null || !inspect.ok) {
    errors.push({ source: 'docker', message: sourceFailure(inspect, 'docker') ?? '' });
    return [];
  }
  const parsed = parseDockerInspect(inspect.value);
  for (const message of parsed.errors) errors.push({ source: 'docker', message });
  const classifyOptions = {
    infrastructureNames: [...options.infrastructureNames],
    infrastructureLabel: options.infrastructureLabel,
  };
  return parsed.containers.map((c) => {
    const cls = classifyContainer(c, classifyOptions);
    return {
      id: c.id,
      name: c.name,
      image: c.image,
      state: c.state,
      createdAt: c.createdAt,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      pid: c.pid,
      labels: c.labels,
      class: cls.class,
      protected: cls.protected,
      owner: resolveOwner(c, { users, mountOwners: raw.mountOwners, homeRoot: options.homeRoot }),
      gpu: gpuRequestOf(c),
      mounts: c.mounts,
      usage: usageOf(raw, c.id, c.state),
    };
  });
}

/** Activity since the previous cycle; null on the first cycle, after a restart, or when the container is not running. */
function usageOf(raw: RawCapture, id: string, state: string): Container['usage'] {
  if (state !== 'running') return null;
  const cur = raw.counters.get(id);
  const prev = raw.previousCounters.get(id);
  if (cur === undefined || prev === undefined) return null;
  return usageBetween(sampleOf(prev), sampleOf(cur));
}

/**
 * Turn one cycle's raw inputs into a HostSnapshot. Pure: the live probe and `--replay` both call it,
 * and every failed source becomes an entry in `errors`, never an empty list that looks like "nothing there".
 */
export function buildSnapshot(raw: RawCapture, options: BuildOptions = DEFAULT_BUILD_OPTIONS): HostSnapshot {
  const split = splitExitedNotes(raw.notes);
  const errors: SourceError[] = split.notes.map((n) => ({ source: n.source, message: n.message }));
  const exitedPids = new Set([...raw.exitedPids, ...split.exitedPids]);
  const explainedPids = pidsWithProcNotes(split.notes);

  const usersFailure = sourceFailure(raw.passwd, 'users');
  if (usersFailure !== null) errors.push({ source: 'users', message: usersFailure });
  const users = parsePasswd(raw.passwd?.ok ? raw.passwd.value : '');

  // A failed command reaches buildGpus as a failed parse, so each problem is reported once, with its cause.
  const xmlSource = raw.nvidiaSmiXml;
  const xml: XmlParseResult | null =
    xmlSource === null ? null : xmlSource.ok ? parseNvidiaSmiXml(xmlSource.value) : { ok: false, message: xmlSource.error.message };
  const list = raw.nvidiaSmiList?.ok ? parseNvidiaSmiList(raw.nvidiaSmiList.value) : null;
  const gpuPart = buildGpus(xml, list);
  for (const message of gpuPart.errors) errors.push({ source: 'gpu', message });
  if (raw.nvidiaSmiList?.ok === false) errors.push({ source: 'gpu', message: sourceFailure(raw.nvidiaSmiList, 'nvidia-smi -L') ?? '' });

  const containers = buildContainers(raw, users, options, errors);
  const containersById = new Map(containers.map((c) => [c.id, c]));
  const exitedSeen = new Set<number>();
  const gpuProcesses = gpuPart.processes.map((s) => {
    const proc = raw.proc.get(s.pid);
    // An exited pid is a normal race (counted); an unreadable one already has its own proc notes.
    if (proc === undefined && exitedPids.has(s.pid)) exitedSeen.add(s.pid);
    else if (proc === undefined && !explainedPids.has(s.pid)) errors.push({ source: 'proc', message: `pid ${s.pid}: no /proc data` });
    return attributeProcess(s, proc, raw, users, containersById, options.redaction);
  });
  // Out-of-range readings become null (with an error line) so the service never rejects the whole cycle.
  const gpus = fitGpus(gpuPart.gpus, errors);
  const fittedProcesses = fitGpuProcesses(gpuProcesses, errors);
  const fittedContainers = containers.map((c) => fitContainerUsage(c, errors));

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    id: `${raw.meta.host}@${raw.meta.takenAt}`,
    host: raw.meta.host,
    takenAt: raw.meta.takenAt,
    probe: { version: options.probeVersion },
    driverVersion: xml?.ok ? xml.driverVersion : null,
    errors: dedupeErrors(errors),
    disabledSources: [...(raw.meta.disabledSources ?? [])],
    exitedProcesses: exitedSeen.size,
    gpus,
    gpuProcesses: fittedProcesses,
    containers: fittedContainers,
  };
}

function dedupeErrors(errors: SourceError[]): SourceError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.source}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
