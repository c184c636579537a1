import { createHash } from 'node:crypto';
import type { TokenDigest } from './auth.ts';

/** SHA-256 of a token with node:crypto: synchronous, so an authenticated request needs no thread-pool round trip. */
export const nodeTokenDigest: TokenDigest = (token) => new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
