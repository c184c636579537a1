// The lint step must really ban shell strings: feed it offending code and expect errors.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'scripts/lint-probe.js' });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint bans shell strings', () => {
  it('bans importing exec and execSync', async () => {
    expect(await ruleIds("import { exec } from 'node:child_process';\nexec('ls');\n")).toContain('no-restricted-imports');
    expect(await ruleIds("import { execSync } from 'child_process';\nexecSync('ls');\n")).toContain('no-restricted-imports');
  });

  it('bans shell: true', async () => {
    expect(await ruleIds("import { spawn } from 'node:child_process';\nspawn('ls', [], { shell: true });\n")).toContain('no-restricted-syntax');
  });

  it('bans child_process.exec through the namespace', async () => {
    expect(await ruleIds("import * as child_process from 'node:child_process';\nchild_process.exec('ls');\n")).toContain('no-restricted-syntax');
  });

  it('allows execFile with an argument array', async () => {
    expect(await ruleIds("import { execFile } from 'node:child_process';\nexecFile('ls', ['-l'], () => {});\n")).toEqual([]);
  });
});
