/** Container engines and orchestrators that can be recognised from a cgroup path. */
export type ContainerRuntime =
  | 'docker'
  | 'containerd'
  | 'cri-o'
  | 'podman'
  | 'lxc'
  | 'ecs'
  | 'garden'
  | 'kubernetes';

/** What one cgroup path says about the container a process runs in. */
export interface CgroupPathInfo {
  /** Outermost 64-lowercase-hex container id on the path, or null. */
  containerId: string | null;
  /** Engine or orchestrator the path belongs to; null for a host cgroup. */
  runtime: ContainerRuntime | null;
  /** AWS Fargate 1.4 id `<32 hex>-<digits>` (not a docker id), or null. */
  fargateContainerId: string | null;
  /** Kubernetes pod UID with dashes (slice names write it with underscores), or null. */
  podUid: string | null;
  /** True when the path has `..` segments, i.e. it was read from inside another cgroup namespace. */
  relative: boolean;
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
const ID_SEGMENT = /^(?:(docker|cri-containerd|crio|libpod)-)?([0-9a-f]{64})(?:\.scope)?$/;
const COLON_ID_SEGMENT = /:(docker|cri-containerd|crio):([0-9a-f]{64})$/;
const SCOPE_SEGMENT = /^(docker|cri-containerd|crio|libpod)-(.+)\.scope$/;
const FARGATE_SEGMENT = /^[0-9a-f]{32}-\d+$/;
const POD_UID =
  /(?:^|[/:])(?:kubepods(?:-[a-z]+)*-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?=$|[/:])/;

const PREFIX_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  crio: 'cri-o',
  libpod: 'podman',
};

/** Parent directories whose non-empty child is a container of that runtime. */
const PARENT_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  lxc: 'lxc',
  garden: 'garden',
  ecs: 'ecs',
};

/** True for a full docker-style container id: exactly 64 lowercase hex characters. */
export function isContainerId(value: string): boolean {
  return CONTAINER_ID.test(value);
}

interface IdMatch {
  id: string;
  prefix: string | null;
  index: number;
}

function findOutermostId(segments: string[]): IdMatch | null {
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] ?? '';
    const plain = ID_SEGMENT.exec(segment);
    if (plain?.[2] !== undefined) return { id: plain[2], prefix: plain[1] ?? null, index };
    const colon = COLON_ID_SEGMENT.exec(segment);
    if (colon?.[2] !== undefined) return { id: colon[2], prefix: colon[1] ?? null, index };
  }
  return null;
}

function runtimeForId(segments: string[], match: IdMatch): ContainerRuntime {
  if (match.prefix !== null) return PREFIX_RUNTIME[match.prefix] ?? 'docker';
  const parents = segments.slice(0, match.index);
  if (parents.some((s) => s.startsWith('kubepods'))) return 'kubernetes';
  if (parents.includes('ecs')) return 'ecs';
  // `/docker/<id>`, docker's old LXC exec driver `/lxc/<id>`, `--cgroup-parent` dirs and old GKE `/<id>`.
  return 'docker';
}

function runtimeWithoutId(segments: string[]): ContainerRuntime | null {
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = segments[index] ?? '';
    const scope = SCOPE_SEGMENT.exec(segment);
    if (scope?.[1] !== undefined && !scope[2]?.startsWith('conmon-')) {
      return PREFIX_RUNTIME[scope[1]] ?? null;
    }
    const next = segments[index + 1];
    const parentRuntime = Object.hasOwn(PARENT_RUNTIME, segment) ? PARENT_RUNTIME[segment] : undefined;
    if (parentRuntime !== undefined && next !== undefined && next !== '') return parentRuntime;
  }
  if (segments.some((s) => s.startsWith('kubepods'))) return 'kubernetes';
  return null;
}

function findFargateId(segments: string[]): string | null {
  const ecsIndex = segments.indexOf('ecs');
  if (ecsIndex < 0) return null;
  for (const segment of segments.slice(ecsIndex + 1)) {
    if (FARGATE_SEGMENT.test(segment)) return segment;
  }
  return null;
}

function findPodUid(path: string): string | null {
  if (!path.includes('kubepods')) return null;
  const match = POD_UID.exec(path);
  return match?.[1] !== undefined ? match[1].replaceAll('_', '-') : null;
}

/** Classify one cgroup path (the third field of a /proc/<pid>/cgroup line). Never throws. */
export function classifyCgroupPath(path: string): CgroupPathInfo {
  const segments = path.split('/');
  const relative = segments.includes('..');
  const podUid = findPodUid(path);
  const match = findOutermostId(segments);
  if (match !== null) {
    return {
      containerId: match.id,
      runtime: runtimeForId(segments, match),
      fargateContainerId: null,
      podUid,
      relative,
    };
  }
  const fargateContainerId = findFargateId(segments);
  return {
    containerId: null,
    runtime: fargateContainerId !== null ? 'ecs' : runtimeWithoutId(segments),
    fargateContainerId,
    podUid,
    relative,
  };
}
