import { IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, classifySlackError } from './classify.ts';

describe('classifyHttpStatus', () => {
  it.each([
    [200, false],
    [400, false],
    [403, false],
    [404, false],
    [408, true],
    [410, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])('%i → retry %s', (status, retry) => {
    expect(classifyHttpStatus(status, '', 1000).retry).toBe(retry);
  });
  it('keeps Retry-After only where a retry makes sense', () => {
    expect(classifyHttpStatus(429, 'rate_limited', 3000)).toEqual({ ok: false, retry: true, retryAfterMs: 3000, error: 'slack: HTTP 429 rate_limited (rate limited)' });
    expect(classifyHttpStatus(404, 'no_service', 3000).retryAfterMs).toBeNull();
  });
  it('puts at most a short single line of the body in the error', () => {
    const error = classifyHttpStatus(400, `invalid\n${'x'.repeat(500)}`, null).error;
    expect(error).not.toContain('\n');
    expect(error.length).toBeLessThan(230);
  });
});

describe('classifySlackError', () => {
  it('timeouts and network errors → retry; a bad URL or a redirect → no retry', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifySlackError(new IncomingWebhookRequestError(timeout), null, 500)).toMatchObject({ retry: true, error: 'slack: no answer within 500 ms (timeout)' });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifySlackError(new IncomingWebhookRequestError(refused), null, 500)).toMatchObject({ retry: true, error: 'slack: request failed (ECONNREFUSED)' });
    expect(classifySlackError(new IncomingWebhookRequestError(new TypeError('Failed to parse URL from x')), null, 500)).toMatchObject({ retry: false });
    const redirect = new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
    expect(classifySlackError(new IncomingWebhookRequestError(redirect), null, 500)).toMatchObject({ retry: false });
  });
  it('HTTP errors go by status; anything unknown is retried', () => {
    expect(classifySlackError(new IncomingWebhookHTTPError(429, 'Too Many Requests', ''), 2000, 500)).toMatchObject({ retry: true, retryAfterMs: 2000 });
    expect(classifySlackError('weird', null, 500)).toMatchObject({ retry: true, error: 'slack: weird' });
  });
});
