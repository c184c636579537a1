import { describe, expect, it } from 'vitest';
import { createProblemLog, describeOutcome } from './problem-log.ts';

describe('describeOutcome', () => {
  it('joins status and message, or falls back to the kind', () => {
    expect(describeOutcome({ kind: 'retry', status: 503, message: 'busy' })).toBe('HTTP 503: busy');
    expect(describeOutcome({ kind: 'retry', message: 'network error: ECONNREFUSED' })).toBe('network error: ECONNREFUSED');
    expect(describeOutcome({ kind: 'auth', status: 401 })).toBe('HTTP 401');
    expect(describeOutcome({ kind: 'retry' })).toBe('retry');
  });
});

describe('createProblemLog', () => {
  it('logs a problem once while it lasts, again when it changes, and once when deliveries resume', () => {
    const lines: string[] = [];
    const p = createProblemLog('https://svc', 30_000, (l) => lines.push(l));
    p.delivered(1, 0); // no problem before: silent
    p.failed({ kind: 'retry', status: 503, message: 'busy' }, 1);
    p.failed({ kind: 'retry', status: 503, message: 'busy' }, 2);
    p.failed({ kind: 'retry', message: 'network error: ECONNREFUSED' }, 3);
    p.failed({ kind: 'retry', message: 'network error: ECONNREFUSED' }, 4);
    p.delivered(0, 4); // nothing delivered: still down
    p.delivered(4, 0);
    p.delivered(1, 0);
    expect(lines).toEqual([
      'push to https://svc failed (HTTP 503: busy); 1 snapshot(s) stay spooled and will be retried',
      'push to https://svc failed (network error: ECONNREFUSED); 3 snapshot(s) stay spooled and will be retried',
      'push to https://svc works again: delivered 4 snapshot(s), 0 still spooled',
    ]);
  });

  it('points at the token file for credential problems and names the retry interval', () => {
    const lines: string[] = [];
    const p = createProblemLog('https://svc', 300_000, (l) => lines.push(l));
    p.failed({ kind: 'auth', status: 401, message: 'unknown token' }, 2);
    p.failed({ kind: 'auth', status: 401, message: 'unknown token' }, 3);
    p.failed({ kind: 'auth', status: 403, message: 'host mismatch' }, 4);
    expect(lines).toEqual([
      'push to https://svc refused the credentials (HTTP 401: unknown token); check --token-file. 2 snapshot(s) stay spooled, retrying every 5m',
      'push to https://svc refused the credentials (HTTP 403: host mismatch); check --token-file. 4 snapshot(s) stay spooled, retrying every 5m',
    ]);
  });
});
