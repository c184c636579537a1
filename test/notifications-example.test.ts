// The example notifications.yaml's own dry run: the `gpuwarden routes test` command line in its header, run exactly
// as written through the real CLI with no environment variables set (routes test needs no secrets, as amtool's
// `config routes test` needs none).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseRoutingConfig } from '../src/config/routing/parse-routing.ts';

const run = promisify(execFile);
const EXAMPLE = 'config/notifications.example.yaml';

/** The `gpuwarden routes test …` command of the header (continuation lines joined), as an argument array. */
export function headerCommand(text: string): string[] {
  const header = text.split('\n').filter((l) => l.startsWith('#'));
  const start = header.findIndex((l) => /^#\s+gpuwarden routes test\b/.test(l));
  if (start < 0) throw new Error(`${EXAMPLE}: no "gpuwarden routes test" command in the header`);
  let line = '';
  for (const raw of header.slice(start)) {
    const part = raw.replace(/^#\s+/, '').replace(/\s+#\s.*$/, '');
    line += ` ${part.replace(/\\$/, '')}`;
    if (!part.endsWith('\\')) break;
  }
  if (/["'$`]/.test(line)) throw new Error(`${EXAMPLE}: the header command uses shell quoting or variables; keep it plain words`);
  return line.trim().split(/\s+/);
}

describe(`${EXAMPLE}: the dry run in its header`, () => {
  it('runs as written with no environment variables set, and shows where a critical alert of h.baker goes', async () => {
    const words = headerCommand(await readFile(EXAMPLE, 'utf8'));
    expect(words.slice(0, 3)).toEqual(['gpuwarden', 'routes', 'test']);
    const r = await run(process.execPath, ['bin/gpuwarden.js', ...words.slice(1)], { env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/is not set|cannot read/);
    expect(r.stdout).toContain('admins-critical  admin  slack (webhook_url_env GPUWARDEN_SLACK_CRITICAL_URL)\n');
    expect(r.stdout).toContain('admins-email  admin  email datasciencelab-admins@example.org\n');
    expect(r.stdout).toContain('users-slack  user h.baker@hertie-school.lan  slack (webhook_url_env GPUWARDEN_SLACK_USERS_URL) mentioning U04HBAKER01\n');
  });
});

/** The commented-out receivers of the example (`  # - name: x` and the `  #   ...` lines under it), uncommented. */
function commentedReceivers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | null = null;
  let lines: string[] = [];
  for (const line of [...text.split('\n'), '']) {
    const start = /^ {2}# - name: ([a-z0-9-]+)/.exec(line);
    if (name !== null && (start !== null || !/^ {2}# {3}/.test(line))) {
      out.set(name, lines.join('\n'));
      name = null;
    }
    if (start?.[1] !== undefined) {
      name = start[1];
      lines = [];
    }
    if (name !== null) lines.push(line.replace(/^ {2}# /, '  '));
  }
  return out;
}

describe(`${EXAMPLE}: the commented examples of the other receiver kinds load as written`, () => {
  it.each(['ds01-teams', 'am-bridge', 'admins-email'])('%s', async (name) => {
    const block = commentedReceivers(await readFile(EXAMPLE, 'utf8')).get(name);
    expect(block, `no commented receiver ${name}`).toBeDefined();
    const text = `route: {receiver: ${name}}\nreceivers:\n${block ?? ''}\n`;
    const config = await parseRoutingConfig(text, { file: 'example', baseDir: '/cfg', env: {}, readTextFile: () => Promise.reject(new Error('no read')), dryRun: true });
    expect(config.receivers.get(name)?.kind).toBe({ 'ds01-teams': 'teams', 'am-bridge': 'webhook', 'admins-email': 'email' }[name]);
  });
});
