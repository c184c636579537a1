import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dottedPath, MAX_ISSUES, toApiIssues } from './issues.ts';

describe('dottedPath', () => {
  it('joins keys and indices with dots; the root is empty', () => {
    expect(dottedPath(['gpus', 0, 'memoryUsedMiB'])).toBe('gpus.0.memoryUsedMiB');
    expect(dottedPath([])).toBe('');
  });
});

describe('toApiIssues', () => {
  it('turns one unrecognized_keys issue into one issue per key', () => {
    const r = z.strictObject({ a: z.number() }).safeParse({ a: 1, b: 2, c: 3 });
    expect(r.success).toBe(false);
    expect(toApiIssues(r.error?.issues ?? [])).toEqual([
      { path: 'b', message: 'unknown key' },
      { path: 'c', message: 'unknown key' },
    ]);
  });

  it('stops at the maximum', () => {
    const r = z.array(z.number()).safeParse(Array.from({ length: 50 }, () => 'x'));
    const issues = toApiIssues(r.error?.issues ?? []);
    expect(issues).toHaveLength(MAX_ISSUES);
    expect(issues[0]).toEqual({ path: '0', message: 'Invalid input: expected number, received string' });
    const many = z.strictObject({}).safeParse(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])));
    expect(toApiIssues(many.error?.issues ?? [], 5).map((i) => i.path)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});
