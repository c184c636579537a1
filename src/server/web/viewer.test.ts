import { describe, expect, it } from 'vitest';
import { maySeeUser } from './viewer.ts';

describe('maySeeUser', () => {
  it('lets an admin see anyone and a user only themselves', () => {
    expect(maySeeUser({ kind: 'admin', name: 'ops' }, 'alice')).toBe(true);
    expect(maySeeUser({ kind: 'user', name: 'alice' }, 'alice')).toBe(true);
    expect(maySeeUser({ kind: 'user', name: 'alice' }, 'bob')).toBe(false);
    expect(maySeeUser({ kind: 'user', name: 'alice' }, 'Alice')).toBe(false);
  });
});
