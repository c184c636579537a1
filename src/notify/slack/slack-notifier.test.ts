// The Slack notifier against a real loopback HTTP server: what each answer means for a retry, and no webhook URL in
// any error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, DEFAULT_HOOK_PATH, startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { renderMessage } from '../render/render.ts';
import { goldenSamples } from '../test-support.ts';
import type { SendResult } from '../types.ts';
import type { Notifier } from '../notifier.ts';
import { createSlackFetchNotifier, type SlackFetch } from './slack-fetch-notifier.ts';
import { createSlackNotifier, webhookSecrets, type SlackDestination, type SlackNotifierConfig, type SlackNotifierDeps } from './slack-notifier.ts';

const SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';
const message = renderMessage(goldenSamples()['user-firing'].group, { mention: 'U024BE7LH' });
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const dest = (webhookUrl = receiver.url()): SlackDestination => ({ kind: 'slack', webhookUrl, mention: 'U024BE7LH' });
type Factory = (config: SlackNotifierConfig, deps?: { fetch?: SlackFetch; nowMs?: () => number }) => Notifier<SlackDestination>;

/** Both Slack notifiers keep one contract: @slack/webhook on Node, plain fetch on Workers. */
const FACTORIES: [string, Factory][] = [
  ['@slack/webhook', (config, deps) => createSlackNotifier(config, deps as SlackNotifierDeps)],
  ['fetch', (config, deps) => createSlackFetchNotifier(config, deps)],
];

/** No form of the webhook URL in the error. */
function expectScrubbed(result: SendResult, url: string): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const secret of [url, DEFAULT_HOOK_PATH, SECRET, receiver.baseUrl]) expect(result.error).not.toContain(secret);
}

