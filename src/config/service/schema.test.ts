import { describe, expect, it } from 'vitest';
import { adminEntrySchema, hostEntrySchema, hostNameSchema, serviceConfigFileSchema } from './schema.ts';

const HASH = 'ab'.repeat(32);

describe('serviceConfigFileSchema', () => {
  it('accepts an empty file and every key at its bounds', () => {
    expect(serviceConfigFileSchema.parse({})).toEqual({});
    const edge = {
      listen: { host: '::1', port: 0 },
      hosts: null,
      admins: null,
      probe_interval_s: 86_400,
      host_silent_after_intervals: 1,
      tick_interval_s: 3600,
      body_limit_bytes: 1024,
    };
    expect(serviceConfigFileSchema.parse(edge)).toEqual(edge);
    expect(serviceConfigFileSchema.safeParse({ listen: { port: 65535 } }).success).toBe(true);
  });

  it('rejects values past the bounds', () => {
    for (const bad of [{ listen: { port: 65536 } }, { body_limit_bytes: 1023 }, { tick_interval_s: 3601 }, { host_silent_after_intervals: 0 }, { store: '' }]) {
      expect(serviceConfigFileSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('token entries', () => {
  it('lower-cases a hash', () => {
    expect(hostEntrySchema.parse({ token_sha256: HASH.toUpperCase() })).toEqual({ token_sha256: HASH });
  });

  it('needs exactly one of token_sha256 and token_file', () => {
    expect(hostEntrySchema.safeParse({ token_file: 'x' }).success).toBe(true);
    const neither = hostEntrySchema.safeParse({});
    expect(neither.error?.issues.map((i) => i.message)).toEqual(['needs exactly one of token_sha256 or token_file']);
    expect(adminEntrySchema.safeParse({ name: 'a', token_sha256: HASH, token_file: 'x' }).success).toBe(false);
  });

  it('rejects an empty admin name and an empty token_file', () => {
    expect(adminEntrySchema.safeParse({ name: '', token_sha256: HASH }).error?.issues[0]?.message).toBe('must not be empty');
    expect(hostEntrySchema.safeParse({ token_file: '' }).error?.issues[0]?.message).toBe('must be a file path');
  });
});

describe('hostNameSchema', () => {
  it('accepts hostname characters and rejects the rest', () => {
    for (const ok of ['ds01', 'gpu-1.lab.example', 'A_B']) expect(hostNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', '-x', 'a b', 'a/b', '__proto__', 'x'.repeat(254)]) expect(hostNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});
