import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from './config-problem.ts';
import { activeExemptionKinds, parseExemptions } from './exemptions.ts';

const FIXTURE = readFileSync('test/fixtures/config/ds01/lifecycle-exemptions.yaml', 'utf8');
const NOW = new Date('2026-05-01T12:00:00Z');

describe('parseExemptions on the DS01-format fixture', () => {
  const r = parseExemptions('ex.yaml', FIXTURE);

  it('reads all three entries with DS01\'s extra fields, and no warnings', () => {
    expect(r.problems).toEqual([]);
    expect(r.exemptions.map((e) => [e.username, e.exemptFrom, e.expiresAt?.toISOString() ?? null, e.line])).toEqual([
      ['300300@hertie-school.lan', ['idle_timeout_h', 'max_runtime_h'], null, 3],
      ['h.baker@hertie-school.lan', ['max_runtime_h'], '2026-06-30T23:59:59.000Z', 13],
      ['q.postdoc@hertie-school.lan', ['idle_timeout_h'], '2025-01-31T23:59:59.000Z', 22],
    ]);
    expect(r.exemptions[0]?.reason).toBe('Pre-existing research workflow');
  });

  it('active, time-bounded and expired exemptions at a given time', () => {
    expect(activeExemptionKinds(r.exemptions, ['300300@hertie-school.lan'], NOW)).toEqual(['idle_timeout_h', 'max_runtime_h']);
    expect(activeExemptionKinds(r.exemptions, ['h.baker@hertie-school.lan'], NOW)).toEqual(['max_runtime_h']);
    expect(activeExemptionKinds(r.exemptions, ['h.baker@hertie-school.lan'], new Date('2026-07-01T00:00:00Z'))).toEqual([]);
    expect(activeExemptionKinds(r.exemptions, ['q.postdoc@hertie-school.lan'], NOW)).toEqual([]);
    expect(activeExemptionKinds(r.exemptions, ['q.postdoc@hertie-school.lan'], new Date('2025-01-15T00:00:00Z'))).toEqual(['idle_timeout_h']);
    expect(activeExemptionKinds(r.exemptions, ['nobody'], NOW)).toEqual([]);
  });

  it('the expiry instant itself is already expired', () => {
    expect(activeExemptionKinds(r.exemptions, ['h.baker@hertie-school.lan'], new Date('2026-06-30T23:59:59Z'))).toEqual([]);
    expect(activeExemptionKinds(r.exemptions, ['h.baker@hertie-school.lan'], new Date('2026-06-30T23:59:58.999Z'))).toEqual(['max_runtime_h']);
  });

  it('matches any of the names given (raw or sanitised)', () => {
    expect(activeExemptionKinds(r.exemptions, ['h.baker@other.lan', 'h.baker@hertie-school.lan'], NOW)).toEqual(['max_runtime_h']);
  });
});

