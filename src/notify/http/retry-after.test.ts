import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfterMs } from './retry-after.ts';

const NOW = Date.parse('2026-11-25T17:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('3', NOW)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', NOW)).toBe(0);
  });
  it('reads an HTTP-date as the wait from now (never negative)', () => {
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 17:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 16:00:00 GMT', NOW)).toBe(0);
  });
  it('caps absurd waits at a day', () => {
    expect(parseRetryAfterMs('999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
  it('null for absent or unreadable values', () => {
    for (const v of [null, undefined, '', '-1', '1.5', 'soon', '12abc']) expect(parseRetryAfterMs(v, NOW)).toBeNull();
  });
});
