import { classifyCgroupPath, type ContainerRuntime } from './cgroup-path.ts';

/** One `hierarchy-id:controller-list:path` line of /proc/<pid>/cgroup. */
export interface CgroupEntry {
  /** Hierarchy id: 0 for the cgroup v2 unified line; null when the field is empty. */
  hierarchyId: number | null;
  /** Controllers of a v1 hierarchy (`cpu,cpuacct` → two), `name=systemd`, or [] for v2. */
  controllers: string[];
  /** The cgroup path; free text that may itself contain `:`. */
  path: string;
}

/** What /proc/<pid>/cgroup says about the process's container. */
export interface CgroupInfo {
  /** Every well-formed line, in file order. */
  entries: CgroupEntry[];
  /** 64-lowercase-hex container id from the first line that carries one, or null. */
  containerId: string | null;
  /** Engine or orchestrator recognised from the paths; null for a host process. */
  runtime: ContainerRuntime | null;
  /** True when any path shows a container, even one whose id cannot be read. */
  inContainer: boolean;
  /** Non-blank lines that are not `id:controllers:/path`. */
  invalidLines: number;
  /** AWS Fargate 1.4 `<32 hex>-<digits>` id (the elastic-apm spec calls it containerId); null otherwise. */
  fargateContainerId: string | null;
  /** Kubernetes pod UID with dashes, or null. */
  podUid: string | null;
  /** True when a path contains `..`: it was read from inside another cgroup namespace. */
  relativePaths: boolean;
}

const HIERARCHY_ID = /^\d{1,9}$/;

/** Parse one line; null when it is not a cgroup line. */
function parseLine(line: string): CgroupEntry | null {
  const first = line.indexOf(':');
  if (first < 0) return null;
  const second = line.indexOf(':', first + 1);
  if (second < 0) return null;
  const hierarchy = line.slice(0, first);
  const path = line.slice(second + 1);
  if (!path.startsWith('/')) return null;
  let hierarchyId: number | null = null;
  if (hierarchy !== '') {
    if (!HIERARCHY_ID.test(hierarchy)) return null;
    hierarchyId = Number(hierarchy);
  }
  const controllers = line
    .slice(first + 1, second)
    .split(',')
    .filter((c) => c !== '');
  return { hierarchyId, controllers, path };
}

/** Parse the text of /proc/<pid>/cgroup (v1, v2 or hybrid). Never throws. */
export function parseCgroup(text: string): CgroupInfo {
  const info: CgroupInfo = {
    entries: [],
    containerId: null,
    runtime: null,
    inContainer: false,
    invalidLines: 0,
    fargateContainerId: null,
    podUid: null,
    relativePaths: false,
  };
  if (typeof text !== 'string') return info;
  let idRuntime: ContainerRuntime | null = null;
  let pathRuntime: ContainerRuntime | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (entry === null) {
      info.invalidLines++;
      continue;
    }
    info.entries.push(entry);
    const path = classifyCgroupPath(entry.path);
    if (info.containerId === null && path.containerId !== null) {
      info.containerId = path.containerId;
      idRuntime = path.runtime;
    }
    pathRuntime ??= path.runtime;
    info.fargateContainerId ??= path.fargateContainerId;
    info.podUid ??= path.podUid;
    info.relativePaths ||= path.relative;
  }
  info.runtime = idRuntime ?? pathRuntime;
  if (info.containerId !== null) info.fargateContainerId = null;
  info.inContainer = info.containerId !== null || info.runtime !== null;
  return info;
}
