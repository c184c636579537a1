import { describe, expect, it } from 'vitest';
import { container, proc, snapshot, t } from '../../test/support/snapshot-factory.ts';
import type { Alert, AlertChange } from '../alerts/alert.ts';
import { DEFAULT_RULES } from '../../test/support/pack.ts';
import { plannedActionSchema } from './action.ts';
import { enforcementOf, planActions, withActionNotes, type RuleEnforcement } from './plan-actions.ts';

const job = container('train', 'alice');
const snap = snapshot(t(0), { containers: [job], gpuProcesses: [proc(4242)] });

function alert(over: Partial<Alert> = {}): Alert {
  return {
    fingerprint: 'f'.repeat(64), rule: 'idle-gpu-container', host: 'ds01', severity: 'critical', stage: 'limit',
    labels: { host: 'ds01', container: job.id, containerName: 'train', user: 'alice' },
    annotations: { summary: 'train idle', description: 'save your work' }, notify: ['owner'], state: 'firing',
    activeSince: t(-60), firedAt: t(-60), resolvedAt: null, lastMatchedAt: t(0), updatedAt: t(0), ...over,
  };
}
const change = (a: Alert, from: AlertChange['from'] = 'firing', escalated = true): AlertChange => ({ fingerprint: a.fingerprint, from, to: a.state, escalated, alert: a });
const stopAtLimit: RuleEnforcement = { approve: false, byStage: new Map([['limit', [{ type: 'stop-container', params: { remove: true } }]]]) };
const rules = new Map([['idle-gpu-container', stopAtLimit]]);

describe('planActions', () => {
  it('plans a stop when the alert escalates to the stage that asks for it, with the container as the snapshot saw it', () => {
    const [planned, ...rest] = planActions([change(alert())], snap, rules, new Date(t(0)));
    expect(rest).toEqual([]);
    expect(planned?.state).toBe('scheduled');
    expect(plannedActionSchema.parse(planned?.action)).toEqual(planned?.action);
    expect(planned?.action).toMatchObject({
      type: 'stop-container', host: 'ds01', user: 'alice', params: { remove: true },
      target: { kind: 'container', containerId: job.id, name: 'train', createdAt: job.createdAt, startedAt: job.startedAt, state: 'running' },
      reason: { rule: 'idle-gpu-container', stage: 'limit', fingerprint: 'f'.repeat(64), summary: 'train idle' },
      notBefore: t(5), expiresAt: t(65),
    });
  });

  it('plans nothing for a change that is not a new firing or an escalation, another stage, or a target gone from the snapshot', () => {
    expect(planActions([change(alert(), 'firing', false)], snap, rules, new Date(t(0)))).toEqual([]);
    expect(planActions([change(alert({ stage: 'final' }))], snap, rules, new Date(t(0)))).toEqual([]);
    expect(planActions([change(alert({ state: 'resolved' }))], snap, rules, new Date(t(0)))).toEqual([]);
    expect(planActions([change(alert())], snapshot(t(0)), rules, new Date(t(0)))).toEqual([]);
  });

  it('the same episode and stage always gives the same id (planned once); a new episode another', () => {
    const a = planActions([change(alert())], snap, rules, new Date(t(0)))[0]?.action.id;
    expect(planActions([change(alert())], snap, rules, new Date(t(3)))[0]?.action.id).toBe(a);
    expect(planActions([change(alert({ activeSince: t(-30) }))], snap, rules, new Date(t(0)))[0]?.action.id).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9._:-]+$/);
  });

  it('a granted user gets no action; a rule with approve: true waits for approval', () => {
    expect(planActions([change(alert())], snap, rules, new Date(t(0)), undefined, (user, rule) => user === 'alice' && rule === 'idle-gpu-container')).toEqual([]);
    const approve = new Map([['idle-gpu-container', { ...stopAtLimit, approve: true }]]);
    expect(planActions([change(alert())], snap, approve, new Date(t(0)))[0]?.state).toBe('awaiting-approval');
  });

  it('a warning on a bare-metal process goes at once, to the process as seen (pid, start time, uid), with the alert text', () => {
    const warn = new Map([['untracked-host-gpu-process', { approve: false, byStage: new Map([[null, [{ type: 'warn' as const, params: {} }]]]) }]]);
    const a = alert({ rule: 'untracked-host-gpu-process', stage: null, labels: { host: 'ds01', pid: '4242', user: 'alice' } });
    const [planned] = planActions([change(a, 'pending', false)], snap, warn, new Date(t(0)));
    expect(planned?.action).toMatchObject({
      type: 'warn', notBefore: t(0), params: { message: 'train idle\nsave your work' },
      target: { kind: 'process', pid: 4242, startTime: '2026-11-25T09:00:00.000Z', uid: 1000, containerId: null },
    });
  });
});

describe('enforcementOf the default pack', () => {
  it('stage actions by stage, rule actions without a stage on first firing; disabled ones left out', () => {
    const byRule = new Map(DEFAULT_RULES.map((r) => [r.id, enforcementOf(r)]));
    expect([...(byRule.get('idle-gpu-container')?.byStage.keys() ?? [])]).toEqual(['limit']);
    const disabled = enforcementOf({ ...DEFAULT_RULES[0]!, actions: [{ type: 'warn', enabled: false }], stages: [] });
    expect(disabled).toBeNull();
  });
});

describe('withActionNotes', () => {
  it('announces a stop on its alert, and never a terminal warning', () => {
    const stop = planActions([change(alert())], snap, rules, new Date(t(0)));
    const warnRules = new Map([['idle-gpu-container', { approve: false, byStage: new Map([['limit', [{ type: 'warn' as const, params: {} }]]]) }]]);
    const warn = planActions([change(alert())], snap, warnRules, new Date(t(0)));
    expect(withActionNotes([change(alert())], stop)[0]?.alert.action).toMatchObject({ type: 'stop-container', state: 'scheduled', remove: true, notBefore: t(5) });
    expect(withActionNotes([change(alert())], warn)[0]?.alert.action).toBeUndefined();
  });
});
