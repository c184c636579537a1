import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENFORCEMENT_SETTINGS, EnforcementConfigError, loadEnforcementSettings, parseEnforcementSettings } from './settings.ts';

function errorOf(text: string): EnforcementConfigError {
  try {
    parseEnforcementSettings('enf.yaml', text);
  } catch (err) {
    if (err instanceof EnforcementConfigError) return err;
    throw err;
  }
  throw new Error('expected an EnforcementConfigError');
}

describe('enforcement settings', () => {
  it('defaults to dry-run with only warn allowed (also with no file and an empty one)', async () => {
    expect(DEFAULT_ENFORCEMENT_SETTINGS.mode).toBe('dry-run');
    expect([...DEFAULT_ENFORCEMENT_SETTINGS.allow]).toEqual(['warn']);
    expect(DEFAULT_ENFORCEMENT_SETTINGS.keepAliveMaxAgeH).toBe(24);
    expect(DEFAULT_ENFORCEMENT_SETTINGS.sigtermGraceS).toBe(60);
    expect(await loadEnforcementSettings(null)).toBe(DEFAULT_ENFORCEMENT_SETTINGS);
    expect(parseEnforcementSettings('e.yaml', '').mode).toBe('dry-run');
    expect(parseEnforcementSettings('e.yaml', '# only a comment\n').allow.has('stop-container')).toBe(false);
  });

  it('reads every key', () => {
    const s = parseEnforcementSettings(
      'e.yaml',
      ['mode: on', 'allow: [warn, stop-container]', 'exempt_users: [alice]', "protected_names: ['ds01-*', db]", 'keep_alive_max_age_h: 12', 'sigterm_grace_s: 30'].join('\n'),
    );
    expect(s.mode).toBe('on');
    expect([...s.allow]).toEqual(['warn', 'stop-container']);
    expect(s.exemptUsers.has('alice')).toBe(true);
    expect(s.protectedNames).toEqual(['ds01-*', 'db']);
    expect(s.keepAliveMaxAgeH).toBe(12);
    expect(s.sigtermGraceS).toBe(30);
  });

  it('names the line and key of a bad value', () => {
    const err = errorOf('mode: dry-run\nallow:\n  - warn\n  - kill-everything\n');
    expect(err.message).toMatch(/^enf\.yaml:4: allow\[1\]: /);
  });

  it('names the line of an unknown key (no key is silently ignored)', () => {
    const err = errorOf('mode: on\nsigterm_grace: 30\n');
    expect(err.message).toContain('enf.yaml:2');
    expect(err.message).toContain('sigterm_grace');
  });

  it('names the line of a wrong type and of a YAML syntax error', () => {
    expect(errorOf('mode: on\nkeep_alive_max_age_h: soon\n').message).toMatch(/enf\.yaml:2: keep_alive_max_age_h: /);
    expect(errorOf('mode: on\nallow: [warn\n').message).toMatch(/enf\.yaml:\d+: .*not valid YAML/);
  });

  it('reports an unreadable file with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-enf-'));
    await expect(loadEnforcementSettings(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot be read/);
    await writeFile(join(dir, 'ok.yaml'), 'mode: off\n');
    expect((await loadEnforcementSettings(join(dir, 'ok.yaml'))).mode).toBe('off');
  });
});

describe('the example file', () => {
  it('parses and holds the defaults', async () => {
    const s = await loadEnforcementSettings(new URL('../../../config/probe-enforcement.example.yaml', import.meta.url).pathname);
    expect(s).toEqual(DEFAULT_ENFORCEMENT_SETTINGS);
  });
});
