// GET /v1/usage/history over a real memory store: windows per range, filters, auth, and a bad range named.
import { expect, it } from 'vitest';
import { sampleUsage } from '../store/contract-usage.test-suite.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

async function get(app: ReturnType<typeof testApp>['app'], path: string, token: string = TOKENS.alice): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(path, { headers: bearer(token) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function seeded(): Promise<ReturnType<typeof testApp>> {
  const t = testApp(); // NOW = 2026-11-25T17:20Z
  await t.store.commitEvaluation({
    hostRecord: null, upsert: [], remove: [],
    usage: [
      sampleUsage('2026-11-25T17:00:00Z', '2026-11-25T17:01:00Z', { gpuEquivalents: 2, idleGpuEquivalents: 1 }),
      sampleUsage('2026-11-25T17:00:00Z', '2026-11-25T17:01:00Z', { user: 'bob', host: 'gpu2' }),
      sampleUsage('2026-11-20T08:00:00Z', '2026-11-20T08:01:00Z'), // 5 days ago: only in 7d and 30d
    ],
  });
  return t;
}

it('24h (the default): 5-minute buckets of the last 24 hours, window aligned to buckets', async () => {
  const { app } = await seeded();
  const { status, body } = await get(app, '/v1/usage/history');
  expect(status).toBe(200);
  expect(body).toEqual({
    range: '24h', stepS: 300, from: '2026-11-24T17:25:00.000Z', to: '2026-11-25T17:25:00.000Z',
    buckets: [
      { user: 'alice', host: 'gpu1', start: '2026-11-25T17:00:00.000Z', gpuSeconds: 120, idleGpuSeconds: 60 },
      { user: 'bob', host: 'gpu2', start: '2026-11-25T17:00:00.000Z', gpuSeconds: 60, idleGpuSeconds: 0 },
    ],
  });
  expect((await get(app, `/v1/usage/history?range=24h`)).body).toEqual(body);
  expect(NOW.toISOString()).toBe('2026-11-25T17:20:00.000Z');
});

it('7d and 30d: hourly buckets; user and host filter', async () => {
  const { app } = await seeded();
  const week = await get(app, '/v1/usage/history?range=7d&user=alice');
  expect(week.body).toMatchObject({ range: '7d', stepS: 3600, from: '2026-11-18T18:00:00.000Z', to: '2026-11-25T18:00:00.000Z' });
  expect((week.body['buckets'] as { start: string }[]).map((b) => b.start)).toEqual(['2026-11-20T08:00:00.000Z', '2026-11-25T17:00:00.000Z']);
  const month = await get(app, '/v1/usage/history?range=30d&host=gpu2');
  expect((month.body['buckets'] as { user: string }[]).map((b) => b.user)).toEqual(['bob']);
});

it('a bad range or an unknown parameter is a 400 naming the parameter', async () => {
  const { app } = await seeded();
  const bad = await get(app, '/v1/usage/history?range=1y');
  expect(bad.status).toBe(400);
  expect(bad.body['issues']).toEqual([{ path: 'range', message: 'must be one of 24h, 7d, 30d' }]);
  const unknown = await get(app, '/v1/usage/history?span=7d');
  expect(unknown.status).toBe(400);
  expect(JSON.stringify(unknown.body['issues'])).toContain('span');
});

it('needs an admin token (a host token is refused, no token is 401)', async () => {
  const { app } = await seeded();
  expect((await get(app, '/v1/usage/history', TOKENS.ds01)).status).toBe(403);
  expect((await app.request('/v1/usage/history')).status).toBe(401);
});
