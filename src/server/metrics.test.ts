import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../probe/build-snapshot.ts';
import { readCaptureDir } from '../probe/capture-dir.ts';
import { parseExpositionStrictly } from './metrics/strict-parse.test-support.ts';
import { METRICS_CONTENT_TYPE } from './routes/metrics.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createApp } from './app.ts';
import { bearer, NOW, sampleAlert, TEST_AUTH, testApp, TOKEN_SHA256, TOKENS, validSnapshot } from './test-support.ts';
import type { LimitsView } from '../engine/facts/limits-view.ts';
import { defaultLimitsView } from '../service/limits-view-from-config.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

describe('GET /metrics', () => {
  it('gives each user with samples the quota of the limits in force, read per scrape (unlimited: no sample)', async () => {
    const store = createMemoryStore();
    let quota: number | null = 4;
    const base = defaultLimitsView({ probeIntervalS: 30, hostSilentAfterIntervals: 3, fairShareHalfLifeH: 24 });
    const limits = (): LimitsView => ({ ...base, forUser: (user, now) => ({ ...base.forUser(user, now), maxGpuEquivalents: user === 'alice' ? quota : 1 }) });
    const clock = (): Date => new Date(Date.parse(validSnapshot().takenAt) + 10_000);
    const app = createApp({ store, core: createStoreOnlyCore(store), auth: TEST_AUTH, clock, log: () => undefined, limits });
    const post = await app.request('/v1/snapshots', { method: 'POST', headers: { ...bearer(TOKENS.ds01), 'Content-Type': 'application/json' }, body: JSON.stringify(validSnapshot()) });
    expect(post.status).toBe(200);
    const scrape = async (): Promise<unknown> => parseExpositionStrictly(await (await app.request('/metrics', { headers: bearer(TOKENS.alice) })).text()).find((f) => f.name === 'gpuwarden_user_gpu_equivalents_quota');
    expect(await scrape()).toMatchObject({ type: 'GAUGE', metrics: [{ value: '4', labels: { user: 'alice' } }] });
    quota = null;
    expect(await scrape()).toMatchObject({ metrics: [] });
  });

  it('a scrape token reads /metrics and nothing else', async () => {
    const store = createMemoryStore();
    // TOKENS.ds02's hash as a scraper's (a test token; the host ds02 is not configured here).
    const auth = { hosts: [], admins: [], scrapers: [{ name: 'prometheus', tokenSha256: TOKEN_SHA256.ds02 }] };
    const app = createApp({ store, core: createStoreOnlyCore(store), auth, clock: () => NOW, log: () => undefined });
    const res = await app.request('/metrics', { headers: bearer(TOKENS.ds02) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE gpuwarden_host_up gauge\n');
    const alerts = await app.request('/v1/alerts', { headers: bearer(TOKENS.ds02) });
    expect(alerts.status).toBe(403);
    expect(await alerts.json()).toMatchObject({ message: 'this endpoint needs an admin token; scrape tokens may only read GET /metrics' });
    const posted = await app.request('/v1/snapshots', { method: 'POST', headers: { ...bearer(TOKENS.ds02), 'Content-Type': 'application/json' }, body: '{}' });
    expect(posted.status).toBe(403);
  });

  it('needs an admin token: none is 401, a host token 403', async () => {
    const { app } = testApp();
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: bearer(TOKENS.ds01) })).status).toBe(403);
  });

  it('says host_up 0 for a host past the default silent threshold (30 s × 3), with no GPU samples', async () => {
    const { app } = testApp({ clock: () => new Date(Date.parse(validSnapshot().takenAt) + 90_001) });
    const post = await app.request('/v1/snapshots', { method: 'POST', headers: { ...bearer(TOKENS.ds01), 'Content-Type': 'application/json' }, body: JSON.stringify(validSnapshot()) });
    expect(post.status).toBe(200);
    const text = await (await app.request('/metrics', { headers: bearer(TOKENS.alice) })).text();
    expect(text).toContain('gpuwarden_host_up{host="ds01"} 0\n');
    expect(text).not.toMatch(/^gpuwarden_gpu_/m);
  });

  it('exposes a real capture ingested through POST /v1/snapshots, in a format a real parser reads', async () => {
    const captured = buildSnapshot(await readCaptureDir(CAPTURE));
    // Ten seconds after the capture: within the default silent threshold (30 s × 3).
    const { app, store } = testApp({ clock: () => new Date(Date.parse(captured.takenAt) + 10_000) });
    const snapshot = { ...captured, host: 'ds01', id: `ds01@${captured.takenAt}` };
    const post = await app.request('/v1/snapshots', { method: 'POST', headers: { ...bearer(TOKENS.ds01), 'Content-Type': 'application/json' }, body: JSON.stringify(snapshot) });
    expect(post.status).toBe(200);
    await store.commitEvaluation({ hostRecord: null, upsert: [sampleAlert({ host: 'ds01', rule: 'gpu-hot', state: 'firing', severity: 'critical' })], remove: [] });

    const res = await app.request('/metrics', { headers: bearer(TOKENS.alice) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(METRICS_CONTENT_TYPE);
    const families = parseExpositionStrictly(await res.text());
    const samples = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];
    expect(samples('gpuwarden_host_up')).toEqual([{ value: '1', labels: { host: 'ds01' } }]);
    expect(samples('gpuwarden_snapshot_age_seconds')).toEqual([{ value: '10', labels: { host: 'ds01' } }]);
    // One sample per GPU the capture read a memory value for: the capture's own GPUs, never a made-up 0.
    const withMemory = snapshot.gpus.filter((g) => g.memoryUsedMiB !== null);
    expect(withMemory.length).toBeGreaterThan(0);
    expect(samples('gpuwarden_gpu_memory_used_bytes').map((m) => Number(m.value))).toEqual(withMemory.map((g) => (g.memoryUsedMiB ?? 0) * 1048576));
    expect(samples('gpuwarden_gpu_utilization_ratio')).toHaveLength(snapshot.gpus.filter((g) => g.utilizationPct !== null).length);
    expect(samples('gpuwarden_gpu_temperature_celsius')).toHaveLength(snapshot.gpus.filter((g) => g.temperatureC !== null).length);
    expect(samples('gpuwarden_alerts')).toEqual([{ value: '1', labels: { rule: 'gpu-hot', state: 'firing', severity: 'critical' } }]);
    expect(samples('gpuwarden_user_gpu_equivalents').length).toBeGreaterThan(0);
    // Without limits given, each user with samples has the shipped default quota (2); the unknown owner ("") none.
    const users = [...new Set(samples('gpuwarden_user_gpu_equivalents').map((m) => m.labels?.['user'] ?? ''))].filter((u) => u !== '').sort();
    expect(users.length).toBeGreaterThan(0);
    expect(samples('gpuwarden_user_gpu_equivalents_quota')).toEqual(users.map((user) => ({ value: '2', labels: { user } })));
    expect(samples('gpuwarden_outbox_depth')).toEqual([{ value: '0' }]);
    // One ingest counted (its duration is whatever it was: only the count is asserted).
    expect(families.find((f) => f.name === 'gpuwarden_ingest_duration_seconds')?.metrics[0]).toMatchObject({ count: '1', buckets: { '+Inf': '1' } });
  });
});