describe.each(FACTORIES)('Slack notifier (%s)', (_name, create) => {
  const notifier = (timeoutMs = 2_000) => create({ timeoutMs });

  it('posts the Block Kit payload and reports ok on 200', async () => {
    const result = await notifier().send(message, dest());
    expect(result).toEqual({ ok: true });
    const [req] = await receiver.waitForRequests(1);
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(DEFAULT_HOOK_PATH);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.json).toEqual({ text: message.slack.text, blocks: message.slack.blocks });
  });

  it('429 with Retry-After: 3 → retry after 3000 ms', async () => {
    receiver.script({ status: 429, retryAfterS: 3 });
    const result = await notifier().send(message, dest());
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 3000 });
    expect(receiver.requests).toHaveLength(1); // no library-side retry: the outbox schedules it
  });

  it('429 with an HTTP-date Retry-After → the wait until then', async () => {
    const now = Date.parse('2026-11-25T17:00:00Z');
    receiver.script({ status: 429, headers: { 'retry-after': 'Wed, 25 Nov 2026 17:00:10 GMT' } });
    const result = await create({ timeoutMs: 2_000 }, { nowMs: () => now }).send(message, dest());
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 10_000 });
  });

  it('429 without Retry-After → retry, no delay hint', async () => {
    receiver.script(429);
    expect(await notifier().send(message, dest())).toMatchObject({ ok: false, retry: true, retryAfterMs: null });
  });

  it('500 and 503 → retry (503 keeps its Retry-After)', async () => {
    receiver.script(500, { status: 503, retryAfterS: 7 });
    expect(await notifier().send(message, dest())).toMatchObject({ ok: false, retry: true, retryAfterMs: null, error: 'slack: HTTP 500 internal_error' });
    expect(await notifier().send(message, dest())).toMatchObject({ ok: false, retry: true, retryAfterMs: 7000 });
    expect(receiver.requests).toHaveLength(2);
  });

  it('404, 400, 403 and 410 → no retry, with Slack’s reason in the error', async () => {
    receiver.script(404, { status: 400, body: 'invalid_blocks' }, { status: 403, body: 'action_prohibited' }, { status: 410, body: 'channel_is_archived' });
    expect(await notifier().send(message, dest())).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'slack: HTTP 404 no_service' });
    expect(await notifier().send(message, dest())).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'slack: HTTP 400 invalid_blocks' });
    expect(await notifier().send(message, dest())).toMatchObject({ retry: false, error: 'slack: HTTP 403 action_prohibited' });
    expect(await notifier().send(message, dest())).toMatchObject({ retry: false, error: 'slack: HTTP 410 channel_is_archived' });
  });

  it('a webhook that never answers → timeout → retry', async () => {
    receiver.script('hang');
    const started = Date.now();
    const result = await notifier(300).send(message, dest());
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'slack: no answer within 300 ms (timeout)' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('connection refused → retry', async () => {
    const url = `http://127.0.0.1:${await closedPort()}${DEFAULT_HOOK_PATH}`;
    const result = await notifier().send(message, dest(url));
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: null, error: 'slack: request failed (ECONNREFUSED)' });
    expectScrubbed(result, url);
  });

  it('a malformed webhook URL → no retry, and the URL is not echoed', async () => {
    for (const url of ['hooks.slack.com/services/T0/B0/SECRETSECRETSECRET', 'ftp://hooks.slack.com/services/T0/B0/SECRETSECRETSECRET']) {
      const result = await notifier().send(message, dest(url));
      expect(result).toMatchObject({ ok: false, retry: false });
      if (!result.ok) expect(result.error).not.toContain('SECRETSECRETSECRET');
    }
  });

  describe('never puts the webhook URL in an error', () => {
    it('even when the server echoes the URL in its error body', async () => {
      const url = receiver.url();
      receiver.script({ status: 404, body: `no_service for ${url} (path ${DEFAULT_HOOK_PATH}, token ${SECRET})` });
      const result = await notifier().send(message, dest(url));
      expect(result).toMatchObject({ ok: false, retry: false });
      expectScrubbed(result, url);
    });

    it('even when the HTTP library’s own failure message contains it', async () => {
      const url = receiver.url();
      const leaky = create(
        { timeoutMs: 1_000 },
        {
          fetch: (u) => {
            const inner = Object.assign(new Error(`connect ECONNRESET while posting to ${String(u)}`), { code: 'ECONNRESET' });
            return Promise.reject(new TypeError(`fetch to ${String(u)} failed`, { cause: inner }));
          },
        },
      );
      const result = await leaky.send(message, dest(url));
      expect(result).toMatchObject({ ok: false, retry: true });
      expectScrubbed(result, url);

      const leakyMessage = create({ timeoutMs: 1_000 }, { fetch: (u) => Promise.reject(new Error(`boom at ${String(u)}`)) });
      const second = await leakyMessage.send(message, dest(url));
      expectScrubbed(second, url);
    });

    it('even for a URL-encoded or query-carrying secret', async () => {
      const url = `${receiver.baseUrl}/services/T1/B1/s%C3%A9cret-token-123?token=abcdefgh12345678`;
      receiver.script({ status: 500, body: `failed: s%C3%A9cret-token-123 sécret-token-123 token=abcdefgh12345678` });
      const result = await notifier().send(message, dest(url));
      expect(result).toMatchObject({ ok: false, retry: true });
      if (!result.ok) {
        expect(result.error).not.toMatch(/cret-token-123/);
        expect(result.error).not.toContain('abcdefgh12345678');
      }
    });
  });

  it('webhookSecrets lists the URL, its path and its segments (raw and decoded)', () => {
    expect(webhookSecrets('https://hooks.slack.com/services/T0/B0/abcdefghijkl')).toEqual([
      'https://hooks.slack.com/services/T0/B0/abcdefghijkl',
      '/services/T0/B0/abcdefghijkl',
      'abcdefghijkl',
    ]);
    expect(webhookSecrets('https://h.example/x/a%20bcdefg?k=v%2Fvvvvvv')).toEqual(
      expect.arrayContaining(['a%20bcdefg', 'a bcdefg', 'v%2Fvvvvvv', 'v/vvvvvv']),
    );
    expect(webhookSecrets('not a url')).toEqual(['not a url']);
  });

  it('refuses a non-positive timeout at construction', () => {
    expect(() => create({ timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => create({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});
