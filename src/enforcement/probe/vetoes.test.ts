import { describe, expect, it } from 'vitest';
import { containerAction, processAction, settingsWith } from './test-support.ts';
import { nameMatches, vetoOf } from './vetoes.ts';

describe('vetoes', () => {
  const settings = settingsWith({ exemptUsers: new Set(['bob']), protectedNames: ['ds01-*', 'db'] });

  it('lets an ordinary container and process through', () => {
    expect(vetoOf(containerAction(), { containerLabels: {} }, settings)).toBeNull();
    expect(vetoOf(processAction(), { processUid: 1001, processSystem: false }, settings)).toBeNull();
  });

  it('vetoes a locally exempt user, from the action or the target', () => {
    expect(vetoOf(containerAction({ user: 'bob' }), {}, settings)).toMatch(/user bob is in exempt_users/);
    expect(vetoOf(containerAction({ user: null }), { users: ['bob'] }, settings)).toMatch(/exempt_users/);
    expect(vetoOf(containerAction({ type: 'warn', user: 'bob' }), {}, settings)).toMatch(/exempt_users/);
  });

  it('vetoes protected containers: labels, snapshot flag and class, protected_names', () => {
    expect(vetoOf(containerAction(), { containerLabels: { 'ds01.protected': 'true' } }, settings)).toMatch(/ds01\.protected=true/);
    expect(vetoOf(containerAction(), { containerLabels: { 'ds01.monitoring': ' TRUE ' } }, settings)).toMatch(/ds01\.monitoring=true/);
    expect(vetoOf(containerAction(), { containerProtected: true }, settings)).toMatch(/is protected/);
    expect(vetoOf(containerAction(), { containerClass: 'infrastructure' }, settings)).toMatch(/infrastructure/);
    expect(vetoOf(containerAction(), { containerName: 'ds01-grafana' }, settings)).toMatch(/protected_names "ds01-\*"/);
    expect(vetoOf(containerAction({ target: { ...containerAction().target, name: 'db' } as never }), {}, settings)).toMatch(/"db"/);
  });

  it('vetoes system processes and uids below 1000', () => {
    expect(vetoOf(processAction(), { processSystem: true }, settings)).toMatch(/system process/);
    expect(vetoOf(processAction(), { processUid: 0 }, settings)).toMatch(/uid 0 \(below 1000/);
    const planned = processAction({ target: { kind: 'process', pid: 7, startTime: null, uid: 999, containerId: null } });
    expect(vetoOf(planned, {}, settings)).toMatch(/uid 999/);
  });

  it('matches globs exactly, not as regular expressions', () => {
    expect(nameMatches('ds01-*', 'ds01-prometheus')).toBe(true);
    expect(nameMatches('job?', 'job1')).toBe(true);
    expect(nameMatches('a.b', 'axb')).toBe(false);
    expect(nameMatches('db', 'db2')).toBe(false);
  });
});
