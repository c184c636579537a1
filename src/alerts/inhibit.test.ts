import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.ts';
import { DEFAULT_INHIBIT_RULES, equalLabels, inhibitedBy, SUBJECT_LABELS, type InhibitRule } from './inhibit.ts';
import { parseMatcher } from './silence.ts';

const T0 = '2026-11-25T10:00:00.000Z';

function alert(fingerprint: string, overrides: Partial<Alert> = {}): Alert {
  return {
    fingerprint, rule: 'idle-gpu-container', host: 'ds01', severity: 'warning', stage: null,
    labels: { host: 'ds01', user: 'alice', container: 'c1' }, annotations: { summary: 's', description: 'd' }, notify: ['admins'],
    state: 'firing', activeSince: T0, firedAt: T0, resolvedAt: null, lastMatchedAt: T0, updatedAt: T0, ...overrides,
  };
}

const hostSilent = (host: string, overrides: Partial<Alert> = {}): Alert =>
  alert(`silent-${host}`, { rule: 'host-silent', severity: 'critical', host, labels: { host }, ...overrides });

describe('equalLabels', () => {
  it('compares the named labels only, absent equal to absent and to empty', () => {
    expect(equalLabels({ host: 'a', user: 'x' }, { host: 'a', user: 'y' }, ['host'])).toBe(true);
    expect(equalLabels({ host: 'a', user: 'x' }, { host: 'a', user: 'y' }, ['host', 'user'])).toBe(false);
    expect(equalLabels({ host: 'a' }, { host: 'a' }, ['host', 'pid'])).toBe(true);
    expect(equalLabels({ host: 'a', pid: '' }, { host: 'a' }, ['pid'])).toBe(true);
    expect(equalLabels({ host: 'a', pid: '1' }, { host: 'a' }, ['pid'])).toBe(false);
    expect(equalLabels({}, {}, [])).toBe(true);
  });

  it('ignores inherited properties', () => {
    expect(equalLabels({}, { constructor: '' }, ['constructor'])).toBe(true);
  });
});

describe('DEFAULT_INHIBIT_RULES', () => {
  it('compares the subject labels for the severity rule', () => {
    expect(DEFAULT_INHIBIT_RULES[1]?.equal).toEqual(['alertname', 'host', 'user', 'container', 'pid', 'gpu']);
    expect(SUBJECT_LABELS).toEqual(['host', 'user', 'container', 'pid', 'gpu']);
  });

  describe('host-silent mutes the other alerts of its host', () => {
    it('mutes any other alert of the same host, whatever its severity', () => {
      const source = hostSilent('ds01');
      for (const severity of ['info', 'warning', 'critical'] as const) {
        expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('t', { severity }), [source])).toBe(source);
      }
    });

    it('leaves alerts of other hosts and the host-silent alert itself alone', () => {
      const source = hostSilent('ds02');
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('t'), [source])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, source, [source])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, hostSilent('ds01'), [hostSilent('ds01', { fingerprint: 'twin' })])).toBeNull();
    });

    it('needs the source to be firing', () => {
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('t'), [hostSilent('ds01', { state: 'pending' })])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('t'), [hostSilent('ds01', { state: 'resolved' })])).toBeNull();
    });
  });

  describe('critical mutes warning and info of the same rule and subject', () => {
    const critical = alert('crit', { severity: 'critical' });

    it('mutes warning and info, not critical', () => {
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('w', { severity: 'warning' }), [critical])).toBe(critical);
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('i', { severity: 'info' }), [critical])).toBe(critical);
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('c', { severity: 'critical' }), [critical])).toBeNull();
    });

    it('needs the same rule', () => {
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('w', { rule: 'gpu-waste' }), [critical])).toBeNull();
    });

    it('needs the same subject: every subject label equal, absent ones absent on both', () => {
      const other = (labels: Record<string, string>): Alert => alert('w', { labels });
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, other({ host: 'ds01', user: 'bob', container: 'c1' }), [critical])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, other({ host: 'ds01', user: 'alice', container: 'c2' }), [critical])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, other({ host: 'ds01', user: 'alice', container: 'c1', pid: '7' }), [critical])).toBeNull();
      expect(inhibitedBy(DEFAULT_INHIBIT_RULES, other({ host: 'ds01', user: 'alice', container: 'c1', containerName: 'x' }), [critical])).toBe(critical);
    });
  });

  it('picks the first rule that applies, then the first source in order', () => {
    const silent = hostSilent('ds01');
    const critical = alert('crit', { severity: 'critical' });
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('w'), [critical, silent])).toBe(silent);
    const critical2 = alert('crit2', { severity: 'critical' });
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES.slice(1), alert('w'), [critical2, critical])).toBe(critical2);
  });

  it('returns null without rules or firing alerts', () => {
    expect(inhibitedBy([], alert('w'), [hostSilent('ds01')])).toBeNull();
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, alert('w'), [])).toBeNull();
  });
});

describe('inhibitedBy with custom rules', () => {
  const rule = (source: string[], target: string[], equal: string[]): InhibitRule => ({
    sourceMatchers: source.map(parseMatcher),
    targetMatchers: target.map(parseMatcher),
    equal,
  });

  it('never lets an alert inhibit itself, even when it matches both sides', () => {
    const a = alert('a');
    expect(inhibitedBy([rule(['user=alice'], ['user=alice'], [])], a, [a])).toBeNull();
  });

  it('ignores two-sided sources for a two-sided target (no mutual muting)', () => {
    const both = rule(['user=alice'], ['host=ds01'], ['host']);
    const a = alert('a');
    const b = alert('b');
    expect(inhibitedBy([both], a, [b])).toBeNull();
    const sourceOnly = alert('s', { host: 'ds02', labels: { user: 'alice', host: 'ds01x' } });
    expect(inhibitedBy([rule(['user=alice'], ['host=~ds01.*'], [])], a, [sourceOnly])).toBeNull();
    const pure = alert('p', { labels: { user: 'alice', host: 'elsewhere' } });
    expect(inhibitedBy([rule(['user=alice'], ['host=ds01'], [])], a, [pure])).toBe(pure);
  });

  it('lets a one-sided target be muted by a two-sided source', () => {
    const r = rule(['user=alice'], ['host=ds01'], ['host']);
    const target = alert('t', { labels: { host: 'ds01', user: 'bob' } });
    const source = alert('s');
    expect(inhibitedBy([r], target, [source])).toBe(source);
  });

  it('treats empty target matchers as every alert, empty equal as no constraint', () => {
    const r = rule(['alertname=maintenance'], [], []);
    const source = alert('m', { rule: 'maintenance', host: 'anywhere', labels: {} });
    expect(inhibitedBy([r], alert('t', { host: 'ds09', labels: { host: 'ds09' } }), [source])).toBe(source);
  });

  it('matches regex and negative matchers on source and target', () => {
    const r = rule(['alertname=~probe-.*'], ['alertname!~probe-.*'], ['host']);
    const source = alert('s', { rule: 'probe-source-failing' });
    expect(inhibitedBy([r], alert('t'), [source])).toBe(source);
    expect(inhibitedBy([r], alert('t', { rule: 'probe-other' }), [source])).toBeNull();
  });
});
