// Runs inside workerd (the `workers` vitest project): builds the Hono app there on the memory store and the
// store-only core and drives it like a probe and an admin would. Together with src/server/import-graph.test.ts
// this shows the service core needs nothing from Node.
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/server/worker.ts';
import { D1_BINDING_MISSING } from '../../src/server/worker-store.ts';
import { bearer, NOW, sampleAlert, TEST_AUTH, testApp, TOKENS, validSnapshot } from '../../src/server/test-support.ts';
import { createApp } from '../../src/server/app.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createMemoryStore } from '../../src/store/memory/memory-store.ts';
import { createStoreOnlyCore } from '../../src/service/store-only-core.ts';

const post = (app: ReturnType<typeof testApp>['app'], body: unknown, token: string): Promise<Response> =>
  Promise.resolve(
    app.request('/v1/snapshots', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { ...bearer(token), 'content-type': 'application/json' },
    }),
  );

describe('the app inside workerd', () => {
  it('really runs in workerd', () => {
    expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe('Cloudflare-Workers');
  });

  it('logs a 403 host mismatch as one JSON line with a request id, the client from cf-connecting-ip, never the token', async () => {
    const store = createMemoryStore();
    const lines: string[] = [];
    const app = createApp({
      store, core: createStoreOnlyCore(store), auth: TEST_AUTH, clock: () => NOW, log: () => undefined,
      logger: createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) }),
      clientAddress: (c) => c.req.header('cf-connecting-ip'),
    });
    const res = await Promise.resolve(app.request('/v1/snapshots', {
      method: 'POST', body: JSON.stringify(validSnapshot({ host: 'ds02' })),
      headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.5' },
    }));
    expect(res.status).toBe(403);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({ level: 'warn', status: 403, error: 'host_mismatch', principal: 'ds01', client: '203.0.113.5', requestId: res.headers.get('x-request-id') }),
    ]);
    expect(lines.join('')).not.toContain(TOKENS.ds01);
  });

  it('accepts a snapshot once, then reports the duplicate', async () => {
    const { app, store } = testApp();
    const first = await post(app, validSnapshot(), TOKENS.ds01);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: true, alerts: [], actions: [] });
    const again = await post(app, validSnapshot(), TOKENS.ds01);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: false, alerts: [], actions: [] });
    expect(await store.listSnapshots('ds01')).toHaveLength(1);
    expect((await store.getHost('ds01'))?.lastSeenAt).toBe(NOW.toISOString());
  });

  it('401 for a wrong token (Web Crypto hashing works here), 403 for another host', async () => {
    const { app } = testApp();
    const wrong = await post(app, validSnapshot(), 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('WWW-Authenticate')).toContain('Bearer');
    expect((await post(app, validSnapshot({ host: 'ds02' }), TOKENS.ds01)).status).toBe(403);
  });

  it('400 with the dotted path for an invalid field', async () => {
    const { app } = testApp();
    const snapshot = validSnapshot();
    const res = await post(app, { ...snapshot, gpus: [{ ...snapshot.gpus[0], memoryUsedMiB: 'lots' }] }, TOKENS.ds01);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('gpus.0.memoryUsedMiB');
  });

  it('GET /v1/alerts and /v1/hosts with the admin token', async () => {
    const { app, store } = testApp();
    await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert()], remove: [] });
    const alerts = await app.request('/v1/alerts?state=firing', { headers: bearer(TOKENS.alice) });
    expect(alerts.status).toBe(200);
    expect(await alerts.json()).toEqual({ alerts: [sampleAlert()] });
    expect((await post(app, validSnapshot(), TOKENS.ds01)).status).toBe(200);
    const hosts = await app.request('/v1/hosts', { headers: bearer(TOKENS.alice) });
    expect(await hosts.json()).toEqual({ hosts: [{ host: 'ds01', lastSeenAt: NOW.toISOString(), lastTakenAt: validSnapshot().takenAt }] });
  });

  it('GET /metrics answers in the Prometheus text format after a snapshot', async () => {
    const { app } = testApp({ clock: () => new Date(Date.parse(validSnapshot().takenAt) + 10_000) });
    expect((await post(app, validSnapshot(), TOKENS.ds01)).status).toBe(200);
    const res = await Promise.resolve(app.request('/metrics', { headers: bearer(TOKENS.alice) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('gpuwarden_host_up{host="ds01"} 1\n');
    expect(text).toContain('gpuwarden_gpu_temperature_celsius{host="ds01",gpu="0",uuid="GPU-00000000-0000-0000-0000-000000000000"} 53\n');
  });

  it('the Workers entry loads and says clearly that the D1 binding is missing', async () => {
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await worker.fetch(new Request('https://gpuwarden.example/healthz'), {}, ctx);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'unavailable', message: D1_BINDING_MISSING });
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });
});
