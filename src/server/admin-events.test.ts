// Silences and grants made or ended through the API are events of the event log, naming the admin.
import { expect, it } from 'vitest';
import type { GwEvent } from '../events/event.ts';
import { expireResolvedSilences } from '../service/notifications.ts';
import { sampleAlert } from '../store/contract.test-suite.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];

async function call(app: App, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(path, { method, headers: { ...bearer(TOKENS.alice), 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('POST and DELETE /v1/silences write silence.created and silence.expired (host/user from plain matchers)', async () => {
  const { app } = testApp();
  const created = await call(app, 'POST', '/v1/silences', { matchers: ['user=bob', 'host=ds01', 'alertname=~idle-.*'], comment: 'holiday', duration: '2h' });
  expect(created.status).toBe(201);
  const id = (created.body['silence'] as { id: string }).id;
  expect((await call(app, 'DELETE', `/v1/silences/${id}`)).status).toBe(200);
  expect((await call(app, 'DELETE', `/v1/silences/${id}`)).status).toBe(409);
  const { body } = await call(app, 'GET', '/v1/events?type=silence');
  const events = body['events'] as GwEvent[];
  expect(events.map((e) => [e.type, e.host, e.user, e.subject, e.at])).toEqual([
    ['silence.created', 'ds01', 'bob', id, NOW.toISOString()],
    ['silence.expired', 'ds01', 'bob', id, NOW.toISOString()],
  ]);
  expect(events[0]?.details).toEqual({ by: 'admin:alice', comment: 'holiday', matchers: ['user=bob', 'host=ds01', 'alertname=~idle-.*'], endsAt: new Date(NOW.getTime() + 7_200_000).toISOString() });
});

it('POST and DELETE /v1/grants write grant.created and grant.revoked (user the exempted user)', async () => {
  const { app } = testApp();
  const created = await call(app, 'POST', '/v1/grants', { user: 'carol', rule: 'idle-gpu-container', duration: '3d', reason: 'thesis run' });
  expect(created.status).toBe(201);
  const id = (created.body['grant'] as { id: string }).id;
  expect((await call(app, 'DELETE', `/v1/grants/${id}`)).status).toBe(200);
  expect((await call(app, 'DELETE', `/v1/grants/${id}`)).status).toBe(409);
  const events = (await call(app, 'GET', '/v1/events?user=carol')).body['events'] as GwEvent[];
  expect(events.map((e) => [e.type, e.user, e.subject, e.details['by'], e.details['rule']])).toEqual([
    ['grant.created', 'carol', id, 'admin:alice', 'idle-gpu-container'],
    ['grant.revoked', 'carol', id, 'admin:alice', 'idle-gpu-container'],
  ]);
});

it('an expire-on-resolve silence that ends because its alerts resolved is a silence.expired event by expire-on-resolve', async () => {
  const store = createMemoryStore();
  await store.addSilence({
    id: 's1', matchers: [{ name: 'host', value: 'ds01', isRegex: false, isEqual: true }], createdBy: 'alice', comment: 'until fixed',
    startsAt: NOW.toISOString(), endsAt: new Date(NOW.getTime() + 3_600_000).toISOString(), expireOnResolve: true, createdAt: NOW.toISOString(), expiredAt: null,
  });
  await store.commitEvaluation({ hostRecord: { host: 'ds01', lastSeenAt: NOW.toISOString(), lastTakenAt: NOW.toISOString(), tracked: '' }, upsert: [sampleAlert({ host: 'ds01', labels: { host: 'ds01', user: 'alice' }, state: 'resolved', resolvedAt: NOW.toISOString() })], remove: [] });
  const later = new Date(NOW.getTime() + 60_000);
  expect(await expireResolvedSilences(store, later)).toBe(1);
  const { events } = await store.listEvents({});
  expect(events.map((e) => [e.type, e.host, e.subject, e.details['by'], e.at])).toEqual([['silence.expired', 'ds01', 's1', 'expire-on-resolve', later.toISOString()]]);
});
