import { describe, expect, it } from 'vitest';
import { loadRule, loadRules, type LoadOptions } from './load.ts';
import { formatRuleProblem } from './rule-problem.ts';

const FACTS: LoadOptions = {
  knownFacts: { container: ['idleMinutes', 'idleRatio', 'protected', 'name', 'gpuUuids', 'allowedGpus'], gpu: ['temperatureC', 'index'] },
};

function base(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'idle',
    scope: 'container',
    severity: 'warning',
    summary: '{{facts.name}} idle',
    conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 0.8 }] },
    ...overrides,
  };
}

/** Load one file and return its problems as `rules check` prints them. */
function lines(content: unknown, options: LoadOptions = FACTS, raw = false): string[] {
  const text = raw ? String(content) : JSON.stringify(content, null, 2);
  return loadRules([{ path: 'f.json', text }], options).problems.map(formatRuleProblem);
}

function withCondition(cond: unknown): Record<string, unknown> {
  return base({ conditions: { all: [cond] } });
}

describe('loadRules: valid rules', () => {
  it('applies defaults and resolves durations', () => {
    const { rules, problems } = loadRules([{ path: 'a.json', text: JSON.stringify(base()) }], FACTS);
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      {
        id: 'idle',
        file: 'a.json',
        enabled: true,
        scope: 'container',
        severity: 'warning',
        for: '0s',
        forSec: 0,
        keepFiringForSec: null,
        priority: 1,
        labels: {},
        summary: '{{facts.name}} idle',
        description: '',
        notify: [],
        conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 0.8 }] },
        event: { type: 'idle' },
        stages: [],
        actions: [],
        approve: false,
      },
    ]);
  });

  it('reads keepFiringFor as seconds and rejects a bad one with its path', () => {
    const { rules } = loadRules([{ path: 'a.json', text: JSON.stringify(base({ keepFiringFor: '90s' })) }], FACTS);
    expect(rules[0]?.keepFiringForSec).toBe(90);
    expect(lines(base({ keepFiringFor: 'soon' })).join('\n')).toMatch(/keepFiringFor/);
  });

  it('keeps explicit metadata; a stage without `for` takes the rule\'s', () => {
    const rule = base({
      $schema: './rule.schema.json',
      for: '2h',
      priority: 3,
      enabled: false,
      labels: { team: 'ml' },
      notify: ['owner', 'admins', 'ops-slack'],
      event: { type: 'idle-event', params: { a: 1 } },
      stages: [
        { id: 'final', severity: 'warning', conditions: { all: [] } },
        { id: 'stop', severity: 'critical', for: '5m', conditions: { any: [] }, actions: [{ type: 'stop-container' }] },
      ],
      actions: [{ type: 'warn', stage: 'final', params: { message: 'x' } }],
    });
    const [loaded] = loadRules([{ path: 'a.json', text: JSON.stringify(rule) }], FACTS).rules;
    expect(loaded?.forSec).toBe(7200);
    expect(loaded?.priority).toBe(3);
    expect(loaded?.enabled).toBe(false);
    expect(loaded?.event).toEqual({ type: 'idle-event', params: { a: 1 } });
    expect(loaded?.stages.map((s) => [s.id, s.for, s.forSec, s.actions.length])).toEqual([
      ['final', '2h', 7200, 0],
      ['stop', '5m', 300, 1],
    ]);
    expect(loaded?.actions).toEqual([{ type: 'warn', stage: 'final', params: { message: 'x' }, enabled: true }]);
    expect(loaded?.stages[1]?.actions).toEqual([{ type: 'stop-container', enabled: true }]);
  });

  it('reads a file holding an array of rules, in order, and an empty array', () => {
    const text = JSON.stringify([base({ id: 'b' }), base({ id: 'a' })]);
    const r = loadRules([{ path: 'x.json', text }, { path: 'y.json', text: '[]' }], FACTS);
    expect(r.problems).toEqual([]);
    expect(r.rules.map((x) => `${x.file}:${x.id}`)).toEqual(['x.json:b', 'x.json:a']);
  });

  it('accepts any fact name when no catalogue is given for the scope', () => {
    expect(lines(base({ scope: 'user', conditions: { all: [{ fact: 'whatever', operator: 'equal', value: 1 }] }, summary: '{{facts.x}}' }))).toEqual([]);
    expect(lines(withCondition({ fact: 'whatever', operator: 'equal', value: 1 }), {})).toEqual([]);
  });

  it('accepts fact references, paths and contains with a fact value', () => {
    expect(
      lines(
        base({
          conditions: {
            all: [
              { fact: 'idleMinutes', operator: 'greaterThan', value: { fact: 'idleRatio' } },
              { fact: 'allowedGpus', operator: 'doesNotContain', value: { fact: 'name' } },
              { fact: 'gpuUuids', path: '$.length', operator: 'greaterThan', value: 1 },
            ],
          },
        }),
      ),
    ).toEqual([]);
  });
});

