import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../limits/config-problem.ts';
import { parseYamlSource } from '../limits/yaml-source.ts';
import { schemaProblems } from './schema-problems.ts';

const schema = z.strictObject({
  name: z.string(),
  token: z.string().optional(),
  nested: z.strictObject({ count: z.number().int(), password: z.string().optional() }).superRefine((v, ctx) => {
    if (v.count > 10) ctx.addIssue({ code: 'custom', message: 'too many' });
  }),
});

function problems(text: string, options: Parameters<typeof schemaProblems>[3] = {}): string[] {
  const src = parseYamlSource('f.yaml', text, '1.2');
  const r = schema.safeParse(src.value);
  return r.success ? [] : schemaProblems(r.error.issues, src, schema, options).map(formatProblem);
}

describe('schemaProblems', () => {
  it('required keys, wrong types with the value, unknown keys with a suggestion', () => {
    expect(problems('token: 5\nnested:\n  count: "3"\n  cuont: 4\n')).toEqual([
      'f.yaml:1: name: is required',
      'f.yaml:1: token: expected a string, got 5',
      'f.yaml:3: nested.count: expected a number, got "3"',
      'f.yaml:4: nested.cuont: unknown key (did you mean count?)',
    ]);
  });

  it('secret keys: the kind of value only', () => {
    expect(problems('name: x\ntoken: 123456\nnested: {count: 1, password: 987654}\n', { secretKeys: new Set(['token', 'password']) })).toEqual([
      'f.yaml:2: token: expected a string, got a number',
      'f.yaml:3: nested.password: expected a string, got a number',
    ]);
  });

  it('a hint replaces "did you mean" for keys people bring from elsewhere', () => {
    expect(problems('name: x\nnested: {count: 1}\nmatch: {a: b}\n', { keyHints: { match: 'use matchers' } })).toEqual(['f.yaml:3: match: unknown key: use matchers']);
    expect(problems('name: x\nnested: {count: 1}\ntoString: 1\n', { keyHints: {} })).toEqual(['f.yaml:3: toString: unknown key']);
  });

  it('a refinement beside an unknown key at the same place is left out (the unknown key says it better)', () => {
    expect(problems('name: x\nnested: {count: 11, extra: 1}\n')).toEqual(['f.yaml:2: nested.extra: unknown key']);
    expect(problems('name: x\nnested: {count: 11}\n')).toEqual(['f.yaml:2: nested: too many']);
  });

  it('whole numbers', () => {
    expect(problems('name: x\nnested: {count: 1.5}\n')).toEqual(['f.yaml:2: nested.count: expected a whole number, got 1.5']);
  });
});
