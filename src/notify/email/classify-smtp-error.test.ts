import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './classify-smtp-error.ts';

const smtpError = (fields: Record<string, unknown>, message = 'failed'): Error => Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it.each([
    [421, true],
    [450, true],
    [451, true],
    [452, true],
    [454, true],
    [503, true],
    [530, false],
    [535, false],
    [550, false],
    [552, false],
    [554, false],
  ])('reply %i → retry %s', (responseCode, retry) => {
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode, response: `${responseCode} x` })).retry).toBe(retry);
  });

  it('network codes → retry; configuration codes → no retry; unknown → retry', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']) expect(classifySmtpError(smtpError({ code })).retry).toBe(true);
    for (const code of ['EAUTH', 'ENOAUTH', 'ETLS', 'EENVELOPE', 'EMESSAGE', 'ECONFIG']) expect(classifySmtpError(smtpError({ code })).retry).toBe(false);
    expect(classifySmtpError(new Error('something new'))).toEqual({ ok: false, retry: true, retryAfterMs: null, error: 'email: something new' });
    expect(classifySmtpError('not an error')).toMatchObject({ retry: true });
  });

  it('names the original system error and the SMTP command, never the AUTH payload', () => {
    expect(classifySmtpError(smtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:25')).error).toBe(
      'email: connection failed (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:25',
    );
    expect(classifySmtpError(smtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad', command: 'AUTH PLAIN AHVzZXIAcGFzcw==' })).error).toBe(
      'email: authentication failed: SMTP 535 5.7.8 bad (AUTH)',
    );
  });
});
