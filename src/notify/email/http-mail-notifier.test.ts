// The HTTP mail API notifier against a REAL HTTP server on 127.0.0.1 (node:http, test/support/webhook-receiver.ts):
// what it posts (method, headers, Resend's JSON body), how each answer is classified, and that the token never
// reaches an error text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { renderMessage } from '../render/render.ts';
import { goldenSamples } from '../test-support.ts';
import type { DestinationOf } from '../notifier.ts';
import type { SendResult } from '../types.ts';
import { createHttpMailNotifier, type HttpMailConfig, type MailFetch } from './http-mail-notifier.ts';

const TOKEN = 're_TOPSECRET_abcdefghijklmnop';
const PATH = '/emails';
const message = renderMessage(goldenSamples()['user-firing'].group);
const TO: DestinationOf<'email'> = { kind: 'email', to: ['h.baker@example.org', 'ops@example.org'] };
let api: WebhookReceiver;

beforeEach(async () => {
  api = await startWebhookReceiver();
  api.fallback = { status: 200, body: '{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}', headers: { 'content-type': 'application/json' } };
});
afterEach(async () => {
  await api.close();
});

const config = (over: Partial<HttpMailConfig> = {}): HttpMailConfig => ({
  transport: 'http_api',
  url: api.url(PATH),
  token: TOKEN,
  from: 'gpuwarden <gpuwarden@example.org>',
  timeoutMs: 2_000,
  ...over,
});

/** The token in none of its forms, nor the Authorization header, in the error. */
function expectNoToken(result: SendResult): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const secret of [TOKEN, 'TOPSECRET', btoa(TOKEN), encodeURIComponent(TOKEN), `Bearer ${TOKEN}`]) expect(result.error).not.toContain(secret);
}