describe('loadRules: problems', () => {
  it.each<[string, unknown, string[]]>([
    ['missing id', { ...base(), id: undefined }, ['f.json: $.id: required']],
    ['id not kebab-case', base({ id: 'Idle_GPU' }), ['f.json: rule Idle_GPU: $.id: rule id "Idle_GPU" must be kebab-case (e.g. "gpu-idle")']],
    ['bad scope', base({ scope: 'containers' }), ['f.json: rule idle: $.scope: "containers" is not one of gpuProcess, container, user, gpu, host (did you mean "container"?)']],
    ['bad severity', base({ severity: 'error' }), ['f.json: rule idle: $.severity: "error" is not one of info, warning, critical']],
    ['bad duration', base({ for: '10 minutes' }), ['f.json: rule idle: $.for: invalid duration "10 minutes": no spaces allowed; use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w']],
    ['duration of the wrong type', base({ for: 300 }), ['f.json: rule idle: $.for: expected string, got number']],
    ['unknown key', base({ sevrity: 'x' }), ['f.json: rule idle: $.sevrity: unknown key "sevrity" (did you mean "severity"?)']],
    ['empty summary', base({ summary: '' }), ['f.json: rule idle: $.summary: must not be empty']],
    ['bad label name', base({ labels: { 'a-b': 'x' } }), ['f.json: rule idle: $.labels["a-b"]: label name "a-b" must match ^[A-Za-z_][A-Za-z0-9_]*$']],
    ['label value not a string', base({ labels: { team: 1 } }), ['f.json: rule idle: $.labels.team: expected string, got number']],
    ['bad receiver', base({ notify: ['Ops Team'] }), ['f.json: rule idle: $.notify[0]: receiver "Ops Team" must be "owner", "admins" or a kebab-case receiver name']],
    ['bad action type', base({ actions: [{ type: 'kill' }] }), ['f.json: rule idle: $.actions[0].type: "kill" is not one of warn, stop-container, signal-process']],
    ['priority 0', base({ priority: 0 }), ['f.json: rule idle: $.priority: must be above 0']],
    ['event without type', base({ event: {} }), ['f.json: rule idle: $.event.type: required']],
    ['stage without id', base({ stages: [{ severity: 'critical', conditions: { all: [] } }] }), ['f.json: rule idle: $.stages[0].id: required']],
    ['missing conditions', { ...base(), conditions: undefined }, ['f.json: rule idle: $.conditions: required']],
    ['rule not an object', [1], ['f.json: $[0]: expected a rule object, got number']],
    ['file neither object nor array', 'x', ['f.json: $: a rules file holds one rule object or a list of rules, got string']],
  ])('%s', (_name, content, expected) => {
    expect(lines(content)).toEqual(expected);
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(lines('{\n  "id": "x",\n  "scope": "gpu"\n  "severity": "info"\n}', FACTS, true)).toEqual([
      `f.json: $: invalid JSON at line 4, column 3: unexpected character '"': expected "," or "}" after a property value`,
    ]);
  });

  it('reports several problems of one rule at once, and leaves the rule out', () => {
    const content = base({ scope: 'gpu', severity: 'bad', summary: '{{facts.temp}}', conditions: { all: [{ fact: 'temp', operator: 'gt', value: 1 }] } });
    const r = loadRules([{ path: 'f.json', text: JSON.stringify(content) }], FACTS);
    expect(r.rules).toEqual([]);
    expect(r.problems.map(formatRuleProblem)).toEqual([
      'f.json: rule idle: $.severity: "bad" is not one of info, warning, critical',
      'f.json: rule idle: $.conditions.all[0].fact: unknown fact "temp" for scope gpu (did you mean "temperatureC"?)',
      'f.json: rule idle: $.conditions.all[0].operator: unknown operator "gt"; operators: equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain',
      'f.json: rule idle: $.summary: unknown placeholder {{facts.temp}}: no fact "temp" for scope gpu (did you mean {{facts.temperatureC}}?)',
    ]);
  });

  it('reports duplicate ids across files and within a file, keeping the first', () => {
    const r = loadRules(
      [
        { path: 'a.json', text: JSON.stringify(base()) },
        { path: 'b.json', text: JSON.stringify([base({ id: 'other' }), base({ id: 'other' }), base()]) },
      ],
      FACTS,
    );
    expect(r.problems.map(formatRuleProblem)).toEqual([
      'b.json: rule other: $[1].id: duplicate rule id "other": first defined at $[0] of this file',
      'b.json: rule idle: $[2].id: duplicate rule id "idle": first defined in a.json',
    ]);
    expect(r.rules.map((x) => `${x.file}:${x.id}`)).toEqual(['a.json:idle', 'b.json:other']);
  });

  it('counts a duplicate id even when the first rule had other problems', () => {
    const r = loadRules([{ path: 'a.json', text: JSON.stringify([base({ severity: 'x' }), base()]) }], FACTS);
    expect(r.problems.map((p) => p.jsonPath)).toEqual(['$[0].severity', '$[1].id']);
    expect(r.rules).toEqual([]);
  });

  it('checks stages: conditions, unique ids, escalation, and action references', () => {
    const stages = [
      { id: 'high', severity: 'critical', conditions: { all: [{ fact: 'idleRatoi', operator: 'greaterThan', value: 1 }] } },
    ];
    expect(lines(base({ stages }))).toEqual([
      'f.json: rule idle: $.stages[0].conditions.all[0].fact: unknown fact "idleRatoi" for scope container (did you mean "idleRatio"?)',
    ]);
    const ok = { all: [] };
    expect(
      lines(
        base({
          stages: [
            { id: 'a', severity: 'critical', conditions: ok },
            { id: 'a', severity: 'warning', conditions: ok },
          ],
          actions: [{ type: 'warn', stage: 'b' }],
        }),
      ),
    ).toEqual([
      'f.json: rule idle: $.stages[1].id: duplicate stage id "a"',
      'f.json: rule idle: $.stages[1].severity: stages escalate: "warning" is less severe than stage "a" (critical)',
      'f.json: rule idle: $.actions[0].stage: unknown stage "b" (did you mean "a"?)',
    ]);
    expect(lines(base({ severity: 'critical', stages: [{ id: 'a', severity: 'info', conditions: ok }] }))).toEqual([
      `f.json: rule idle: $.stages[0].severity: stages escalate: "info" is less severe than the rule's severity "critical"`,
    ]);
  });

  it('checks templates against the scope\'s facts and labels', () => {
    const opts: LoadOptions = { ...FACTS, knownLabels: { container: ['host', 'user', 'container'] } };
    expect(lines(base({ summary: '{{labels.usr}} {{labels.team}} {{rule.id}}', description: '{{facts.idleMinuts}} {{x.y}}', labels: { team: 'a' } }), opts)).toEqual([
      'f.json: rule idle: $.summary: unknown placeholder {{labels.usr}}: no label "usr" for scope container (did you mean {{labels.user}}?)',
      'f.json: rule idle: $.description: unknown placeholder {{facts.idleMinuts}}: no fact "idleMinuts" for scope container (did you mean {{facts.idleMinutes}}?)',
      'f.json: rule idle: $.description: unknown placeholder {{x.y}}: "x" is not one of labels, facts, rule; use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}, optionally with filters: {{facts.NAME | minutes}}',
    ]);
    expect(lines(base({ summary: '{{labels.anything}}' }))).toEqual([]);
  });

  it('a stage named after a severity must have that severity', () => {
    const stage = (id: string, severity: string) => ({ id, severity, conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 1 }] } });
    expect(lines(base({ stages: [stage('critical', 'warning')] }), FACTS)).toEqual([
      'f.json: rule idle: $.stages[0].id: stage "critical" has severity "warning": name the stage for what it means (e.g. "limit", "none-free"), not for another severity',
    ]);
    expect(lines(base({ stages: [stage('critical', 'critical'), stage('none-free', 'critical')] }), FACTS)).toEqual([]);
  });

  it('checks a stage\'s own summary and description at their JSON paths', () => {
    const stage = { id: 'limit', severity: 'critical', conditions: { all: [{ fact: 'idleRatio', operator: 'greaterThanInclusive', value: 1 }] } };
    expect(lines(base({ stages: [{ ...stage, summary: '{{facts.idleMinuts}}', description: '{{facts.idleMinutes | hourz}}' }] }), FACTS)).toEqual([
      'f.json: rule idle: $.stages[0].summary: unknown placeholder {{facts.idleMinuts}}: no fact "idleMinuts" for scope container (did you mean {{facts.idleMinutes}}?)',
      'f.json: rule idle: $.stages[0].description: unknown filter "hourz" in {{facts.idleMinutes | hourz}} (did you mean "hours"?); filters are seconds, minutes, hours, number, percent, default "TEXT"',
    ]);
    const ok = loadRules([{ path: 'f.json', text: JSON.stringify(base({ stages: [{ ...stage, summary: 'limit {{facts.idleMinutes | minutes}}' }] })) }], FACTS);
    expect(ok.problems).toEqual([]);
    expect(ok.rules[0]?.stages[0]).toMatchObject({ summary: 'limit {{facts.idleMinutes | minutes}}', description: null });
  });

  it('rejects an unknown template filter with its JSON path, and accepts the known ones', () => {
    expect(lines(base({ summary: 'idle {{facts.idleMinutes | minuts}}' }), FACTS)).toEqual([
      'f.json: rule idle: $.summary: unknown filter "minuts" in {{facts.idleMinutes | minuts}} (did you mean "minutes"?); filters are seconds, minutes, hours, number, percent, default "TEXT"',
    ]);
    expect(lines(base({ summary: '{{facts.idleMinutes | minutes}} {{labels.user | default "owner unknown"}} {{facts.idleRatio | number}}' }), FACTS)).toEqual([]);
  });
});

