// DS01's keep-alive: a user touches /workspace/.keep-alive to keep an idle container. The probe stats the file on the
// host side of the /workspace mount (never `docker exec`), without following a symlink out of the mount.
import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Mount } from '../../snapshot/schema.ts';

/** The keep-alive file inside a container. */
export const KEEP_ALIVE_PATH = '/workspace/.keep-alive';

/** Host path of `containerPath` through the mount whose destination is it or its nearest parent; null when none. */
export function hostPathOf(mounts: readonly Mount[], containerPath: string): string | null {
  let best: Mount | null = null;
  for (const m of mounts) {
    if (m.source === null || m.source === '') continue;
    const dest = posix.normalize(m.destination).replace(/\/+$/, '') || '/';
    const covers = dest === '/' || containerPath === dest || containerPath.startsWith(`${dest}/`);
    if (covers && (best === null || dest.length > posix.normalize(best.destination).replace(/\/+$/, '').length)) best = { ...m, destination: dest };
  }
  if (best === null || best.source === null) return null;
  const rest = best.destination === '/' ? containerPath.slice(1) : containerPath.slice(best.destination.length + 1);
  return rest === '' ? best.source : posix.join(best.source, rest);
}

/** The veto detail when a keep-alive file younger than `maxAgeH` exists under the container's mounts; else null. */
export async function keepAliveVeto(mounts: readonly Mount[], containerName: string, maxAgeH: number, nowMs: number): Promise<string | null> {
  const path = hostPathOf(mounts, KEEP_ALIVE_PATH);
  if (path === null) return null;
  let mtimeMs: number;
  try {
    const st = await lstat(path);
    if (!st.isFile()) return null;
    mtimeMs = st.mtimeMs;
  } catch {
    return null; // no file: no veto
  }
  const ageH = (nowMs - mtimeMs) / 3_600_000;
  if (ageH >= maxAgeH) return null;
  return `vetoed by the probe: container ${containerName} has ${KEEP_ALIVE_PATH} touched ${Math.max(0, ageH).toFixed(1)} h ago (keep_alive_max_age_h ${maxAgeH})`;
}
