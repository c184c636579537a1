import { describe, expect, it } from 'vitest';
import type { NotificationLogEntry } from '../store/store.ts';
import { DEFAULT_NOTIFICATION_LIMIT, parseNotificationQuery, parseQuery, notificationQuerySchema } from './routes/notifications.ts';
import { bearer, testApp, TOKENS } from './test-support.ts';

type App = ReturnType<typeof testApp>['app'];

function entry(id: string, overrides: Partial<NotificationLogEntry> = {}): NotificationLogEntry {
  return { id, at: '2026-11-25T17:00:00.000Z', receiver: 'admins', groupKey: '{host="ds01"}', fingerprints: ['fp-a'], status: 'sent', detail: '', ...overrides };
}

async function get(app: App, path: string, token: string | null = TOKENS.alice): Promise<{ status: number; body: unknown }> {
  const res = await app.request(path, { headers: token === null ? {} : bearer(token) });
  return { status: res.status, body: await res.json() };
}

async function seeded(): Promise<App> {
  const t = testApp();
  await t.store.commitEvaluation({
    hostRecord: null, upsert: [], remove: [],
    log: [
      entry('q', { at: '2026-11-25T17:00:00.000Z', status: 'queued', fingerprints: ['fp-a', 'fp-b'] }),
      entry('s', { at: '2026-11-25T17:01:00.000Z', status: 'sent', fingerprints: ['fp-a', 'fp-b'] }),
      entry('u', { at: '2026-11-25T17:02:00.000Z', receiver: 'user:alice', fingerprints: ['fp-a'], status: 'failed', detail: 'HTTP 404' }),
      entry('m', { at: '2026-11-25T17:03:00.000Z', fingerprints: ['fp-c'], status: 'silenced', detail: 'silence 1234' }),
    ],
  });
  return t.app;
}

const ids = (body: unknown): string[] => (body as { notifications: NotificationLogEntry[] }).notifications.map((n) => n.id);

describe('GET /v1/notifications', () => {
  it('answers who was told what, when: newest first, entries as stored', async () => {
    const app = await seeded();
    const { status, body } = await get(app, '/v1/notifications');
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['m', 'u', 's', 'q']);
    expect((body as { notifications: NotificationLogEntry[] }).notifications[1]).toEqual(
      entry('u', { at: '2026-11-25T17:02:00.000Z', receiver: 'user:alice', fingerprints: ['fp-a'], status: 'failed', detail: 'HTTP 404' }),
    );
  });

  it('filters by receiver, fingerprint and since, and limits', async () => {
    const app = await seeded();
    expect(ids((await get(app, '/v1/notifications?receiver=user:alice')).body)).toEqual(['u']);
    expect(ids((await get(app, '/v1/notifications?fingerprint=fp-b')).body)).toEqual(['s', 'q']);
    expect(ids((await get(app, '/v1/notifications?since=2026-11-25T17:01:00Z')).body)).toEqual(['m', 'u', 's']);
    expect(ids((await get(app, '/v1/notifications?since=2026-11-25T18:01:30%2B01:00')).body)).toEqual(['m', 'u']);
    expect(ids((await get(app, '/v1/notifications?fingerprint=fp-a&receiver=admins&limit=1')).body)).toEqual(['s']);
  });

  it('400 invalid_query with one issue per bad parameter', async () => {
    const app = await seeded();
    const { status, body } = await get(app, '/v1/notifications?since=yesterday&limit=0&reciever=x&fingerprint=a&fingerprint=b');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_query',
      message: 'bad query for GET /v1/notifications',
      issues: [
        { path: 'fingerprint', message: 'given more than once' },
        { path: 'since', message: 'Invalid ISO datetime' },
        { path: 'limit', message: 'Too small: expected number to be >=1' },
        { path: 'reciever', message: 'unknown key' },
      ],
    });
  });

  it('rejects a limit above 1000 or not a whole number', async () => {
    const app = await seeded();
    for (const limit of ['1001', '1.5', 'ten', '-1']) {
      const { status } = await get(app, `/v1/notifications?limit=${limit}`);
      expect(status, limit).toBe(400);
    }
    expect((await get(app, '/v1/notifications?limit=1000')).status).toBe(200);
  });

  it('401 without a token, 403 with a host token', async () => {
    const app = await seeded();
    expect((await get(app, '/v1/notifications', null)).status).toBe(401);
    expect((await get(app, '/v1/notifications', TOKENS.ds01)).status).toBe(403);
  });
});

describe('parseNotificationQuery', () => {
  it('fills in the default limit, normalises since, drops absent filters', () => {
    expect(parseNotificationQuery({})).toEqual({ limit: DEFAULT_NOTIFICATION_LIMIT });
    expect(parseNotificationQuery({ since: ['2026-11-25T18:00:00+01:00'], receiver: ['admins'] })).toEqual({
      since: '2026-11-25T17:00:00.000Z', receiver: 'admins', limit: 100,
    });
  });

  it('rejects empty values', () => {
    expect(() => parseNotificationQuery({ receiver: [''] })).toThrow('bad query for GET /v1/notifications');
  });
});

describe('parseQuery', () => {
  it('returns the parsed single values', () => {
    expect(parseQuery(notificationQuerySchema, { limit: ['5'] }, 'X')).toEqual({ limit: 5 });
  });
});
