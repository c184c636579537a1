import { classifyCgroupPath } from './cgroup-path.ts';

/** Docker (`…/docker/containers/<id>/…`) and podman (`…/overlay-containers/<id>/…`) per-container dirs. */
const ENGINE_CONTAINER_DIR = /\/(?:docker\/containers|overlay-containers)\/([0-9a-f]{64})\//;
/** Any `containers/<id>/` dir that provides /etc/hostname, /etc/hosts or /etc/resolv.conf (custom data-root). */
const GENERIC_CONTAINER_FILE = /\/containers\/([0-9a-f]{64})\/(?:userdata\/)?(?:resolv\.conf|hostname|hosts)$/;
const ETC_FILES = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

interface MountLine {
  root: string;
  mountPoint: string;
  fsType: string | null;
}

function parseMountLine(line: string): MountLine | null {
  const fields = line.split(' ');
  const root = fields[3];
  const mountPoint = fields[4];
  if (root === undefined || mountPoint === undefined) return null;
  const dash = fields.indexOf('-', 5);
  const fsType = dash >= 0 ? (fields[dash + 1] ?? null) : null;
  return { root, mountPoint, fsType };
}

function engineId(root: string): string | null {
  const engine = ENGINE_CONTAINER_DIR.exec(root);
  if (engine?.[1] !== undefined) return engine[1];
  const generic = GENERIC_CONTAINER_FILE.exec(root);
  return generic?.[1] ?? null;
}

// Order of preference: the engine's /etc/hostname|hosts|resolv.conf bind mounts, then any
// engine container dir, then the root of a cgroup mount (gardener-style cgroup2 mounts).
/** Container id from /proc/<pid>/mountinfo, for a process whose cgroup is just `0::/`; null if none. Never throws. */
export function containerIdFromMountinfo(text: string): string | null {
  if (typeof text !== 'string') return null;
  const mounts: MountLine[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const mount = parseMountLine(line);
    if (mount !== null) mounts.push(mount);
  }
  for (const mount of mounts) {
    if (!ETC_FILES.has(mount.mountPoint)) continue;
    const id = engineId(mount.root);
    if (id !== null) return id;
  }
  for (const mount of mounts) {
    const engine = ENGINE_CONTAINER_DIR.exec(mount.root);
    if (engine?.[1] !== undefined) return engine[1];
  }
  for (const mount of mounts) {
    if (mount.fsType !== 'cgroup' && mount.fsType !== 'cgroup2') continue;
    const id = classifyCgroupPath(mount.root).containerId;
    if (id !== null) return id;
  }
  return null;
}
