// The Teams and generic webhook notifiers against a real loopback HTTP server: the payload each posts, what each
// answer means for a retry (the same rules as Slack), and no URL, signature or token in any error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { renderMessage } from '../render/render.ts';
import { goldenSamples } from '../test-support.ts';
import type { Destination, SendResult } from '../types.ts';
import type { Notifier } from '../notifier.ts';
import { createWebhookNotifier } from '../webhook/webhook-notifier.ts';
import { createTeamsNotifier } from './teams-notifier.ts';

/** A Power Automate workflow URL's shape: the `sig` query value is the secret. */
const SIG = 'S1gnatureSECRETabcdefghijklmnop0123456789';
const TOKEN = 'wh_TOKENSECRET_0123456789';
const message = renderMessage(goldenSamples()['admin-group'].group);
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const teamsUrl = (): string => receiver.url(`/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`);
const hookUrl = (): string => receiver.url(`/hooks/gpuwarden-${SIG}`);

interface Case {
  channel: 'teams' | 'webhook';
  create: (timeoutMs: number) => Notifier<Destination>;
  dest: (url?: string) => Destination;
  body: unknown;
  /** What a careless server might echo back: every secret this notifier knows. */
  echo: () => string;
}

const CASES: Case[] = [
  {
    channel: 'teams',
    create: (timeoutMs) => createTeamsNotifier({ timeoutMs }) as Notifier<Destination>,
    dest: (url = teamsUrl()) => ({ kind: 'teams', webhookUrl: url }),
    body: message.teams,
    echo: () => `${teamsUrl()} sig=${SIG}`,
  },
  {
    channel: 'webhook',
    create: (timeoutMs) => createWebhookNotifier({ timeoutMs }) as Notifier<Destination>,
    dest: (url = hookUrl()) => ({ kind: 'webhook', url, bearerToken: TOKEN, maxAlerts: 0 }),
    body: message.webhook,
    echo: () => `${hookUrl()} /hooks/gpuwarden-${SIG} Bearer ${TOKEN} ${TOKEN}`,
  },
];

function expectScrubbed(result: SendResult): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const secret of [SIG, TOKEN, receiver.baseUrl, '/workflows/', '/hooks/']) expect(result.error).not.toContain(secret);
}

describe.each(CASES)('$channel notifier', ({ channel, create, dest, body, echo }) => {
  const notifier = (timeoutMs = 2_000) => create(timeoutMs);

  it('posts its JSON form and reports ok on 2xx (a workflow answers 202)', async () => {
    receiver.script({ status: 202, body: '' });
    expect(await notifier().send(message, dest())).toEqual({ ok: true });
    const [req] = await receiver.waitForRequests(1);
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.json).toEqual(body);
  });

  it('429 with Retry-After → retry after it; 500 → retry; one request each (the outbox retries)', async () => {
    receiver.script({ status: 429, retryAfterS: 3 }, 500);
    expect(await notifier().send(message, dest())).toEqual({ ok: false, retry: true, retryAfterMs: 3000, error: `${channel}: HTTP 429 rate_limited (rate limited)` });
    expect(await notifier().send(message, dest())).toEqual({ ok: false, retry: true, retryAfterMs: null, error: `${channel}: HTTP 500 internal_error` });
    expect(receiver.requests).toHaveLength(2);
  });

  it('400 and 404 → no retry; a body echoing the URL, signature or token is scrubbed', async () => {
    receiver.script({ status: 400, body: `bad request to ${echo()}` }, 404);
    const bad = await notifier().send(message, dest());
    expect(bad).toMatchObject({ ok: false, retry: false, retryAfterMs: null });
    expect(bad.ok ? '' : bad.error).toMatch(new RegExp(`^${channel}: HTTP 400 bad request to \\[redacted\\]`));
    expectScrubbed(bad);
    expect(await notifier().send(message, dest())).toMatchObject({ ok: false, retry: false, error: `${channel}: HTTP 404 no_service` });
  });

  it('a redirect is never followed (it could carry the secret elsewhere)', async () => {
    receiver.script({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    const result = await notifier().send(message, dest());
    expect(result).toMatchObject({ ok: false, retry: false, error: `${channel}: the webhook answered with a redirect (check the webhook URL)` });
    expect(receiver.requests).toHaveLength(1);
  });

  it('no answer within the timeout → retry; a refused connection → retry; neither names the URL', async () => {
    receiver.script('hang');
    const slow = await notifier(200).send(message, dest());
    expect(slow).toEqual({ ok: false, retry: true, retryAfterMs: null, error: `${channel}: no answer within 200 ms (timeout)` });
    const port = await closedPort();
    const refused = await notifier().send(message, dest(`http://127.0.0.1:${port}/hooks/gpuwarden-${SIG}?sig=${SIG}`));
    expect(refused).toMatchObject({ ok: false, retry: true, error: `${channel}: request failed (ECONNREFUSED)` });
    expectScrubbed(refused);
  });

  it('a destination URL that is not http(s) fails permanently without a request', async () => {
    const result = await notifier().send(message, dest(`ftp://example.org/${SIG}`));
    expect(result).toMatchObject({ ok: false, retry: false });
    expectScrubbed(result);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a non-positive timeout at construction', () => {
    expect(() => create(0)).toThrow(/timeoutMs must be a positive number of milliseconds, got 0/);
  });
});

describe('webhook notifier: Alertmanager specifics', () => {
  it('sends the bearer token when configured, none otherwise', async () => {
    const notifier = createWebhookNotifier({ timeoutMs: 2_000 });
    await notifier.send(message, { kind: 'webhook', url: hookUrl(), bearerToken: TOKEN, maxAlerts: 0 });
    await notifier.send(message, { kind: 'webhook', url: hookUrl(), bearerToken: null, maxAlerts: 0 });
    const [withToken, without] = await receiver.waitForRequests(2);
    expect(withToken?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(without?.headers.authorization).toBeUndefined();
  });

  it('max_alerts keeps the first N alerts and counts the rest in truncatedAlerts (0 = all)', async () => {
    const notifier = createWebhookNotifier({ timeoutMs: 2_000 });
    expect(message.webhook.alerts).toHaveLength(4);
    await notifier.send(message, { kind: 'webhook', url: hookUrl(), bearerToken: null, maxAlerts: 3 });
    const [req] = await receiver.waitForRequests(1);
    const sent = req?.json as { alerts: { fingerprint: string }[]; truncatedAlerts: number };
    expect(sent.alerts.map((a) => a.fingerprint)).toEqual(message.webhook.alerts.slice(0, 3).map((a) => a.fingerprint));
    expect(sent.truncatedAlerts).toBe(1);
  });
});
