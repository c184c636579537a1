import { describe, expect, it } from 'vitest';
import { nodeTokenDigest } from './node-digest.ts';

describe('nodeTokenDigest', () => {
  it('is the SHA-256 Web Crypto computes', async () => {
    for (const token of ['gw-token-0123456789abcdef', '', 'ünïcødé token']) {
      const web = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
      expect(nodeTokenDigest(token)).toEqual(web);
    }
  });
});
