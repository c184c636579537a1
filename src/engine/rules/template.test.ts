import { describe, expect, it } from 'vitest';
import { compileTemplate, formatTemplateValue, renderTemplate, type CompiledTemplate, type TemplateContext } from './template.ts';

function compiled(text: string): CompiledTemplate {
  const r = compileTemplate(text);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.template;
}

const ctx: TemplateContext = {
  labels: { user: 'alice', host: 'gpu1' },
  facts: { idleMinutes: 42.456, ratio: 0.8, whole: 3, name: 'c1', users: ['a', 'b'], off: false, nothing: null, nan: Number.NaN },
  rule: { id: 'idle', scope: 'container', severity: 'warning', stage: null, for: '5m' },
};

describe('compileTemplate', () => {
  it('splits literals and placeholders, allowing spaces inside the braces', () => {
    const t = compiled('{{labels.user}} idle {{ facts.idleMinutes }} min');
    expect(t.parts).toHaveLength(4);
    expect(t.placeholders.map((p) => `${p.ns}.${p.key}`)).toEqual(['labels.user', 'facts.idleMinutes']);
    expect(t.placeholders[1]?.text).toBe('{{ facts.idleMinutes }}');
  });

  it('accepts a template without placeholders, and the empty template', () => {
    expect(compiled('plain text').parts).toEqual(['plain text']);
    expect(compiled('').parts).toEqual([]);
  });

  it.each([
    ['{{subject.key}}', 'unknown placeholder {{subject.key}}: "subject" is not one of labels, facts, rule; use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}'],
    ['{{rule.owner}}', 'unknown placeholder {{rule.owner}}: rule placeholders are {{rule.id}}, {{rule.scope}}, {{rule.severity}}, {{rule.stage}}, {{rule.for}}'],
    ['{{user}}', 'malformed placeholder {{user}}: use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}'],
    ['{{facts.a.b}}', 'malformed placeholder {{facts.a.b}}: use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}'],
    ['{{}}', 'malformed placeholder {{}}: use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}'],
    ['idle {{facts.idleMinutes', 'unclosed "{{" in "{{facts.idleMinutes": use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}'],
  ])('rejects %j', (text, message) => {
    expect(compileTemplate(text)).toEqual({ ok: false, errors: [message] });
  });

  it('reports every error of a template', () => {
    const r = compileTemplate('{{a.b}} and {{rule.x}}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(2);
  });

  it('marks keys that Object.prototype also has as own-only', () => {
    const t = compiled('{{labels.constructor}} {{labels.user}}');
    expect(t.placeholders.map((p) => p.ownOnly)).toEqual([true, false]);
  });
});

describe('renderTemplate', () => {
  it('renders labels, facts and rule values', () => {
    expect(renderTemplate(compiled('{{labels.user}}@{{labels.host}}: {{facts.name}} ({{rule.id}}, {{rule.severity}}, {{rule.for}})'), ctx)).toBe(
      'alice@gpu1: c1 (idle, warning, 5m)',
    );
  });

  it('renders missing, null and unknown values as ?', () => {
    expect(renderTemplate(compiled('{{labels.gpu}} {{facts.nothing}} {{facts.absent}} {{rule.stage}}'), ctx)).toBe('? ? ? ?');
  });

  it('never reads Object.prototype through a placeholder', () => {
    expect(renderTemplate(compiled('{{labels.constructor}}/{{facts.toString}}'), ctx)).toBe('?/?');
    const own: TemplateContext = { ...ctx, labels: { constructor: 'own' } };
    expect(renderTemplate(compiled('{{labels.constructor}}'), own)).toBe('own');
  });

  it('formats numbers with up to 2 decimals, lists and booleans', () => {
    expect(renderTemplate(compiled('{{facts.idleMinutes}}|{{facts.ratio}}|{{facts.whole}}|{{facts.users}}|{{facts.off}}|{{facts.nan}}'), ctx)).toBe(
      '42.46|0.8|3|a, b|false|NaN',
    );
  });

  it('keeps literal braces that are not placeholders', () => {
    expect(renderTemplate(compiled('a } b }} c {x}'), ctx)).toBe('a } b }} c {x}');
  });
});

describe('formatTemplateValue', () => {
  it.each([
    [undefined, '?'],
    [null, '?'],
    [1, '1'],
    [-0, '0'],
    [2.004, '2'],
    [1.235, '1.24'],
    [-3.14159, '-3.14'],
    [1e21, '1e+21'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['', ''],
    [[], ''],
    [['x', 'y'], 'x, y'],
    [true, 'true'],
  ])('%j → %j', (value, text) => {
    expect(formatTemplateValue(value)).toBe(text);
  });
});
