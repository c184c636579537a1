import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodIssueProblems, zodProblems } from './zod-issues.ts';

function problems(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) throw new Error('expected a failure');
  return zodProblems(r.error.issues, '$');
}

describe('zodProblems', () => {
  it('turns a missing key into "required" and a wrong type into expected/got', () => {
    const s = z.strictObject({ a: z.string(), b: z.number() });
    expect(problems(s, { b: 'x' })).toEqual([
      { jsonPath: '$.a', message: 'required' },
      { jsonPath: '$.b', message: 'expected number, got "x"' },
    ]);
    expect(problems(s, { a: 'x', b: [] })).toEqual([{ jsonPath: '$.b', message: 'expected number, got array' }]);
  });

  it('points an unknown key at itself, with a suggestion among rule keys', () => {
    expect(problems(z.strictObject({}), { summry: 'x', zzz: 1 })).toEqual([
      { jsonPath: '$.summry', message: 'unknown key "summry" (did you mean "summary"?)' },
      { jsonPath: '$.zzz', message: 'unknown key "zzz"' },
    ]);
  });

  it('lists enum options', () => {
    expect(problems(z.object({ s: z.enum(['info', 'warning']) }), { s: 'warn' })).toEqual([
      { jsonPath: '$.s', message: '"warn" is not one of info, warning (did you mean "warning"?)' },
    ]);
    expect(problems(z.object({ s: z.enum(['info', 'warning']) }), { s: 3 })[0]?.message).toBe('number is not one of info, warning');
  });

  it('words sizes', () => {
    expect(problems(z.object({ s: z.string().min(1) }), { s: '' })).toEqual([{ jsonPath: '$.s', message: 'must not be empty' }]);
    expect(problems(z.object({ n: z.number().int().positive() }), { n: 0 })).toEqual([{ jsonPath: '$.n', message: 'must be above 0' }]);
    expect(problems(z.object({ n: z.number().min(2) }), { n: 1 })).toEqual([{ jsonPath: '$.n', message: 'must be at least 2' }]);
    expect(problems(z.object({ n: z.number().max(2) }), { n: 3 })).toEqual([{ jsonPath: '$.n', message: 'must be at most 2' }]);
  });

  it('keeps custom messages and explains bare patterns', () => {
    expect(problems(z.object({ s: z.string().regex(/^a$/, { error: 'must be a' }) }), { s: 'b' })).toEqual([{ jsonPath: '$.s', message: 'must be a' }]);
    expect(problems(z.object({ s: z.string().regex(/^a$/) }), { s: 'b' })).toEqual([{ jsonPath: '$.s', message: '"b" must match /^a$/' }]);
    expect(problems(z.object({ s: z.string().refine(() => false, { error: 'nope' }) }), { s: 'b' })).toEqual([{ jsonPath: '$.s', message: 'nope' }]);
  });

  it('reports a bad record key at the key', () => {
    const s = z.object({ labels: z.record(z.string().regex(/^[a-z]+$/, { error: 'bad name' }), z.string()) });
    expect(problems(s, { labels: { 'A-1': 'x' } })).toEqual([{ jsonPath: '$.labels["A-1"]', message: 'bad name' }]);
  });

  it('explains a union through its closest branch (the last on a tie)', () => {
    const s = z.object({ r: z.union([z.enum(['owner']), z.string().regex(/^[a-z]+$/, { error: 'a receiver name' })]) });
    expect(problems(s, { r: 'X' })).toEqual([{ jsonPath: '$.r', message: 'a receiver name' }]);
    const t = z.object({ v: z.union([z.strictObject({ a: z.string(), b: z.string() }), z.strictObject({ c: z.string() })]) });
    expect(problems(t, { v: { a: 'x' } })).toEqual([{ jsonPath: '$.v.b', message: 'required' }]);
  });

  it('prefixes paths with the base', () => {
    const r = z.object({ a: z.string() }).safeParse({}, { reportInput: true });
    if (r.success) throw new Error('expected a failure');
    expect(zodIssueProblems(r.error.issues[0] as z.core.$ZodIssue, '$[3]')).toEqual([{ jsonPath: '$[3].a', message: 'required' }]);
  });
});
