import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.ts';
import { CONFIG_USAGE, configCommand } from './config-check.ts';
import { UsageError } from './usage-error.ts';

const DS01 = 'test/fixtures/config/ds01/resource-limits.yaml';
const EXAMPLE = 'config/resource-limits.example.yaml';

const run = (...args: string[]) => runCommand(configCommand, args);

describe('gpuwarden config check', () => {
  it('the DS01 folder: OK, what is enforced, then what is not, one line per setting with every place it is set, exit 0', async () => {
    const r = await run('check', '--limits', DS01);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `OK: ${DS01} (4 groups, 6 members, 2 user overrides, 3 exemptions, 1 group override, default group student; 9 files read)`,
    );
    expect(lines[1]).toMatch(/^Enforced by gpuwarden's rules \(\d+ settings\): .*max_gpu_equivalents.*idle_timeout_h/);
    expect(lines).toContain('Not enforced by any gpuwarden rule (DS01 may still apply them): 25 settings, set in 59 places (line numbers in parentheses)');
    expect(lines).toContain('  max_cpus                                      defaults (50), groups.researcher (111), groups.faculty (142), groups.admin (172)');
    expect(lines).toContain('  aggregate.cpu_quota                           groups.student (93), groups.researcher (121), groups.faculty (152)');
    expect(lines).toContain('  container_types.*.sigterm_grace_s             container_types.devcontainer (252), container_types.compose (258), container_types.docker (264), container_types.api (270), container_types.unknown (276)');
    expect(lines.filter((l) => l.startsWith('warning: '))).toEqual([]);
    expect(lines.filter((l) => /^ {2}\S/.test(l))).toHaveLength(25);
    expect(lines.at(-1)).toBe('59 warning(s); --strict makes them errors');
  });

  it('--strict turns the not-enforced keys into errors and exits 1', async () => {
    const r = await run('check', '--limits', DS01, '--strict');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FAILED \(--strict\): /);
    expect(lines).toContain('  max_cpus                                      defaults (50), groups.researcher (111), groups.faculty (142), groups.admin (172)');
    expect(lines.at(-1)).toBe('59 error(s): with --strict, every key gpuwarden does not enforce is an error');
  });

  it('--user prints each user\'s effective limits as a table', async () => {
    const r = await run('check', '--limits', DS01, '--user', 'h.baker@hertie-school.lan', '--user', 'datasciencelab', '--at', '2026-05-01T00:00:00Z');
    expect(r.code).toBe(0);
    const baker = r.out.slice(r.out.indexOf('Effective limits of h.baker@hertie-school.lan'));
    expect(baker).toContain('  group                       researcher (member list)\n');
    expect(baker).toContain('  GPU quota                   4 gpueq\n');
    expect(baker).toContain('  GPU slots per container     3\n');
    expect(baker).toContain('  containers per user         5\n');
    expect(baker).toContain('  max runtime                 48 h (exempt)\n');
    expect(baker).toContain('  idle timeout                1 h\n');
    const admin = r.out.slice(r.out.indexOf('Effective limits of datasciencelab'));
    expect(admin).toContain('  GPU quota                   unlimited\n');
    expect(admin).toContain('  aggregate                   none (no per-user cap)\n');
  });

  it('--at decides which exemptions are still running', async () => {
    const later = await run('check', '--limits', DS01, '--user', 'h.baker@hertie-school.lan', '--at', '2026-07-01T00:00:00Z');
    expect(later.out).toContain('  max runtime                 48 h\n');
    expect(later.out).toContain('  exempt from                 nothing\n');
  });

  it('a broken config: every error with file:line key: message, exit 1, no table', async () => {
    const r = await run('check', '--limits', 'test/fixtures/config/errors/unknown-key.yaml', '--user', 'alice');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'error: test/fixtures/config/errors/unknown-key.yaml:7: groups.student.max_gpu_equivelants: unknown key (did you mean max_gpu_equivalents?)\n' +
        'FAILED: test/fixtures/config/errors/unknown-key.yaml: 1 error(s), 0 warning(s)\n',
    );
  });

  it('--json: ok, the counts, every problem with its line and key, and the users\' limits', async () => {
    const r = await run('check', '--limits', DS01, '--json', '--user', 'datasciencelab', '--at', '2026-05-01T00:00:00Z');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { ok: boolean; file: string; summary: Record<string, unknown>; problems: Record<string, unknown>[]; users: Array<{ user: string }> };
    expect(Object.keys(doc)).toEqual(['ok', 'file', 'summary', 'problems', 'users']);
    expect(doc).toMatchObject({ ok: true, file: DS01, summary: { groups: 4, members: 6, userOverrides: 2, exemptions: 3, groupOverrides: 1, defaultGroup: 'student', filesRead: 9 } });
    expect(doc.problems).toHaveLength(59);
    expect(doc.problems).toContainEqual({ severity: 'warning', file: DS01, line: 50, keyPath: 'defaults.max_cpus', message: 'not enforced by any gpuwarden rule (DS01 may still apply it)' });
    expect(doc.users.map((u) => u.user)).toEqual(['datasciencelab']);
    const strict = await run('check', '--limits', DS01, '--json', '--strict');
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.out)).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ severity: 'error', line: 50 })]) });
    const broken = await run('check', '--limits', 'test/fixtures/config/errors/unknown-key.yaml', '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toEqual({
      ok: false, file: 'test/fixtures/config/errors/unknown-key.yaml', summary: null, users: [],
      problems: [{ severity: 'error', file: 'test/fixtures/config/errors/unknown-key.yaml', line: 7, keyPath: 'groups.student.max_gpu_equivelants', message: 'unknown key (did you mean max_gpu_equivalents?)' }],
    });
  });

  it('a missing file is an error (exit 1), not a crash', async () => {
    const r = await run('check', '--limits', 'nope/resource-limits.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: nope/resource-limits.yaml: cannot be read (no such file)');
  });

  it('the annotated example passes, even with --strict', async () => {
    const r = await run('check', '--limits', EXAMPLE, '--strict', '--user', 'thesis.student@hertie-school.lan');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^OK: config\/resource-limits\.example\.yaml \(3 groups, 2 members, 1 user override, /);
    expect(r.out).not.toMatch(/^(warning|error): /m);
    expect(r.out).toContain('  group                       override (user override; member of student by default_group)\n');
    expect(r.out).toContain('  idle timeout                no limit\n');
  });
});

