import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate, compileAuth, requireKind, sha256Hex } from './auth.ts';
import { HttpError } from './errors.ts';
import { TEST_AUTH, TOKEN_SHA256, TOKENS } from './test-support.ts';

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe('sha256Hex', () => {
  it('matches node:crypto, so config hashes made by `gpuwarden token new` verify', async () => {
    for (const text of ['', 'abc', TOKENS.ds01, 'ünïcödé']) {
      expect(await sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it('gives the test hashes', async () => {
    expect(await sha256Hex(TOKENS.ds01)).toBe(TOKEN_SHA256.ds01);
    expect(await sha256Hex(TOKENS.ds02)).toBe(TOKEN_SHA256.ds02);
    expect(await sha256Hex(TOKENS.alice)).toBe(TOKEN_SHA256.alice);
  });
});

describe('compileAuth', () => {
  it('throws at construction for a hash that is not 64 hex characters', () => {
    expect(() => compileAuth({ hosts: [{ name: 'ds01', tokenSha256: 'abc' }], admins: [] })).toThrow(
      'auth.hosts[0] (ds01): tokenSha256 must be 64 hex characters (the SHA-256 of the token)',
    );
    expect(() => compileAuth({ hosts: [], admins: [{ name: 'x', tokenSha256: 'g'.repeat(64) }] })).toThrow('auth.admins[0] (x)');
  });

  it('accepts upper-case hex', async () => {
    const compiled = compileAuth({ hosts: [{ name: 'ds01', tokenSha256: TOKEN_SHA256.ds01.toUpperCase() }], admins: [] });
    expect(await authenticate(compiled, `Bearer ${TOKENS.ds01}`)).toEqual({ kind: 'host', name: 'ds01' });
  });
});

describe('authenticate', () => {
  const compiled = compileAuth(TEST_AUTH);

  it('finds the host or admin a token belongs to', async () => {
    expect(await authenticate(compiled, `Bearer ${TOKENS.ds02}`)).toEqual({ kind: 'host', name: 'ds02' });
    expect(await authenticate(compiled, `Bearer ${TOKENS.alice}`)).toEqual({ kind: 'admin', name: 'alice' });
  });

  it('401 for a missing header, with the Bearer challenge', async () => {
    const err = await failure(authenticate(compiled, undefined));
    expect(err.status).toBe(401);
    expect(err.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="gpuwarden"' });
  });

  it('401 invalid_token for unknown tokens, and the message never echoes the token', async () => {
    const err = await failure(authenticate(compiled, 'Bearer secret-guess-1234'));
    expect(err.status).toBe(401);
    expect(err.message).toBe('invalid bearer token');
    expect(err.headers?.['WWW-Authenticate']).toContain('error="invalid_token"');
  });

  it('refuses everyone when no tokens are configured', async () => {
    const none = compileAuth({ hosts: [], admins: [] });
    expect((await failure(authenticate(none, `Bearer ${TOKENS.ds01}`))).status).toBe(401);
  });
});

describe('requireKind', () => {
  it('lets the right kind through and 403s the other', () => {
    expect(() => requireKind({ kind: 'admin', name: 'a' }, 'admin')).not.toThrow();
    expect(() => requireKind({ kind: 'host', name: 'h' }, 'admin')).toThrow(HttpError);
    expect(() => requireKind({ kind: 'admin', name: 'a' }, 'host')).toThrow("admin tokens cannot post snapshots; use the host's token");
  });
});