describe('loadRules: conditions', () => {
  it.each<[string, unknown, string[]]>([
    ['unknown operator with suggestion', withCondition({ fact: 'idleRatio', operator: 'greaterThen', value: 1 }), ['$.conditions.all[0].operator: unknown operator "greaterThen" (did you mean "greaterThan"?); operators: equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain']],
    ['operator decorator', withCondition({ fact: 'gpuUuids', operator: 'someFact:equal', value: 'x' }), ['$.conditions.all[0].operator: operator decorators ("someFact:") are not supported; use one of equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain']],
    ['operator not a string', withCondition({ fact: 'idleRatio', operator: 1, value: 1 }), ['$.conditions.all[0].operator: operator must be a string, got number']],
    ['missing operator', withCondition({ fact: 'idleRatio', value: 1 }), ['$.conditions.all[0].operator: "operator" is required']],
    ['missing value', withCondition({ fact: 'idleRatio', operator: 'equal' }), ['$.conditions.all[0].value: "value" is required']],
    ['missing fact', withCondition({ operator: 'equal', value: 1 }), ['$.conditions.all[0].fact: "fact" is required']],
    ['empty fact', withCondition({ fact: '', operator: 'equal', value: 1 }), ['$.conditions.all[0].fact: "fact" must be a fact name (a non-empty string), got ""']],
    ['unknown fact in a fact reference', withCondition({ fact: 'idleRatio', operator: 'equal', value: { fact: 'idleRate' } }), ['$.conditions.all[0].value.fact: unknown fact "idleRate" for scope container (did you mean "idleRatio"?)']],
    ['fact reference with an unknown key', withCondition({ fact: 'idleRatio', operator: 'equal', value: { fact: 'idleMinutes', pth: '$.a' } }), ['$.conditions.all[0].value.pth: unknown key "pth" (did you mean "path"?)']],
    ['in with a fact reference', withCondition({ fact: 'name', operator: 'in', value: { fact: 'allowedGpus' } }), ['$.conditions.all[0].value: in needs a literal list value: with a fact reference json-rules-engine throws when that fact is not a list at run time (use contains / doesNotContain with the list fact instead)']],
    ['notIn with a string', withCondition({ fact: 'name', operator: 'notIn', value: 'abc' }), ['$.conditions.all[0].value: notIn needs a list value, e.g. ["a", "b"], got "abc"']],
    ['numeric operator with a string', withCondition({ fact: 'idleRatio', operator: 'greaterThan', value: '0.8' }), ['$.conditions.all[0].value: greaterThan needs a number value, got "0.8"']],
    ['numeric operator with a list', withCondition({ fact: 'idleRatio', operator: 'lessThan', value: [1] }), ['$.conditions.all[0].value: lessThan needs a number value, got a list']],
    ['equal with a list', withCondition({ fact: 'name', operator: 'equal', value: ['a'] }), ['$.conditions.all[0].value: equal with a list never matches as expected (json-rules-engine compares with ===): use in / notIn']],
    ['contains with a list', withCondition({ fact: 'gpuUuids', operator: 'contains', value: ['a'] }), ['$.conditions.all[0].value: contains takes one value, not a list']],
    ['object value', withCondition({ fact: 'name', operator: 'equal', value: { a: 1 } }), ['$.conditions.all[0].value: value must be a number, string, boolean, null, a list of those, or {"fact": "name"}']],
    ['list of objects', withCondition({ fact: 'name', operator: 'in', value: [{}] }), ['$.conditions.all[0].value[0]: list items must be numbers, strings, booleans or null, got object']],
    ['bad path', withCondition({ fact: 'gpuUuids', path: '$[0]', operator: 'equal', value: 'a' }), ['$.conditions.all[0].path: path must be a simple property path such as "$.a.b", got "$[0]"']],
    ['params not an object', withCondition({ fact: 'name', params: 1, operator: 'equal', value: 'a' }), ['$.conditions.all[0].params: params must be an object, got number']],
    ['bad priority', withCondition({ fact: 'name', priority: 1.5, operator: 'equal', value: 'a' }), ['$.conditions.all[0].priority: priority must be a whole number above 0, got 1.5']],
    ['bad name', base({ conditions: { all: [], name: 3 } }), ['$.conditions.name: name must be a string, got number']],
    ['unknown key in a leaf', withCondition({ fact: 'name', operator: 'equal', value: 'a', vaule: 'b' }), ['$.conditions.all[0].vaule: unknown key "vaule" (did you mean "value"?)']],
    ['unknown key in all', base({ conditions: { all: [], extra: 1 } }), ['$.conditions.extra: unknown key "extra"']],
    ['named condition reference', withCondition({ condition: 'isIdle' }), ['$.conditions.all[0].condition: named condition references ({"condition": "isIdle"}) are not supported: write the condition inline']],
    ['named condition at the root', base({ conditions: { condition: 'isIdle' } }), ['$.conditions.condition: named condition references ({"condition": "isIdle"}) are not supported: write the condition inline']],
    ['leaf at the root', base({ conditions: { fact: 'name', operator: 'equal', value: 'a' } }), ['$.conditions: the root must be {"all": [...]}, {"any": [...]} or {"not": {...}} (wrap the comparison: {"all": [ ... ]})']],
    ['empty root', base({ conditions: {} }), ['$.conditions: the root must be {"all": [...]}, {"any": [...]} or {"not": {...}}']],
    ['root not an object', base({ conditions: [] }), ['$.conditions: expected {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}, got array']],
    ['all and any together', base({ conditions: { all: [], any: [] } }), ['$.conditions: a condition holds exactly one of "all", "any", "not" (found "all" and "any")']],
    ['all with a fact', withCondition({ all: [], fact: 'name' }), ['$.conditions.all[0]: a condition is either "all" or a {"fact", "operator", "value"} comparison, not both']],
    ['all not a list', base({ conditions: { all: {} } }), ['$.conditions.all: "all" must be a list of conditions, got object']],
    ['not with a list', base({ conditions: { not: [] } }), ['$.conditions.not: "not" takes one condition object, not a list (wrap several in {"all": [...]})']],
    ['nested object with unrelated keys', withCondition({ foo: 1 }), ['$.conditions.all[0]: expected {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}, got an object with keys "foo"']],
    ['nested empty object', withCondition({}), ['$.conditions.all[0]: expected {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}, got an object with no keys']],
    ['deep path', base({ conditions: { any: [{ not: { all: [{ fact: 'nme', operator: 'equal', value: 1 }] } }] } }), ['$.conditions.any[0].not.all[0].fact: unknown fact "nme" for scope container (did you mean "name"?)']],
  ])('%s', (_name, content, expected) => {
    expect(lines(content)).toEqual(expected.map((e) => `f.json: rule idle: ${e}`));
  });

  it('gives paths inside a file holding an array', () => {
    expect(lines([base(), base({ id: 'b', conditions: { all: [{ fact: 'name', operator: 'nope', value: 1 }] } })])[0]).toMatch(
      /^f\.json: rule b: \$\[1\]\.conditions\.all\[0\]\.operator: unknown operator "nope"/,
    );
  });
});

