// How long each container has been idle, by the engine's tracked state: what `gpuwarden usage` and the web view show.
import { parseTrackedState } from '../engine/facts/tracked.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import type { HostRecord } from '../store/store.ts';

/**
 * Seconds each container of `s` has been idle at the host's last evaluation (lastTakenAt − lastActiveAt, at least
 * 0), by container id; a container the tracked state does not know is left out (not known). Pure.
 */
export function idleSecondsByContainer(s: HostSnapshot, record: HostRecord | null): Record<string, number> {
  if (record === null) return {};
  const tracked = parseTrackedState(record.tracked);
  const asOfMs = Date.parse(record.lastTakenAt);
  const idle: Record<string, number> = {};
  for (const c of s.containers) {
    const lastActiveMs = Date.parse(tracked.containers[c.id]?.lastActiveAt ?? '');
    if (!Number.isNaN(lastActiveMs) && !Number.isNaN(asOfMs)) idle[c.id] = Math.max(0, (asOfMs - lastActiveMs) / 1000);
  }
  return idle;
}
