// Containers are immutable but for their State (and name): a long-running probe inspects a container again
// only when its list entry says something changed, instead of inspecting all of them every cycle.

/** One kept inspect document and the list-entry fingerprint it was read under. */
interface CachedInspect {
  key: string;
  doc: unknown;
}

/** Inspect documents kept across cycles by container id; `tag` names how they were prepared (e.g. the masking rules). */
export interface InspectCache {
  entries: Map<string, CachedInspect>;
  tag: unknown;
}

/** An empty cache: the first cycle inspects every container. */
export function createInspectCache(): InspectCache {
  return { entries: new Map(), tag: undefined };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What of a list entry (GET /containers/json) changes whenever the inspect document can: `State`, `Status`
 * (uptime text, so a restart shows; health; paused) and the names (`docker rename`).
 */
export function listKeyOf(entry: unknown): string {
  if (!isRecord(entry)) return '';
  const names = Array.isArray(entry.Names) ? entry.Names.join(',') : '';
  return `${String(entry.State)}\u0000${String(entry.Status)}\u0000${names}`;
}

/** Main pid of a running container's inspect document, else null. */
export function runningPidOf(doc: unknown): number | null {
  const state = isRecord(doc) && isRecord(doc.State) ? doc.State : null;
  if (state === null || state.Status !== 'running') return null;
  return typeof state.Pid === 'number' && state.Pid > 0 ? state.Pid : null;
}

/** The kept document of `id` when its list entry is unchanged and, if running, its main pid still exists; else null. */
export function reusable(cache: InspectCache, id: string, entry: unknown, pidAlive: (pid: number) => boolean): unknown {
  const kept = cache.entries.get(id);
  if (kept === undefined || kept.key !== listKeyOf(entry)) return null;
  const pid = runningPidOf(kept.doc);
  // A restart between two cycles whose uptime text happens to read the same: the old main process is gone.
  if (pid !== null && !pidAlive(pid)) return null;
  return kept.doc;
}
