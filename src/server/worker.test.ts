// The Workers entry, exercised in Node (the workerd smoke test is test/workers/app.workers.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionContext } from 'hono';
import worker from './worker.ts';
import { drainOutbox, setWorkerSeams, workerServiceFor } from './worker-service.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import type { WorkerEnv } from './worker-env.ts';
import { authFromEnv, bodyLimitFromEnv, maxSnapshotAgeHFromEnv } from './worker-env.ts';
import { D1_BINDING_MISSING } from './worker-store.ts';
import { TOKEN_SHA256 } from './test-support.ts';

const ctx: ExecutionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('worker entry', () => {
  it('answers 503 with a clear message when the D1 binding is missing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await worker.fetch(new Request('http://w/healthz'), {}, ctx);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'unavailable', message: D1_BINDING_MISSING });
    expect(errors).toHaveBeenCalledWith(`gpuwarden: setup failed: ${D1_BINDING_MISSING}`);
  });

  it('scheduled fails loudly with the same message', async () => {
    await expect(worker.scheduled({ scheduledTime: 0 }, {}, ctx)).rejects.toThrow(D1_BINDING_MISSING);
  });
});

describe('workerServiceFor', () => {
  const namespace = { idFromName: (name: string): unknown => name, get: () => ({ fetch: async (): Promise<Response> => new Response('{}') }) };
  afterEach(() => setWorkerSeams({}));

  it('builds the app once per isolate: the same env gets the same service, another env or new seams a new one', async () => {
    setWorkerSeams({ store: createMemoryStore() });
    const env: WorkerEnv = { HOST_WRITER: namespace };
    const first = workerServiceFor(env);
    expect(workerServiceFor(env)).toBe(first);
    expect((await workerServiceFor(env)).app).toBe((await first).app);
    expect(workerServiceFor({ HOST_WRITER: namespace })).not.toBe(first);
    const again = workerServiceFor(env);
    setWorkerSeams({ store: createMemoryStore() });
    expect(workerServiceFor(env)).not.toBe(again);
  });

  it('does not keep a failed build: the next request tries again (and fails again, saying why)', async () => {
    const env: WorkerEnv = {};
    const first = workerServiceFor(env);
    await expect(first).rejects.toThrow(D1_BINDING_MISSING);
    const second = workerServiceFor(env);
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow(D1_BINDING_MISSING);
  });
});

describe('authFromEnv', () => {
  it('reads scrape token hashes from GPUWARDEN_SCRAPE_TOKENS, naming the variable for a bad one', () => {
    expect(authFromEnv({ GPUWARDEN_SCRAPE_TOKENS: JSON.stringify({ prometheus: TOKEN_SHA256.ds02 }) }).scrapers).toEqual([{ name: 'prometheus', tokenSha256: TOKEN_SHA256.ds02 }]);
    expect(() => authFromEnv({ GPUWARDEN_SCRAPE_TOKENS: JSON.stringify({ prometheus: 'abc' }) })).toThrow(/^GPUWARDEN_SCRAPE_TOKENS: prometheus: must be 64 hex characters/);
  });

  it('reads host and admin hashes from JSON variables', () => {
    const env = {
      GPUWARDEN_HOST_TOKENS: JSON.stringify({ ds01: TOKEN_SHA256.ds01.toUpperCase() }),
      GPUWARDEN_ADMIN_TOKENS: JSON.stringify({ alice: TOKEN_SHA256.alice }),
    };
    expect(authFromEnv(env)).toEqual({
      hosts: [{ name: 'ds01', tokenSha256: TOKEN_SHA256.ds01 }],
      admins: [{ name: 'alice', tokenSha256: TOKEN_SHA256.alice }],
    });
  });

  it('no variables: nobody is let in', () => {
    expect(authFromEnv({ GPUWARDEN_HOST_TOKENS: ' ' })).toEqual({ hosts: [], admins: [] });
  });

  it('names the variable that is wrong', () => {
    expect(() => authFromEnv({ GPUWARDEN_HOST_TOKENS: '{' })).toThrow('GPUWARDEN_HOST_TOKENS is not valid JSON');
    expect(() => authFromEnv({ GPUWARDEN_ADMIN_TOKENS: '{"alice": "abc"}' })).toThrow(
      'GPUWARDEN_ADMIN_TOKENS: alice: must be 64 hex characters',
    );
    expect(() => authFromEnv({ GPUWARDEN_HOST_TOKENS: '["x"]' })).toThrow('GPUWARDEN_HOST_TOKENS: ');
  });
});

describe('bodyLimitFromEnv', () => {
  it('is undefined (the app default) when unset and a number when set', () => {
    expect(bodyLimitFromEnv({})).toBeUndefined();
    expect(bodyLimitFromEnv({ GPUWARDEN_BODY_LIMIT_BYTES: '1048576' })).toBe(1_048_576);
  });

  it('rejects anything but a positive whole number', () => {
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      expect(() => bodyLimitFromEnv({ GPUWARDEN_BODY_LIMIT_BYTES: bad })).toThrow('GPUWARDEN_BODY_LIMIT_BYTES must be a positive whole number');
    }
  });
});

describe('drainOutbox', () => {
  it('repeats delivery passes while they send, and stops at the first empty pass', async () => {
    const sends = [2, 1, 0, 5];
    let passes = 0;
    const total = await drainOutbox(async () => sends[passes++] ?? 0, 10_000, 0);
    expect(total).toBe(3);
    expect(passes).toBe(3);
  });

  it('leaves the rest to the next cron run when the budget is spent', async () => {
    let passes = 0;
    const total = await drainOutbox(async () => (passes++, 1), 5, 10);
    expect(total).toBe(1);
    expect(passes).toBe(1);
  });
});

describe('the Workers entry module', () => {
  it('exports only what workerd accepts from a main module: the handler and the Durable Object class', async () => {
    const entry = (await import('./worker.ts')) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(['HostWriter', 'default']);
    for (const [name, value] of Object.entries(entry)) expect([name, typeof value]).toEqual([name, name === 'default' ? 'object' : 'function']);
  });
});

describe('maxSnapshotAgeHFromEnv', () => {
  it('reads whole hours from 1 to 720, falls back when unset, and names the variable when wrong', () => {
    expect(maxSnapshotAgeHFromEnv({}, 24)).toBe(24);
    expect(maxSnapshotAgeHFromEnv({ GPUWARDEN_MAX_SNAPSHOT_AGE_H: '720' }, 24)).toBe(720);
    for (const bad of ['0', '721', '1.5', 'a day']) {
      expect(() => maxSnapshotAgeHFromEnv({ GPUWARDEN_MAX_SNAPSHOT_AGE_H: bad }, 24)).toThrow(/GPUWARDEN_MAX_SNAPSHOT_AGE_H must be a whole number of hours from 1 to 720/);
    }
  });
});