describe('HTTP mail notifier (real loopback server)', () => {
  it('POSTs Resend’s JSON with a Bearer token and reports ok on 200', async () => {
    expect(await createHttpMailNotifier(config()).send(message, TO)).toEqual({ ok: true });
    const [req] = await api.waitForRequests(1);
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(PATH);
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.json).toEqual({
      from: 'gpuwarden <gpuwarden@example.org>',
      to: ['h.baker@example.org', 'ops@example.org'],
      subject: message.email.subject,
      text: message.email.text,
      html: message.email.html,
    });
    expect(req?.body).not.toContain(TOKEN);
  });

  it('any 2xx is delivered (201, 202 from relays)', async () => {
    api.script({ status: 201, body: '' }, { status: 202, body: 'queued' });
    const notifier = createHttpMailNotifier(config());
    expect(await notifier.send(message, TO)).toEqual({ ok: true });
    expect(await notifier.send(message, TO)).toEqual({ ok: true });
  });

  it('429 with Retry-After seconds or an HTTP-date → retry after that long', async () => {
    const now = Date.parse('2026-11-25T17:00:00Z');
    api.script({ status: 429, retryAfterS: 3, body: '{"name":"rate_limit_exceeded"}' }, { status: 429, headers: { 'retry-after': 'Wed, 25 Nov 2026 17:00:10 GMT' } });
    const notifier = createHttpMailNotifier(config(), { nowMs: () => now });
    expect(await notifier.send(message, TO)).toEqual({ ok: false, retry: true, retryAfterMs: 3000, error: 'email: HTTP 429 {"name":"rate_limit_exceeded"} (rate limited)' });
    expect(await notifier.send(message, TO)).toMatchObject({ ok: false, retry: true, retryAfterMs: 10_000 });
    expect(api.requests).toHaveLength(2); // no retry inside the notifier: the outbox schedules it
  });

  it('500 and 503 → retry (503 keeps its Retry-After)', async () => {
    api.script(500, { status: 503, retryAfterS: 7, body: 'maintenance' });
    const notifier = createHttpMailNotifier(config());
    expect(await notifier.send(message, TO)).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'email: HTTP 500 internal_error' });
    expect(await notifier.send(message, TO)).toEqual({ ok: false, retry: true, retryAfterMs: 7000, error: 'email: HTTP 503 maintenance' });
  });

  it('400, 401, 403 and 422 → no retry, with the API’s reason', async () => {
    api.script(
      { status: 400, body: '{"message":"bad json"}' },
      { status: 401, body: '{"name":"missing_api_key"}', retryAfterS: 5 },
      { status: 403, body: '{"message":"domain not verified"}' },
      { status: 422, body: '{"name":"validation_error","message":"Invalid `to` field."}' },
    );
    const notifier = createHttpMailNotifier(config());
    expect(await notifier.send(message, TO)).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: HTTP 400 {"message":"bad json"}' });
    expect(await notifier.send(message, TO)).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: HTTP 401 {"name":"missing_api_key"}' });
    expect(await notifier.send(message, TO)).toMatchObject({ retry: false, error: 'email: HTTP 403 {"message":"domain not verified"}' });
    expect(await notifier.send(message, TO)).toMatchObject({ retry: false, error: 'email: HTTP 422 {"name":"validation_error","message":"Invalid `to` field."}' });
  });

  it('a redirect is not followed (it would carry the token elsewhere) → no retry', async () => {
    api.script({ status: 307, headers: { location: api.url('/elsewhere') }, body: '' });
    const result = await createHttpMailNotifier(config()).send(message, TO);
    expect(result).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: the mail API answered with a redirect (check the mail API URL)' });
    await new Promise((r) => setTimeout(r, 100));
    expect(api.requests.map((r) => r.path)).toEqual([PATH]);
  });

  it('an API that never answers → timeout within the bound → retry', async () => {
    api.script('hang');
    const started = Date.now();
    const result = await createHttpMailNotifier(config({ timeoutMs: 300 })).send(message, TO);
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'email: no answer within 300 ms (timeout)' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('connection refused → retry', async () => {
    const result = await createHttpMailNotifier(config({ url: `http://127.0.0.1:${await closedPort()}${PATH}` })).send(message, TO);
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'email: request failed (ECONNREFUSED)' });
  });

  it('no recipient → a permanent failure, nothing posted', async () => {
    expect(await createHttpMailNotifier(config()).send(message, { kind: 'email', to: [] })).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: no recipient address' });
    expect(api.requests).toEqual([]);
  });

  describe('never puts the token in an error', () => {
    it('even when the API echoes it (raw, as the header, base64) in its error body', async () => {
      api.script({ status: 401, body: `invalid token ${TOKEN} (header "Authorization: Bearer ${TOKEN}", basic ${btoa(TOKEN)})` }, { status: 500, body: `upstream rejected ${encodeURIComponent(TOKEN)}` });
      const notifier = createHttpMailNotifier(config());
      const first = await notifier.send(message, TO);
      expect(first).toMatchObject({ ok: false, retry: false });
      expectNoToken(first);
      if (!first.ok) expect(first.error).toContain('[redacted]');
      expectNoToken(await notifier.send(message, TO));
    });

    it('even when the fetch failure’s own message or cause holds it', async () => {
      const leaky: MailFetch = (_url, init) => {
        const auth = new Headers(init.headers).get('authorization') ?? '';
        const inner = Object.assign(new Error(`socket hang up after sending ${auth}`), { code: undefined });
        return Promise.reject(new TypeError(`fetch failed with ${auth}`, { cause: inner }));
      };
      const result = await createHttpMailNotifier(config(), { fetch: leaky }).send(message, TO);
      expect(result).toMatchObject({ ok: false, retry: true });
      expectNoToken(result);
      const plain = await createHttpMailNotifier(config(), { fetch: () => Promise.reject(new Error(`boom ${TOKEN}`)) }).send(message, TO);
      expectNoToken(plain);
    });
  });

  it('refuses a bad timeout, a missing sender, an empty token or a non-http(s) URL at construction (never quoting it)', () => {
    expect(() => createHttpMailNotifier(config({ timeoutMs: 0 }))).toThrow(/timeoutMs must be a positive number/);
    expect(() => createHttpMailNotifier(config({ timeoutMs: Number.NaN }))).toThrow(/timeoutMs/);
    expect(() => createHttpMailNotifier(config({ from: ' ' }))).toThrow(/`from`/);
    expect(() => createHttpMailNotifier(config({ token: '' }))).toThrow(/token/);
    let thrown: unknown;
    try {
      createHttpMailNotifier(config({ url: `ftp://u:${TOKEN}@mail.example.org` }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/not an http\(s\) URL/);
    expect((thrown as Error).message).not.toContain('TOPSECRET');
  });
});
