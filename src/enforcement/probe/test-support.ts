// Test helpers: planned actions and settings for the enforcement tests.
import type { PlannedAction } from '../action.ts';
import { DEFAULT_ENFORCEMENT_SETTINGS, type EnforcementSettings } from './settings.ts';

/** A stop-container action for host `h1`, valid from 2026-01-01 to 2099-01-01, with overrides. */
export function containerAction(overrides: Partial<PlannedAction> = {}): PlannedAction {
  return {
    id: 'fp1-stop-1',
    type: 'stop-container',
    host: 'h1',
    user: 'alice',
    target: { kind: 'container', containerId: 'a'.repeat(64), name: 'gpu-job', createdAt: null, startedAt: null, state: 'running' },
    params: { remove: true },
    reason: { rule: 'idle-gpu', stage: 'stop', fingerprint: 'fp1', summary: 'idle' },
    notBefore: '2026-01-01T00:00:00.000Z',
    expiresAt: '2099-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A signal-process action for pid 4242 (uid 1001) on host `h1`, with overrides. */
export function processAction(overrides: Partial<PlannedAction> = {}): PlannedAction {
  return containerAction({
    id: 'fp2-signal-1',
    type: 'signal-process',
    target: { kind: 'process', pid: 4242, startTime: '2026-01-01T00:00:00.000Z', uid: 1001, containerId: null },
    params: {},
    ...overrides,
  });
}

/** Settings with mode on and every action type allowed, with overrides. */
export function settingsWith(overrides: Partial<EnforcementSettings> = {}): EnforcementSettings {
  return { ...DEFAULT_ENFORCEMENT_SETTINGS, mode: 'on', allow: new Set(['warn', 'stop-container', 'signal-process']), ...overrides };
}
