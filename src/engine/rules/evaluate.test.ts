import { describe, expect, it } from 'vitest';
import type { Subject } from '../subject.ts';
import { compileRules } from './compile.ts';
import { evaluate, indexSubjectsByScope } from './evaluate.ts';
import { loadRules } from './load.ts';

function pack(...rules: Record<string, unknown>[]) {
  const r = loadRules([{ path: 'pack.json', text: JSON.stringify(rules) }]);
  expect(r.problems).toEqual([]);
  return compileRules(r.rules);
}

const idle = {
  id: 'idle',
  scope: 'container',
  severity: 'info',
  for: '10m',
  labels: { team: 'ml', user: 'overridden' },
  summary: '{{facts.name}} of {{labels.user}} idle {{facts.idleRatio}} ({{rule.severity}}/{{rule.stage}}/{{rule.for}})',
  description: '{{rule.id}} on {{labels.host}}: {{facts.missing}}',
  notify: ['owner', 'admins'],
  conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 0.8 }] },
  stages: [
    { id: 'final', severity: 'warning', conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 0.95 }] } },
    { id: 'limit', severity: 'critical', for: '0s', conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 1 }] } },
  ],
};

function container(key: string, idleRatio: number | null, extra: Record<string, string> = {}): Subject {
  return { scope: 'container', key, labels: { host: 'h1', container: key, user: 'alice', ...extra }, facts: { name: key, idleRatio } };
}

describe('evaluate', () => {
  it('a stage with its own summary and description replaces the rule\'s; other stages keep the rule\'s', () => {
    const staged = {
      ...idle,
      id: 'staged',
      labels: {},
      stages: [
        idle.stages[0],
        { ...idle.stages[1], summary: '{{facts.name}}: limit reached ({{rule.stage}})', description: 'An administrator may stop {{facts.name}}.' },
      ],
    };
    const findings = evaluate(pack(staged), [container('c3', 0.97), container('c4', 1.2)]);
    expect(findings.map((f) => [f.stage, f.annotations.summary, f.annotations.description])).toEqual([
      ['final', 'c3 of alice idle 0.97 (warning/final/10m)', 'staged on h1: unknown'],
      ['limit', 'c4: limit reached (limit)', 'An administrator may stop c4.'],
    ]);
  });

  it('builds findings with the last matching stage, merged labels and rendered annotations', () => {
    const findings = evaluate(pack(idle), [container('c1', 0.5), container('c2', 0.8123), container('c3', 0.97), container('c4', 1.2)]);
    expect(findings).toEqual([
      {
        rule: 'idle',
        severity: 'info',
        stage: null,
        forSec: 600,
        labels: { host: 'h1', container: 'c2', user: 'overridden', team: 'ml' },
        annotations: { summary: 'c2 of overridden idle 0.81 (info/unknown/10m)', description: 'idle on h1: unknown' },
        notify: ['owner', 'admins'],
      },
      {
        rule: 'idle',
        severity: 'warning',
        stage: 'final',
        forSec: 600,
        labels: { host: 'h1', container: 'c3', user: 'overridden', team: 'ml' },
        annotations: { summary: 'c3 of overridden idle 0.97 (warning/final/10m)', description: 'idle on h1: unknown' },
        notify: ['owner', 'admins'],
      },
      {
        rule: 'idle',
        severity: 'critical',
        stage: 'limit',
        forSec: 0,
        labels: { host: 'h1', container: 'c4', user: 'overridden', team: 'ml' },
        annotations: { summary: 'c4 of overridden idle 1.2 (critical/limit/0s)', description: 'idle on h1: unknown' },
        notify: ['owner', 'admins'],
      },
    ]);
  });

  it('takes the LAST matching stage even when an earlier one does not match', () => {
    const rules = pack({
      ...idle,
      stages: [
        { id: 'a', severity: 'warning', conditions: { all: [{ fact: 'name', operator: 'equal', value: 'nobody' }] } },
        { id: 'b', severity: 'critical', conditions: { all: [] } },
      ],
    });
    expect(evaluate(rules, [container('c', 0.9)]).map((f) => f.stage)).toEqual(['b']);
  });

  it('only looks at subjects of the rule\'s scope, and skips disabled rules', () => {
    const gpuRule = { ...idle, id: 'gpu-idle', scope: 'gpu', stages: [] };
    const off = { ...idle, id: 'off', enabled: false };
    const gpu: Subject = { scope: 'gpu', key: 'g0', labels: { host: 'h1', gpu: '0' }, facts: { idleRatio: 2 } };
    const findings = evaluate(pack(idle, gpuRule, off), [gpu, container('c', 2)]);
    expect(findings.map((f) => `${f.rule}:${f.labels.container ?? f.labels.gpu}`)).toEqual(['idle:c', 'gpu-idle:0']);
  });

  it('orders findings by rule, then subject', () => {
    const second = { ...idle, id: 'second', stages: [] };
    const findings = evaluate(pack(second, idle), [container('z', 1), container('a', 1)]);
    expect(findings.map((f) => `${f.rule}:${f.labels.container}`)).toEqual(['second:z', 'second:a', 'idle:z', 'idle:a']);
  });

  it('treats null and missing facts as json-rules-engine does', () => {
    const notEqual = { ...idle, id: 'ne', stages: [], conditions: { all: [{ fact: 'owner', operator: 'notEqual', value: 'alice' }] } };
    const findings = evaluate(pack(notEqual, idle), [container('n', null)]);
    // owner is missing: undefined !== 'alice' matches; idleRatio null fails the number validator.
    expect(findings.map((f) => f.rule)).toEqual(['ne']);
  });

  it('returns fresh label and notify objects per finding', () => {
    const rules = pack(idle);
    const subject = container('c', 0.9);
    const [a, b] = [evaluate(rules, [subject])[0], evaluate(rules, [subject])[0]];
    a?.notify.push('x');
    if (a !== undefined) a.labels.team = 'changed';
    expect(b?.notify).toEqual(['owner', 'admins']);
    expect(b?.labels.team).toBe('ml');
    expect(subject.labels).toEqual({ host: 'h1', container: 'c', user: 'alice' });
    expect(rules[0]?.notify).toEqual(['owner', 'admins']);
  });

  it('returns nothing for no rules or no subjects', () => {
    expect(evaluate([], [container('c', 1)])).toEqual([]);
    expect(evaluate(pack(idle), [])).toEqual([]);
  });

  it('finds exactly the matching subjects at scale (20 rules × 450 subjects; speed lives in bench:rules)', () => {
    const rules = pack(...Array.from({ length: 20 }, (_, i) => ({ ...idle, id: `r${i}` })));
    const subjects = Array.from({ length: 450 }, (_, i) => container(`c${i}`, i % 50 === 0 ? 1 : 0.1));
    expect(evaluate(rules, subjects)).toHaveLength(20 * 9);
  });
});

describe('indexSubjectsByScope', () => {
  it('groups subjects by scope, keeping order, with every scope present', () => {
    const index = indexSubjectsByScope([container('b', 1), { scope: 'host', key: 'h', labels: {}, facts: {} }, container('a', 1)]);
    expect(index.container.map((s) => s.key)).toEqual(['b', 'a']);
    expect(index.host.map((s) => s.key)).toEqual(['h']);
    expect(index.gpu).toEqual([]);
    expect(Object.keys(index).sort()).toEqual(['container', 'gpu', 'gpuProcess', 'host', 'user']);
  });
});
