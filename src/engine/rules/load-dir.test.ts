import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { knownFacts } from '../fact-catalogue.ts';
import { isRuleFileName, loadRulesDir, readRuleFiles, RULE_SCHEMA_FILE, writeRuleSchemaFile } from './load-dir.ts';
import { formatRuleProblem } from './rule-problem.ts';
import { ruleJsonSchemaText } from './rule-schema.ts';

const FIXTURES = 'test/fixtures/rules';
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-rules-'));
  temps.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('readRuleFiles', () => {
  it('reads *.json sorted by name, skipping schema files, other files and folders', () => {
    const dir = tempDir();
    for (const name of ['b.json', 'a.json', RULE_SCHEMA_FILE, 'x.schema.json', 'notes.md', 'c.json.bak']) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'sub.json'));
    expect(readRuleFiles(dir)).toEqual([
      { path: join(dir, 'a.json'), text: 'a.json' },
      { path: join(dir, 'b.json'), text: 'b.json' },
    ]);
  });

  it('throws for a missing folder', () => {
    expect(() => readRuleFiles(join(tempDir(), 'nope'))).toThrow(/ENOENT/);
  });

  it('names rules files', () => {
    expect(['a.json', 'rule.schema.json', 'a.JSON', 'a.json5'].map(isRuleFileName)).toEqual([true, false, false, false]);
  });
});

describe('writeRuleSchemaFile', () => {
  it('writes the schema text into a folder, creating it', () => {
    const dir = join(tempDir(), 'rules');
    const path = writeRuleSchemaFile(dir);
    expect(path).toBe(join(dir, RULE_SCHEMA_FILE));
    expect(readFileSync(path, 'utf8')).toBe(ruleJsonSchemaText());
  });

  it('accepts a folder URL', () => {
    const dir = tempDir();
    const path = writeRuleSchemaFile(new URL(`file://${dir}/`));
    expect(readFileSync(path, 'utf8')).toBe(ruleJsonSchemaText());
  });
});

describe('fixtures (test/fixtures/rules)', () => {
  it('the good mini-pack loads cleanly against the fact catalogue', () => {
    const { rules, problems } = loadRulesDir(`${FIXTURES}/good`, { knownFacts: knownFacts() });
    expect(problems).toEqual([]);
    expect(rules.map((r) => `${r.file}:${r.id}`)).toEqual([
      `${FIXTURES}/good/containers.json:idle-container`,
      `${FIXTURES}/good/containers.json:runtime-disabled`,
      `${FIXTURES}/good/gpu.json:gpu-hot`,
      `${FIXTURES}/good/users.json:user-over-quota`,
    ]);
  });

  it('each bad file gives exactly its problem', () => {
    const { rules, problems } = loadRulesDir(`${FIXTURES}/bad`, { knownFacts: knownFacts() });
    const b = `${FIXTURES}/bad`;
    expect(problems.map(formatRuleProblem)).toEqual([
      `${b}/bad-duration.json: rule bad-duration: $.for: invalid duration "5 min": no spaces allowed; use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w`,
      `${b}/bad-scope.json: rule bad-scope: $.scope: "gpus" is not one of gpuProcess, container, user, gpu, host (did you mean "gpu"?)`,
      `${b}/duplicate-id-b.json: rule duplicate-id: $[0].id: duplicate rule id "duplicate-id": first defined in ${b}/duplicate-id-a.json`,
      `${b}/json-syntax.json: $: invalid JSON at line 5, column 3: unexpected character '"': expected "," or "}" after a property value`,
      `${b}/missing-id.json: $.id: required`,
      `${b}/named-condition.json: rule named-condition: $.conditions.all[0].condition: named condition references ({"condition": "isHot"}) are not supported: write the condition inline`,
      `${b}/unknown-fact.json: rule unknown-fact: $.conditions.any[0].not.fact: unknown fact "idleMinuts" for scope container (did you mean "idleMinutes"?)`,
      `${b}/unknown-operator.json: rule unknown-operator: $.conditions.all[2].operator: unknown operator "greaterThen" (did you mean "greaterThan"?); operators: equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain`,
      `${b}/unknown-placeholder.json: rule unknown-placeholder: $.summary: unknown placeholder {{facts.temperature}}: no fact "temperature" for scope gpu (did you mean {{facts.temperatureC}}?)`,
    ]);
    // Only the first of the duplicate pair survives.
    expect(rules.map((r) => r.id)).toEqual(['duplicate-id']);
  });
});
