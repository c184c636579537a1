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

const FORMS = 'use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}, optionally with filters: {{facts.NAME | minutes}}';
const FILTERS = 'filters are seconds, minutes, hours, number, percent, default "TEXT"';

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
    ['{{subject.key}}', `unknown placeholder {{subject.key}}: "subject" is not one of labels, facts, rule; ${FORMS}`],
    ['{{rule.owner}}', 'unknown placeholder {{rule.owner}}: rule placeholders are {{rule.id}}, {{rule.scope}}, {{rule.severity}}, {{rule.stage}}, {{rule.for}}'],
    ['{{user}}', `malformed placeholder {{user}}: ${FORMS}`],
    ['{{facts.a.b}}', `malformed placeholder {{facts.a.b}}: ${FORMS}`],
    ['{{}}', `malformed placeholder {{}}: ${FORMS}`],
    ['idle {{facts.idleMinutes', `unclosed "{{" in "{{facts.idleMinutes": ${FORMS}`],
    ['{{facts.idleMinutes | minuts}}', `unknown filter "minuts" in {{facts.idleMinutes | minuts}} (did you mean "minutes"?); ${FILTERS}`],
    ['{{facts.idleMinutes | round}}', `unknown filter "round" in {{facts.idleMinutes | round}}; ${FILTERS}`],
    ['{{facts.x | }}', `malformed filter "" in {{facts.x | }}: ${FILTERS}`],
    ['{{facts.x | minutes 2}}', `malformed filter "minutes 2" in {{facts.x | minutes 2}}: ${FILTERS}`],
    ['{{facts.owner | default}}', 'filter "default" in {{facts.owner | default}} needs a quoted text: default "owner unknown"'],
    ['{{facts.x | number "2"}}', 'filter "number" in {{facts.x | number "2"}} takes no argument'],
  ])('rejects %j', (text, message) => {
    expect(compileTemplate(text)).toEqual({ ok: false, errors: [message] });
  });

  it('reports every error of a template', () => {
    const r = compileTemplate('{{a.b}} and {{rule.x}}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(2);
  });

  it('parses filters in order, with a quoted argument that may hold | and escaped quotes', () => {
    const t = compiled('{{ facts.idleMinutes | minutes }} {{facts.owner|default "owner | \\"unknown\\""}}');
    expect(t.placeholders.map((p) => p.filters)).toEqual([[{ name: 'minutes', arg: null }], [{ name: 'default', arg: 'owner | "unknown"' }]]);
  });

  it('asks the check about a filtered placeholder too', () => {
    const r = compileTemplate('{{facts.idelMinutes | minutes}}', (p) => (p.key === 'idleMinutes' ? null : `unknown fact ${p.text}`));
    expect(r).toEqual({ ok: false, errors: ['unknown fact {{facts.idelMinutes | minutes}}'] });
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

  it('renders missing, null and unknown values as unknown', () => {
    expect(renderTemplate(compiled('{{labels.gpu}} {{facts.nothing}} {{facts.absent}} {{rule.stage}}'), ctx)).toBe('unknown unknown unknown unknown');
  });

  it('formats durations, numbers and percentages through filters', () => {
    const facts = { idleMinutes: 10903.47, runtimeHours: 1.0833, secondsSeen: 170.59, eq: 1.714285, pct: 95.678, owner: null };
    const t = compiled('{{facts.idleMinutes | minutes}}; {{facts.runtimeHours | hours}}; {{facts.secondsSeen | seconds}}; {{facts.eq | number}}; {{facts.pct | percent}}');
    expect(renderTemplate(t, { ...ctx, facts })).toBe('7 d 14 h; 1 h 5 min; 2 min 51 s; 1.71; 96%');
  });

  it('default fills a null or missing value, after unit filters that leave it null', () => {
    const t = compiled('{{facts.owner | default "owner unknown"}} / {{facts.limit | minutes | default "no limit"}} / {{facts.name | default "x"}}');
    expect(renderTemplate(t, { ...ctx, facts: { owner: null, name: 'c1' } })).toBe('owner unknown / no limit / c1');
  });

  it('unit filters leave non-numbers as they are', () => {
    expect(renderTemplate(compiled('{{facts.name | minutes}} {{facts.users | number}}'), ctx)).toBe('c1 a, b');
  });

  it('never reads Object.prototype through a placeholder', () => {
    expect(renderTemplate(compiled('{{labels.constructor}}/{{facts.toString}}'), ctx)).toBe('unknown/unknown');
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
    [undefined, 'unknown'],
    [null, 'unknown'],
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
