import type { InspectedContainer } from './inspected-container.ts';

/** Test helper: a neutral running container (no labels, no mounts, no GPU) with `overrides` applied. */
export function makeInspected(overrides: Partial<InspectedContainer> = {}): InspectedContainer {
  return {
    id: 'a'.repeat(64),
    name: 'plain',
    image: 'debian:bookworm',
    state: 'running',
    createdAt: '2026-07-20T09:15:02.123Z',
    startedAt: '2026-07-20T09:15:03.571Z',
    finishedAt: null,
    pid: 4242,
    labels: {},
    env: {},
    runtime: 'runc',
    deviceRequests: null,
    devices: [],
    cgroupParent: null,
    networkMode: 'bridge',
    mounts: [],
    ...overrides,
  };
}
