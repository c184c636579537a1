import { describe, expect, it } from 'vitest';
import { effectiveLimits } from './effective-limits.ts';
import { formatBytes, limitsRows, renderLimitsTable } from './render-limits.ts';
import { DS01_NOW, ds01Sources, parseOk } from './test-support.ts';

const c = parseOk(ds01Sources());
const rows = (user: string) => Object.fromEntries(limitsRows(effectiveLimits(c, user, DS01_NOW)));

describe('formatBytes', () => {
  it('uses the largest binary unit', () => {
    expect(formatBytes(96 * 2 ** 30)).toBe('96 GiB');
    expect(formatBytes(1048576)).toBe('1 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 2 ** 40)).toBe('3 TiB');
    expect(formatBytes(null)).toBe('unlimited');
  });
});

describe('limitsRows', () => {
  it('a researcher with a running exemption', () => {
    const r = rows('h.baker@hertie-school.lan');
    expect(r).toMatchObject({
      'sanitised user': 'h_baker',
      group: 'researcher (member list)',
      'GPU quota': '4 gpueq',
      'GPU slots per container': '3',
      'containers per user': '5',
      'max runtime': '48 h (exempt)',
      'idle timeout': '1 h',
      aggregate: 'cpu 24000%, memory max 320 GiB, memory high 288 GiB, tasks 327680, GPU 4 gpueq',
      'idle detection': 'GPU < 5%, CPU < 3%, network < 1 MiB, 4 checks, grace 30 m',
      'exempt from': 'max_runtime_h',
    });
  });

  it('the admin: unlimited and no aggregate', () => {
    expect(rows('datasciencelab')).toMatchObject({
      'GPU quota': 'unlimited',
      'GPU slots per container': 'unlimited',
      aggregate: 'none (no per-user cap)',
      admin: 'yes',
      'bare-metal GPU use allowed': 'yes',
    });
  });

  it('an overridden user shows both groups and "no limit" durations', () => {
    expect(rows('300300@hertie-school.lan')).toMatchObject({
      group: 'override (user override; member of student by default_group)',
      'max runtime': 'no limit (exempt)',
      'idle timeout': 'no limit (exempt)',
      'container hold after stop': 'no limit',
    });
    expect(rows('400400@hertie-school.lan').group).toBe('researcher (group-overrides.txt)');
  });
});

describe('renderLimitsTable', () => {
  it('a heading and aligned rows', () => {
    const text = renderLimitsTable(effectiveLimits(c, 'datasciencelab', DS01_NOW));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Effective limits of datasciencelab');
    expect(lines[1]).toBe('  sanitised user              datasciencelab');
    expect(lines).toHaveLength(1 + limitsRows(effectiveLimits(c, 'datasciencelab', DS01_NOW)).length);
    const valueColumns = new Set(lines.slice(1).map((l) => l.search(/\S/u) + (l.slice(2).match(/^.*?\s{2,}/u)?.[0].length ?? 0)));
    expect(valueColumns.size).toBe(1);
    expect(text.endsWith('\n')).toBe(true);
  });
});