describe('parseExemptions fails open', () => {
  it('a file that is not YAML: no exemptions, one warning with the line', () => {
    const r = parseExemptions('ex.yaml', 'exemptions:\n  - username: a\n   exempt_from: [idle_timeout_h]\n');
    expect(r.exemptions).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.severity).toBe('warning');
    expect(formatProblem(r.problems[0] ?? { severity: 'warning', file: '', line: null, keyPath: '', message: '' })).toMatch(
      /^ex\.yaml:3: not valid YAML: .*; no exemptions apply \(fail open\)$/,
    );
  });

  it('wrong top-level shapes', () => {
    expect(parseExemptions('ex.yaml', '- a\n- b\n').problems.map(formatProblem)).toEqual([
      'ex.yaml:1: expected a mapping with an "exemptions" list, got a list; no exemptions apply (fail open)',
    ]);
    expect(parseExemptions('ex.yaml', 'exemptions: alice\n').problems.map(formatProblem)).toEqual([
      'ex.yaml:1: exemptions: expected a list, got "alice"; no exemptions apply (fail open)',
    ]);
  });

  it('an empty file or an empty list is simply no exemptions', () => {
    expect(parseExemptions('ex.yaml', '')).toEqual({ exemptions: [], problems: [] });
    expect(parseExemptions('ex.yaml', 'exemptions: []\n')).toEqual({ exemptions: [], problems: [] });
    expect(parseExemptions('ex.yaml', 'exemptions:\n')).toEqual({ exemptions: [], problems: [] });
  });

  it('a bad entry is dropped with a warning; the good ones stay', () => {
    const text = [
      'exemptions:',
      '  - username: ok',
      '    exempt_from: [idle_timeout_h]',
      '  - username: badtime',
      '    exempt_from: [max_runtime_h]',
      '    expires_on: "next friday"',
      '  - username: dateonly',
      '    exempt_from: [max_runtime_h]',
      '    expires_on: 2026-06-30',
      '  - exempt_from: [max_runtime_h]',
      '  - username: nolist',
      '    exempt_from: idle_timeout_h',
      '  - just a string',
      '',
    ].join('\n');
    const r = parseExemptions('ex.yaml', text);
    expect(r.exemptions.map((e) => e.username)).toEqual(['ok']);
    expect(r.problems.map(formatProblem)).toEqual([
      'ex.yaml:6: exemptions[1].expires_on: expected an ISO-8601 time with a zone such as "2026-06-30T23:59:59Z", or null, got "next friday"; this exemption is ignored (fail open: not exempt)',
      'ex.yaml:9: exemptions[2].expires_on: expected an ISO-8601 time with a zone such as "2026-06-30T23:59:59Z", or null, got "2026-06-30"; this exemption is ignored (fail open: not exempt)',
      'ex.yaml:10: exemptions[3].username: expected a user name, got null; this exemption is ignored (fail open: not exempt)',
      'ex.yaml:12: exemptions[4].exempt_from: expected a list of idle_timeout_h / max_runtime_h, got "idle_timeout_h"; this exemption is ignored (fail open: not exempt)',
      'ex.yaml:13: exemptions[5]: expected a mapping with username and exempt_from, got "just a string"; this exemption is ignored (fail open: not exempt)',
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('an unknown exemption kind is skipped with a suggestion; the rest of the entry counts', () => {
    const r = parseExemptions('ex.yaml', 'exemptions:\n  - username: a\n    exempt_from: [idle_timeout, max_runtime_h]\n    ticket: 7\n');
    expect(r.exemptions).toHaveLength(1);
    expect(r.exemptions[0]?.exemptFrom).toEqual(['max_runtime_h']);
    expect(r.problems.map(formatProblem)).toEqual([
      'ex.yaml:3: exemptions[0].exempt_from[0]: unknown exemption "idle_timeout" (did you mean idle_timeout_h?); it is ignored (fail open)',
      'ex.yaml:4: exemptions[0].ticket: unknown key; it is ignored',
    ]);
  });

  it('an entry with only unknown kinds exempts from nothing', () => {
    const r = parseExemptions('ex.yaml', 'exemptions:\n  - username: a\n    exempt_from: [gpu_quota]\n');
    expect(r.exemptions).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });

  it('accepts offsets other than Z, and numeric user names', () => {
    const r = parseExemptions('ex.yaml', 'exemptions:\n  - username: 228755\n    exempt_from: [max_runtime_h]\n    expires_on: "2026-06-30T23:59:59+02:00"\n');
    expect(r.problems).toEqual([]);
    expect(r.exemptions[0]?.username).toBe('228755');
    expect(r.exemptions[0]?.expiresAt?.toISOString()).toBe('2026-06-30T21:59:59.000Z');
  });

  it('unknown top-level keys are warned about', () => {
    const r = parseExemptions('ex.yaml', 'exemption:\n  - username: a\n');
    expect(r.problems.map(formatProblem)).toEqual(['ex.yaml:1: exemption: unknown key (did you mean exemptions?); it is ignored']);
  });
});
