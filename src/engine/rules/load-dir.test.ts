import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
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
  it('reads *.json sorted by name; schema files, *.md docs and hidden entries are not rules and not problems', () => {
    const dir = tempDir();
    for (const name of ['b.json', 'a.json', RULE_SCHEMA_FILE, 'x.schema.json', 'README.md', '.a.json.swp']) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, '..data'));
    expect(readRuleFiles(dir)).toEqual({
      files: [
        { path: join(dir, 'a.json'), text: 'a.json' },
        { path: join(dir, 'b.json'), text: 'b.json' },
      ],
      problems: [],
    });
  });

  it('follows a symlinked rule file (config management, Kubernetes ConfigMaps)', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'real.json'), 'linked');
    symlinkSync(join(elsewhere, 'real.json'), join(dir, 'linked.json'));
    expect(readRuleFiles(dir)).toEqual({ files: [{ path: join(dir, 'linked.json'), text: 'linked' }], problems: [] });
  });

  it('loads a ConfigMap-style folder (hidden ..data folder, rule files linked into it)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '..2026_01_01'));
    writeFileSync(join(dir, '..2026_01_01', 'gpu.json'), 'cm');
    symlinkSync('..2026_01_01', join(dir, '..data'));
    symlinkSync(join('..data', 'gpu.json'), join(dir, 'gpu.json'));
    expect(readRuleFiles(dir)).toEqual({ files: [{ path: join(dir, 'gpu.json'), text: 'cm' }], problems: [] });
  });

  it('names every file it would otherwise skip: other case, other extensions, dangling links, folders', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.json'), 'ok');
    for (const name of ['Upper.JSON', 'c.json.bak', 'notes.txt']) writeFileSync(join(dir, name), name);
    symlinkSync(join(dir, 'gone.json.target'), join(dir, 'dangling.json'));
    mkdirSync(join(dir, 'sub.json'));
    const { files, problems } = readRuleFiles(dir);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'ok.json')]);
    expect(problems.map(formatRuleProblem)).toEqual([
      `${join(dir, 'Upper.JSON')}: $: not read: rule files end in ".json" (lowercase); rename it to Upper.json`,
      `${join(dir, 'c.json.bak')}: $: not read: not a rule file (*.json); rule folders may hold only *.json rules, *.schema.json, *.md and hidden (.name) entries`,
      `${join(dir, 'dangling.json')}: $: not read: a symbolic link to ${join(dir, 'gone.json.target')}, which does not exist`,
      `${join(dir, 'notes.txt')}: $: not read: not a rule file (*.json); rule folders may hold only *.json rules, *.schema.json, *.md and hidden (.name) entries`,
      `${join(dir, 'sub.json')}: $: not read: a folder (rule folders are not read recursively)`,
    ]);
  });

  it('a link to a folder is named too', () => {
    const dir = tempDir();
    symlinkSync(tempDir(), join(dir, 'more.json'));
    expect(readRuleFiles(dir).problems.map(formatRuleProblem)).toEqual([`${join(dir, 'more.json')}: $: not read: a folder (rule folders are not read recursively)`]);
  });

  it('loadRulesDir reports the skipped files with the rule problems', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.JSON'), '{}');
    expect(loadRulesDir(dir).problems.map((p) => p.file)).toEqual([join(dir, 'x.JSON')]);
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
