import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { RULES_CHECK_USAGE, rulesCheckCommand } from './rules-check.ts';
import { UsageError } from './usage-error.ts';

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env: {},
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-check-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const B = 'test/fixtures/rules/bad';

describe('gpuwarden rules check', () => {
  it('prints every problem of the bad fixtures, then the count, and exits 1', async () => {
    const io = captureIo();
    expect(await rulesCheckCommand(['check', B], io)).toBe(1);
    expect(io.out.split('\n')).toEqual([
      `${B}/bad-duration.json: rule bad-duration: $.for: invalid duration "5 min": no spaces allowed; use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w`,
      `${B}/bad-scope.json: rule bad-scope: $.scope: "gpus" is not one of gpuProcess, container, user, gpu, host (did you mean "gpu"?)`,
      `${B}/duplicate-id-b.json: rule duplicate-id: $[0].id: duplicate rule id "duplicate-id": first defined in ${B}/duplicate-id-a.json`,
      `${B}/json-syntax.json: $: invalid JSON at line 5, column 3: unexpected character '"': expected "," or "}" after a property value`,
      `${B}/missing-id.json: $.id: required`,
      `${B}/named-condition.json: rule named-condition: $.conditions.all[0].condition: named condition references ({"condition": "isHot"}) are not supported: write the condition inline`,
      `${B}/unknown-fact.json: rule unknown-fact: $.conditions.any[0].not.fact: unknown fact "idleMinuts" for scope container (did you mean "idleMinutes"?)`,
      `${B}/unknown-operator.json: rule unknown-operator: $.conditions.all[2].operator: unknown operator "greaterThen" (did you mean "greaterThan"?); operators: equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain`,
      `${B}/unknown-placeholder.json: rule unknown-placeholder: $.summary: unknown placeholder {{facts.temperature}}: no fact "temperature" for scope gpu (did you mean {{facts.temperatureC}}?)`,
      '9 problems',
      '',
    ]);
    expect(io.err).toBe('');
  });

  it('--json: ok, the count and each problem\'s file, rule, path and message', async () => {
    const bad = captureIo();
    expect(await rulesCheckCommand(['check', B, '--json'], bad)).toBe(1);
    const doc = JSON.parse(bad.out) as { ok: boolean; rules: number; problems: unknown[] };
    expect(doc.ok).toBe(false);
    expect(doc.problems).toHaveLength(9);
    expect(doc.problems).toContainEqual({ file: `${B}/missing-id.json`, ruleId: null, jsonPath: '$.id', message: 'required' });
    const good = captureIo();
    expect(await rulesCheckCommand(['check', '--json', 'test/fixtures/rules/good'], good)).toBe(0);
    expect(JSON.parse(good.out)).toEqual({ ok: true, rules: 4, problems: [] });
  });

  it('reports a clean folder as "N rules OK" with exit 0 (disabled rules count)', async () => {
    const io = captureIo();
    expect(await rulesCheckCommand(['check', 'test/fixtures/rules/good'], io)).toBe(0);
    expect(io.out).toBe('4 rules OK\n');
  });

  it('says "1 problem" and "1 rule OK" in the singular', async () => {
    const rule = { id: 'a', scope: 'host', severity: 'info', summary: 's', conditions: { all: [] } };
    const ok = captureIo();
    expect(await rulesCheckCommand(['check', tempDir({ 'a.json': JSON.stringify(rule) })], ok)).toBe(0);
    expect(ok.out).toBe('1 rule OK\n');
    const bad = captureIo();
    const dir = tempDir({ 'a.json': JSON.stringify({ ...rule, for: 'x' }) });
    expect(await rulesCheckCommand(['check', dir], bad)).toBe(1);
    expect(bad.out.trimEnd().split('\n').at(-1)).toBe('1 problem');
  });

  it('checks facts against the fact catalogue', async () => {
    const rule = { id: 'a', scope: 'host', severity: 'info', summary: 's', conditions: { all: [{ fact: 'errorCnt', operator: 'greaterThan', value: 0 }] } };
    const io = captureIo();
    const dir = tempDir({ 'a.json': JSON.stringify(rule) });
    expect(await rulesCheckCommand(['check', dir], io)).toBe(1);
    expect(io.out).toContain(`rule a: $.conditions.all[0].fact: unknown fact "errorCnt" for scope host (did you mean "errorCount"?)`);
  });

  it('defaults to the rule pack inside the package and also accepts the folder without the "check" word', async () => {
    const io = captureIo();
    expect(await rulesCheckCommand(['check'], io)).toBe(0);
    expect(io.out).toMatch(/^\d+ rules OK\n$/);
    const again = captureIo();
    expect(await rulesCheckCommand(['test/fixtures/rules/good'], again)).toBe(0);
    expect(again.out).toBe('4 rules OK\n');
  });

  it('exits 1 with a sentence for a missing or empty folder', async () => {
    const missing = captureIo();
    expect(await rulesCheckCommand(['check', 'no/such/dir'], missing)).toBe(1);
    expect(missing.err).toMatch(/^gpuwarden rules check: cannot read rules folder no\/such\/dir: ENOENT/);
    const empty = captureIo();
    const dir = tempDir({ 'rule.schema.json': '{}', 'README.md': '#' });
    expect(await rulesCheckCommand(['check', dir], empty)).toBe(1);
    expect(empty.err).toBe(`gpuwarden rules check: no rules files (*.json) in ${dir}\n`);
    expect(empty.out).toBe('');
  });

  it('names a file it does not read (other case, dangling link) and follows a symlinked rule file', async () => {
    const rule = { id: 'a', scope: 'host', severity: 'info', summary: 's', conditions: { all: [] } };
    const elsewhere = tempDir({ 'real.json': JSON.stringify(rule) });
    const dir = tempDir({ 'b.JSON': JSON.stringify({ ...rule, id: 'b' }) });
    symlinkSync(join(elsewhere, 'real.json'), join(dir, 'a.json'));
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'c.json'));
    const io = captureIo();
    expect(await rulesCheckCommand(['check', dir], io)).toBe(1);
    expect(io.out.split('\n')).toEqual([
      `${dir}/b.JSON: $: not read: rule files end in ".json" (lowercase); rename it to b.json`,
      `${dir}/c.json: $: not read: a symbolic link to ${dir}/nowhere.json, which does not exist`,
      '2 problems',
      '',
    ]);
  });

  it('--notifications FILE: a notify entry naming no receiver of that file is a problem', async () => {
    const rule = { id: 'a', scope: 'host', severity: 'critical', summary: 's', notify: ['admins', 'pager'], conditions: { all: [] } };
    const routing = 'route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack:\n      webhook_url: https://hooks.slack.com/services/T/B/x\n';
    const conf = tempDir({ 'notifications.yaml': routing });
    const dir = tempDir({ 'a.json': JSON.stringify(rule) });
    const io = captureIo();
    expect(await rulesCheckCommand(['check', dir, '--notifications', join(conf, 'notifications.yaml')], io)).toBe(1);
    expect(io.out).toBe(
      `${dir}/a.json: rule a: notify[1]: receiver "pager" is not defined in ${conf}/notifications.yaml (it defines "ops"; "owner" and "admins" need none)\n1 problem\n`,
    );
    expect(io.out).not.toContain('hooks.slack.com');
    const fixed = tempDir({ 'a.json': JSON.stringify({ ...rule, notify: ['ops'] }) });
    const ok = captureIo();
    expect(await rulesCheckCommand(['check', fixed, '--notifications', join(conf, 'notifications.yaml')], ok)).toBe(0);
    expect(ok.out).toBe('1 rule OK\n');
  });

  it('--notifications FILE that does not load: its problems, exit 1', async () => {
    const io = captureIo();
    expect(await rulesCheckCommand(['check', 'test/fixtures/rules/good', '--notifications', 'no/such.yaml'], io)).toBe(1);
    expect(io.err).toBe('gpuwarden rules check: invalid notifications config:\nno/such.yaml: cannot be read (no such file)\n');
  });

  it('rejects bad usage', async () => {
    await expect(rulesCheckCommand(['check', 'a', 'b'], captureIo())).rejects.toThrow(UsageError);
    await expect(rulesCheckCommand(['check', '--colour'], captureIo())).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });

  it('has usage text starting with the command line', () => {
    expect(RULES_CHECK_USAGE.split('\n')[0]).toBe('gpuwarden rules check [DIR] [--notifications FILE] [--json]');
    expect(RULES_CHECK_USAGE).toContain('Exit codes: 0');
  });
});
