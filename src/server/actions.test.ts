import { describe, expect, it } from 'vitest';
import type { StoredAction } from '../enforcement/stored-action.ts';
import { sampleAction } from '../store/contract-actions.test-suite.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];

async function call(app: App, method: string, path: string, token: string = TOKENS.alice): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(path, { method, headers: bearer(token) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const ids = (body: Record<string, unknown>): string[] => (body.actions as StoredAction[]).map((a) => a.action.id);

async function seeded() {
  const t = testApp();
  await t.store.commitEvaluation({
    hostRecord: null, upsert: [], remove: [],
    actions: [sampleAction('a-old'), sampleAction('a-wait', { state: 'awaiting-approval', createdAt: '2026-11-25T10:01:00.000Z' }), sampleAction('b', { createdAt: '2026-11-25T10:02:00.000Z' }, 'ds02')],
  });
  return t;
}

describe('GET /v1/actions', () => {
  it('lists actions newest first with state and result, filtered by host, state, user and limit', async () => {
    const { app } = await seeded();
    expect(ids((await call(app, 'GET', '/v1/actions')).body)).toEqual(['b', 'a-wait', 'a-old']);
    expect(ids((await call(app, 'GET', '/v1/actions?host=gpu1&state=awaiting-approval')).body)).toEqual(['a-wait']);
    expect(ids((await call(app, 'GET', '/v1/actions?user=alice&limit=1')).body)).toEqual(['b']);
    const [first] = (await call(app, 'GET', '/v1/actions?host=ds02')).body.actions as StoredAction[];
    expect(first).toMatchObject({ state: 'scheduled', result: null, action: { type: 'stop-container', host: 'ds02' } });
  });

  it('refuses a bad filter with its path, and a host token', async () => {
    const { app } = await seeded();
    const bad = await call(app, 'GET', '/v1/actions?state=sleeping&limit=0');
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['limit', 'state']);
    expect((await call(app, 'GET', '/v1/actions', TOKENS.ds01)).status).toBe(403);
  });
});

describe('POST /v1/actions/:id/approve', () => {
  it('releases an action awaiting approval, recording the admin; then refuses a second approval and unknown ids', async () => {
    const { app, store } = await seeded();
    const ok = await call(app, 'POST', '/v1/actions/a-wait/approve');
    expect(ok.status).toBe(200);
    expect(ok.body.action).toMatchObject({ state: 'scheduled', approvedBy: 'alice', approvedAt: NOW.toISOString() });
    expect((await store.getActions(['a-wait']))[0]?.state).toBe('scheduled');
    const again = await call(app, 'POST', '/v1/actions/a-wait/approve');
    expect([again.status, again.body.message]).toEqual([409, 'action "a-wait" is scheduled, not awaiting approval']);
    expect((await call(app, 'POST', '/v1/actions/nope/approve')).status).toBe(404);
    expect((await call(app, 'POST', '/v1/actions/b/approve', TOKENS.ds01)).status).toBe(403);
  });
});