describe('loadRule', () => {
  it('returns the rule only when there is no problem', () => {
    expect(loadRule(base(), '$', FACTS).rule?.id).toBe('idle');
    expect(loadRule(base({ for: 'x' }), '$', FACTS).rule).toBeNull();
  });
});

describe('loadRules: enforcement actions', () => {
  it('refuses an action its scope cannot carry (stop-container on a user rule), with the path', () => {
    const rule = base({ scope: 'user', summary: 'x', conditions: { all: [] }, actions: [{ type: 'stop-container' }] });
    expect(lines(rule).join('\n')).toMatch(/\$\.actions\[0\]\.type: stop-container acts on a container; this rule's scope is user/);
  });

  it('refuses an unknown action parameter, and reads enabled (default true) and approve (default false)', () => {
    expect(lines(base({ actions: [{ type: 'stop-container', params: { remvoe: true } }] })).join('\n')).toMatch(/remvoe/);
    const [loaded] = loadRules([{ path: 'a.json', text: JSON.stringify(base({ approve: true, actions: [{ type: 'stop-container', enabled: false, params: { remove: true } }] })) }], FACTS).rules;
    expect(loaded?.approve).toBe(true);
    expect(loaded?.actions).toEqual([{ type: 'stop-container', enabled: false, params: { remove: true } }]);
  });
});
