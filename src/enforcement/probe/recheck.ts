// Re-read an action's target right before acting: a container that was replaced, restarted or stopped, or a pid that
// exited or was recycled, is not the target the service planned for.
import { EngineHttpError, engineGet } from '../../probe/docker/engine-get.ts';
import type { InspectedContainer } from '../../probe/docker/inspected-container.ts';
import { parseDockerInspect } from '../../probe/docker/parse-inspect.ts';
import type { ContainerTarget, ProcessTarget } from '../action.ts';
import { readProcessIdentity, type ProcessIdentity } from './proc-identity.ts';

/** The target as it is now, or why it is not the planned one. */
export type Recheck<T> = { ok: true; live: T } | { ok: false; detail: string };

/** How long one inspect may take. */
const INSPECT_TIMEOUT_MS = 10_000;

/** Why the live container differs from the planned one, or null when it is the same (pure). */
export function containerDifference(target: ContainerTarget, live: InspectedContainer): string | null {
  const name = target.name || target.containerId.slice(0, 12);
  if (live.id !== target.containerId.toLowerCase()) return `container ${name} was replaced (id differs)`;
  if (live.createdAt !== target.createdAt) return `container ${name} was re-created (created ${String(live.createdAt)}, planned for ${String(target.createdAt)})`;
  if (live.startedAt !== target.startedAt) return `container ${name} was restarted (started ${String(live.startedAt)}, planned for ${String(target.startedAt)})`;
  if (live.state !== target.state.toLowerCase()) return `container ${name} is ${live.state} now, not ${target.state}`;
  return null;
}

/** Why the live process differs from the planned one, or null when it is the same (pure). */
export function processDifference(target: ProcessTarget, live: ProcessIdentity | null): string | null {
  if (live === null || live.state === 'Z') return `process ${target.pid} has exited`;
  if (target.startTime !== null && live.startTime !== target.startTime) {
    return `process ${target.pid} is another process now (started ${String(live.startTime)}, planned for ${target.startTime})`;
  }
  if (target.uid !== null && live.uid !== target.uid) return `process ${target.pid} is another process now (uid ${String(live.uid)}, planned for ${target.uid})`;
  if (target.startTime === null && target.uid === null) return `process ${target.pid} cannot be recognised (the plan has neither start time nor uid)`;
  return null;
}

/** Inspect the container now (by id, then by name so a replacement is told apart from a removal); null when gone. */
export async function inspectContainer(socketPath: string, idOrName: string): Promise<InspectedContainer | null> {
  try {
    const json = await engineGet(socketPath, `/containers/${encodeURIComponent(idOrName)}/json`, AbortSignal.timeout(INSPECT_TIMEOUT_MS));
    const parsed = parseDockerInspect(json);
    const container = parsed.containers[0];
    if (container === undefined) throw new Error(parsed.errors[0] ?? 'docker inspect gave no container');
    return container;
  } catch (err) {
    if (err instanceof EngineHttpError && err.statusCode === 404) return null;
    throw err;
  }
}

/** Re-read a container target through the Engine API; throws only when the engine cannot be asked. */
export async function recheckContainer(socketPath: string, target: ContainerTarget): Promise<Recheck<InspectedContainer>> {
  const name = target.name || target.containerId.slice(0, 12);
  const byId = await inspectContainer(socketPath, target.containerId);
  if (byId === null) {
    const byName = target.name === '' ? null : await inspectContainer(socketPath, target.name);
    return { ok: false, detail: byName === null ? `container ${name} no longer exists` : `container ${name} was replaced (id differs)` };
  }
  const difference = containerDifference(target, byId);
  return difference === null ? { ok: true, live: byId } : { ok: false, detail: difference };
}

/** Re-read a process target from /proc (start time and uid). */
export async function recheckProcess(procRoot: string, bootTimeSec: number | null, target: ProcessTarget): Promise<Recheck<ProcessIdentity>> {
  const live = await readProcessIdentity(procRoot, target.pid, bootTimeSec);
  const difference = processDifference(target, live);
  return difference === null && live !== null ? { ok: true, live } : { ok: false, detail: difference ?? `process ${target.pid} has exited` };
}
