// Shared by the server tests (node) and the workerd smoke test: tokens with their hashes, a valid snapshot,
// a fixed clock and an app on the in-memory store. Imports nothing runtime-specific.
import type { Alert } from '../alerts/alert.ts';
import type { Grant } from '../enforcement/grant.ts';
import type { IngestMeta, IngestResult, ServiceCore } from '../service/core.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.ts';
import { createApp } from './app.ts';
import type { AuthConfig } from './auth.ts';
import type { TurnGate } from '../scheduling/turn-gate.ts';

/** Test tokens (never used anywhere real) and the SHA-256 hex the config holds for each. */
export const TOKENS = {
  ds01: 'gw-test-host-ds01-0123456789abcdef0123456789abcdef',
  ds02: 'gw-test-host-ds02-0123456789abcdef0123456789abcdef',
  alice: 'gw-test-admin-alice-0123456789abcdef0123456789abcd',
} as const;

/** sha256 of each of TOKENS (checked against node:crypto in auth.test.ts). */
export const TOKEN_SHA256 = {
  ds01: 'bddf3f9d783cd5e815af7994934d83a0ef35fa817eea2d8d7a9fd7f5dffb9249',
  ds02: 'dd6f07e29f37a5a1f364da08453753c775e6843f29408a1d6279364c2ec1813e',
  alice: '8f3e485baca5fca44f6f373c57e5363e3c7dd2b41e2b257da98193070dda9f59',
} as const;

/** Two probe hosts and one admin. */
export const TEST_AUTH: AuthConfig = {
  hosts: [
    { name: 'ds01', tokenSha256: TOKEN_SHA256.ds01 },
    { name: 'ds02', tokenSha256: TOKEN_SHA256.ds02 },
  ],
  admins: [{ name: 'alice', tokenSha256: TOKEN_SHA256.alice }],
};

/** The time the test clock always says. */
export const NOW = new Date('2026-11-25T17:20:00.000Z');

/** `Authorization` header for a token. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A small valid HostSnapshot: one GPU, one container process, one container. */
export function validSnapshot(overrides: Partial<HostSnapshot> = {}): HostSnapshot {
  const takenAt = overrides.takenAt ?? '2026-11-25T17:17:49.467Z';
  const host = overrides.host ?? 'ds01';
  const containerId = 'a'.repeat(64);
  return {
    schemaVersion: 1,
    id: `${host}@${takenAt}`,
    host,
    takenAt,
    probe: { version: '0.1.0' },
    driverVersion: '590.48.01',
    errors: [],
    gpus: [
      {
        index: 0,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        name: 'NVIDIA H100 80GB HBM3',
        pciBusId: '00000000:1B:00.0',
        memoryTotalMiB: 81559,
        memoryUsedMiB: 2296,
        utilizationPct: 40,
        temperatureC: 53,
        powerW: 444.7,
        migMode: 'disabled',
        migInstances: [],
      },
    ],
    gpuProcesses: [
      {
        pid: 31710,
        gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
        migUuid: null,
        usedMemoryMiB: 2296,
        name: 'python',
        cmdline: 'python train.py',
        type: 'C',
        uid: 1000,
        loginUid: null,
        user: 'alice',
        userSource: 'container-owner',
        startTime: '2026-11-25T17:00:00.000Z',
        kind: 'container',
        containerId,
        containerRuntime: 'docker',
        system: false,
      },
    ],
    containers: [
      {
        id: containerId,
        name: 'alice-train',
        image: 'pytorch:latest',
        state: 'running',
        createdAt: '2026-11-25T16:59:00.000Z',
        startedAt: '2026-11-25T16:59:01.000Z',
        finishedAt: null,
        pid: 31700,
        labels: { 'ds01.user': 'alice' },
        class: 'managed',
        protected: false,
        owner: { user: 'alice', uid: 1000, method: 'label:ds01.user' },
        gpu: { requested: 'count', count: 1, deviceIds: [], uuids: [], via: 'device-requests' },
        mounts: [],
      },
    ],
    ...overrides,
  };
}

/** One alert as the store keeps it (for seeding GET /v1/alerts). */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    fingerprint: 'f'.repeat(16),
    rule: 'bare-metal-gpu',
    host: 'ds01',
    severity: 'warning',
    stage: null,
    labels: { host: 'ds01', user: 'alice' },
    annotations: { summary: 'alice uses a GPU outside a container', description: 'pid 31710' },
    notify: ['admins'],
    state: 'firing',
    activeSince: '2026-11-25T17:00:00.000Z',
    firedAt: '2026-11-25T17:05:00.000Z',
    resolvedAt: null,
    lastMatchedAt: '2026-11-25T17:17:49.467Z',
    updatedAt: '2026-11-25T17:17:49.467Z',
    ...overrides,
  };
}

/** A ServiceCore that records its calls and delegates to the store-only core. */
export interface RecordingCore extends ServiceCore {
  ingested: Array<{ snapshot: HostSnapshot; receivedAt: Date; meta?: IngestMeta }>;
  ticks: Date[];
}

/** Wrap a core so tests can see what reached it. */
export function recordingCore(inner: ServiceCore): RecordingCore {
  const ingested: RecordingCore['ingested'] = [];
  const ticks: Date[] = [];
  return {
    ingested,
    ticks,
    async ingest(snapshot, receivedAt, meta): Promise<IngestResult> {
      ingested.push({ snapshot, receivedAt, meta });
      return inner.ingest(snapshot, receivedAt, meta);
    },
    async tick(now): Promise<void> {
      ticks.push(now);
      return inner.tick(now);
    },
  };
}

/** An app on a fresh memory store with the store-only core, a fixed clock (or `clock`) and captured log lines. */
export function testApp(
  options: {
    bodyLimitBytes?: number;
    core?: (store: MemoryStore) => ServiceCore;
    clock?: () => Date;
    gate?: TurnGate;
    grantsFromConfig?: () => readonly Grant[];
    ruleIds?: () => ReadonlySet<string>;
  } = {},
): {
  app: ReturnType<typeof createApp>;
  store: MemoryStore;
  core: RecordingCore;
  logs: string[];
} {
  const store = createMemoryStore();
  const core = recordingCore(options.core?.(store) ?? createStoreOnlyCore(store));
  const logs: string[] = [];
  const app = createApp({
    store,
    core,
    auth: TEST_AUTH,
    clock: options.clock ?? ((): Date => NOW),
    log: (line) => logs.push(line),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.gate === undefined ? {} : { gate: options.gate }),
    ...(options.grantsFromConfig === undefined ? {} : { grantsFromConfig: options.grantsFromConfig }),
    ...(options.ruleIds === undefined ? {} : { ruleIds: options.ruleIds }),
  });
  return { app, store, core, logs };
}
