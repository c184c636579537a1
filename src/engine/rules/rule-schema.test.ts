import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleFileSchema, ruleJsonSchema, ruleJsonSchemaText, ruleSchema } from './rule-schema.ts';

const SCHEMA_FILE = new URL('../../../rules/rule.schema.json', import.meta.url);

function committedSchema(): string | null {
  try {
    return readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    return null;
  }
}

describe('rules/rule.schema.json', () => {
  it('is up to date with the zod schema', () => {
    const committed = committedSchema();
    const hint = 'rules/rule.schema.json is missing or stale; run: npx tsx src/engine/rules/write-schema.ts';
    expect(committed, hint).not.toBeNull();
    expect(committed === ruleJsonSchemaText(), hint).toBe(true);
  });

  it('describes a file holding one rule or an array of rules, with named condition definitions', () => {
    const schema = ruleJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.anyOf).toEqual([{ $ref: '#/$defs/rule' }, { type: 'array', items: { $ref: '#/$defs/rule' } }]);
    const defs = schema.$defs as Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
    expect(Object.keys(defs).sort()).toEqual(['allCondition', 'anyCondition', 'condition', 'conditions', 'factReference', 'leafCondition', 'notCondition', 'rule']);
    expect(defs.rule?.required?.sort()).toEqual(['conditions', 'id', 'scope', 'severity', 'summary']);
    expect(Object.keys(defs.rule?.properties ?? {})).toContain('$schema');
  });

  it('ends with a newline and is stable', () => {
    expect(ruleJsonSchemaText().endsWith('}\n')).toBe(true);
    expect(ruleJsonSchemaText()).toBe(ruleJsonSchemaText());
  });
});

describe('ruleSchema', () => {
  const minimal = { id: 'a', scope: 'gpu', severity: 'info', summary: 's', conditions: { all: [] } };

  it('fills defaults', () => {
    expect(ruleSchema.parse(minimal)).toEqual({
      ...minimal,
      enabled: true,
      for: '0s',
      labels: {},
      description: '',
      notify: [],
      stages: [],
      actions: [],
      approve: false,
    });
  });

  it('accepts an array of rules as a file', () => {
    expect(ruleFileSchema.safeParse([minimal, { ...minimal, id: 'b' }]).success).toBe(true);
    expect(ruleFileSchema.safeParse([{ ...minimal, id: 'B' }]).success).toBe(false);
  });

  it.each([
    ['for', '1.5h'],
    ['for', '99999999999999999999d'],
    ['id', 'a--b'],
    ['notify', ['Admins']],
    ['scope', 'process'],
  ])('rejects %s = %j', (key, value) => {
    expect(ruleSchema.safeParse({ ...minimal, [key]: value }).success).toBe(false);
  });
});
