import { describe, expect, it } from 'vitest';
import { idleAlert, sampleAlert } from '../test-support.ts';
import { alertTitle, severityWord, worstWord } from './severity.ts';

describe('DS01 severity words', () => {
  it('info → NOTICE, warning → WARNING, critical → ALERT, stage limit → LIMIT REACHED (never STOPPED: nothing stops it)', () => {
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'info' }))).toBe('NOTICE');
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'warning' }))).toBe('WARNING');
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'critical' }))).toBe('ALERT');
    expect(severityWord(idleAlert('limit'))).toBe('LIMIT REACHED');
    expect(severityWord(sampleAlert({ rule: 'max-runtime', severity: 'critical', stage: 'limit' }))).toBe('LIMIT REACHED');
    expect(severityWord(sampleAlert({ rule: 'gpu-quota', severity: 'warning', stage: 'at-limit' }))).toBe('WARNING');
  });
  it('the worst word wins; RESOLVED / NO LONGER TRACKED only when nothing fires', () => {
    expect(worstWord(['NOTICE', 'LIMIT REACHED', 'ALERT'])).toBe('LIMIT REACHED');
    expect(worstWord(['NO LONGER TRACKED', 'NOTICE'])).toBe('NOTICE');
    expect(worstWord(['NO LONGER TRACKED', 'RESOLVED'])).toBe('NO LONGER TRACKED');
    expect(worstWord(['NOTICE', 'WARNING'])).toBe('WARNING');
    expect(worstWord([])).toBe('RESOLVED');
  });
});

describe('alert titles', () => {
  it('uses DS01’s titles for idle and runtime stages and quota alerts', () => {
    expect(alertTitle(idleAlert('base'))).toBe('IDLE CONTAINER WARNING');
    expect(alertTitle(idleAlert('final'))).toBe('FINAL IDLE WARNING');
    expect(alertTitle(idleAlert('limit'))).toBe('IDLE CONTAINER');
    expect(alertTitle(sampleAlert({ rule: 'max-runtime', stage: 'limit' }))).toBe('MAX RUNTIME');
    expect(alertTitle(sampleAlert({ rule: 'gpu-quota', stage: 'over-limit' }))).toBe('RESOURCE QUOTA ALERT');
  });
  it('no title or word claims a stop or removal', () => {
    for (const stage of ['base', 'final', 'limit'] as const) {
      const a = idleAlert(stage);
      expect(`${severityWord(a)} ${alertTitle(a)}`).not.toMatch(/STOP|REMOV/);
    }
    expect(alertTitle(sampleAlert({ rule: 'max-runtime', stage: 'limit' }))).not.toMatch(/STOP/);
  });
  it('falls back to the rule id in words, also for odd ids', () => {
    expect(alertTitle(sampleAlert({ rule: 'gpu-temperature' }))).toBe('GPU TEMPERATURE');
    expect(alertTitle(sampleAlert({ rule: 'constructor' }))).toBe('CONSTRUCTOR');
    expect(alertTitle(sampleAlert({ rule: 'idle-gpu-container', stage: 'toString' }))).toBe('IDLE CONTAINER WARNING');
  });
});
