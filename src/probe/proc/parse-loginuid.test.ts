import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLoginUid } from './parse-loginuid.ts';

describe('parseLoginUid', () => {
  it.each([
    ['1000', 1000],
    ['0', 0],
    ['228755\n', 228755],
    [' 42 \r\n', 42],
    ['4294967294', 4294967294],
  ])('%j → %d', (text, uid) => {
    expect(parseLoginUid(text)).toBe(uid);
  });

  it.each(['4294967295', '-1', '', '\n', 'abc', '12abc', '1.5', '99999999999', '4294967296'])('%j → null', (text) => {
    expect(parseLoginUid(text)).toBeNull();
  });

  it('reads this process for real (unset in most sandboxes, a uid on a login shell)', () => {
    const uid = parseLoginUid(readFileSync('/proc/self/loginuid', 'utf8'));
    const raw = readFileSync('/proc/self/loginuid', 'utf8').trim();
    expect(uid).toBe(raw === '4294967295' ? null : Number(raw));
  });

  it('never throws, and only returns uids below 2^32-1', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const uid = parseLoginUid(text);
        if (uid !== null) expect(uid >= 0 && uid < 4294967295).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(parseLoginUid(null as unknown as string)).toBeNull();
  });
});
