import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, classifyRequestError, redirectFailure, type HttpTarget } from './classify-http.ts';

const MAIL: HttpTarget = { channel: 'email', endpoint: 'the mail API' };
const asIs = (text: string): string => text;

describe('HTTP classification names its channel and endpoint', () => {
  it('Slack’s words by default, the mail API’s when asked', () => {
    expect(classifyHttpStatus(503, 'busy', 2000).error).toBe('slack: HTTP 503 busy');
    expect(classifyHttpStatus(503, 'busy', 2000, asIs, MAIL)).toEqual({ ok: false, retry: true, retryAfterMs: 2000, error: 'email: HTTP 503 busy' });
    expect(classifyHttpStatus(422, '{"message":"Invalid `to` field"}', 2000, asIs, MAIL)).toEqual({
      ok: false,
      retry: false,
      retryAfterMs: null,
      error: 'email: HTTP 422 {"message":"Invalid `to` field"}',
    });
    expect(redirectFailure().error).toBe('slack: the webhook answered with a redirect (check the webhook URL)');
    expect(redirectFailure(MAIL)).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: the mail API answered with a redirect (check the mail API URL)' });
  });

  it('request errors: timeout and connection errors retry, a bad URL does not', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyRequestError(timeout, 250, asIs, MAIL)).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'email: no answer within 250 ms (timeout)' });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifyRequestError(refused, 250, asIs, MAIL).error).toBe('email: request failed (ECONNREFUSED)');
    expect(classifyRequestError(new TypeError('Invalid URL'), 250, asIs, MAIL)).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: the mail API URL is not a valid URL' });
  });
});
