// A refused snapshot is a snapshot.rejected event of its host, at most one per host per 10 minutes (with how many
// were left out since); an accepted one is not an event.
import { expect, it } from 'vitest';
import { snapshot } from '../../test/support/snapshot-factory.ts';
import { bearer, NOW, testApp, TOKENS } from './test-support.ts';

it('records the first refusal of a host, counts the rest for 10 minutes, then records again with the count', async () => {
  let now = NOW;
  const { app, store } = testApp({ clock: () => now });
  const post = async (token: string, body: unknown): Promise<number> =>
    (await app.request('/v1/snapshots', { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status;
  const good = snapshot(NOW.toISOString());
  expect(await post(TOKENS.ds01, good)).toBe(200);
  expect(await post(TOKENS.ds01, { ...good, gpus: 'none' })).toBe(400);
  expect(await post(TOKENS.ds01, { ...good, host: 'ds02' })).toBe(403);
  expect(await post(TOKENS.ds02, { ...good, gpus: 'none' })).toBe(400);
  now = new Date(NOW.getTime() + 10 * 60_000);
  expect(await post(TOKENS.ds01, { ...good, host: 'ds02' })).toBe(403);
  const { events } = await store.listEvents({});
  expect(events.map((e) => [e.type, e.host, e.details['status'], e.details['code'], e.details['leftOut'], e.at])).toEqual([
    ['snapshot.rejected', 'ds01', 400, 'invalid_snapshot', 0, NOW.toISOString()],
    ['snapshot.rejected', 'ds02', 400, 'invalid_snapshot', 0, NOW.toISOString()],
    ['snapshot.rejected', 'ds01', 403, 'host_mismatch', 1, now.toISOString()],
  ]);
  expect(events[0]?.details['firstIssue']).toMatch(/gpus/);
});
