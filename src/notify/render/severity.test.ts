import { describe, expect, it } from 'vitest';
import { idleAlert, sampleAlert } from '../test-support.ts';
import { alertTitle, severityWord, worstWord } from './severity.ts';

describe('DS01 severity words', () => {
  it('info → NOTICE, warning → WARNING, critical → ALERT, stage limit → STOPPED', () => {
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'info' }))).toBe('NOTICE');
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'warning' }))).toBe('WARNING');
    expect(severityWord(sampleAlert({ rule: 'r', severity: 'critical' }))).toBe('ALERT');
    expect(severityWord(idleAlert('limit'))).toBe('STOPPED');
    expect(severityWord(sampleAlert({ rule: 'gpu-quota', severity: 'warning', stage: 'at-limit' }))).toBe('WARNING');
  });
  it('the worst word wins; RESOLVED only when nothing fires', () => {
    expect(worstWord(['NOTICE', 'STOPPED', 'ALERT'])).toBe('STOPPED');
    expect(worstWord(['NOTICE', 'WARNING'])).toBe('WARNING');
    expect(worstWord([])).toBe('RESOLVED');
  });
});

describe('alert titles', () => {
  it('uses DS01’s titles for idle and runtime stages and quota alerts', () => {
    expect(alertTitle(idleAlert('base'))).toBe('IDLE CONTAINER WARNING');
    expect(alertTitle(idleAlert('final'))).toBe('FINAL IDLE WARNING');
    expect(alertTitle(idleAlert('limit'))).toBe('CONTAINER AUTO-STOPPED');
    expect(alertTitle(sampleAlert({ rule: 'max-runtime', stage: 'limit' }))).toBe('CONTAINER STOPPED — RUNTIME LIMIT');
    expect(alertTitle(sampleAlert({ rule: 'gpu-quota', stage: 'over-limit' }))).toBe('RESOURCE QUOTA ALERT');
  });
  it('falls back to the rule id in words, also for odd ids', () => {
    expect(alertTitle(sampleAlert({ rule: 'gpu-temperature' }))).toBe('GPU TEMPERATURE');
    expect(alertTitle(sampleAlert({ rule: 'constructor' }))).toBe('CONSTRUCTOR');
    expect(alertTitle(sampleAlert({ rule: 'idle-gpu-container', stage: 'toString' }))).toBe('IDLE CONTAINER WARNING');
  });
});