describe('gpuwarden config: usage errors', () => {
  it('needs the check subcommand', async () => {
    await expect(run('--limits', DS01)).rejects.toThrow(new UsageError('config needs a subcommand: check'));
    await expect(run('lint', '--limits', DS01)).rejects.toThrow('unknown config subcommand "lint" (only: check)');
    await expect(run('check', 'extra', '--limits', DS01)).rejects.toThrow('unknown config subcommand "check extra" (only: check)');
  });

  it('needs --limits', async () => {
    await expect(run('check')).rejects.toBeInstanceOf(UsageError);
    await expect(run('check', '--limits', '')).rejects.toThrow('config check needs --limits FILE');
  });

  it('rejects a bad --at and unknown flags', async () => {
    await expect(run('check', '--limits', DS01, '--at', 'tomorrow')).rejects.toThrow('--at must be an ISO-8601 time such as 2026-06-30T12:00:00Z, got "tomorrow"');
    await expect(run('check', '--limits', DS01, '--colour')).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });

  it('the usage names every flag', () => {
    for (const flag of ['--limits FILE', '--strict', '--user NAME', '--at TIME']) expect(CONFIG_USAGE).toContain(flag);
    expect(CONFIG_USAGE.split('\n')[0]).toBe('gpuwarden config check --limits FILE [--strict] [--user NAME]... [--at TIME] [--json]');
  });
});
