import { describe, expect, it } from 'vitest';
import type { Finding } from '../engine/finding.ts';
import type { Alert } from './alert.ts';
import { transition, type TransitionInput } from './transition.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (sec: number): Date => new Date(T0 + sec * 1000);
const DAY_MS = 86_400_000;

function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'gpu-temperature', severity: 'warning', stage: null, forSec: 300, labels: { host: 'ds01', gpu: 'GPU-a' },
    annotations: { summary: 's', description: 'd' }, notify: ['admins'], ...over,
  };
}

/** Run evaluations in sequence, carrying stored alerts forward like the service does. */
type Step = { sec: number; findings: Finding[]; rules?: string[] } & Partial<Pick<TransitionInput, 'staleRules' | 'staleResolveAfterMs' | 'keepFiringForSec' | 'restartPending'>>;

function steps(list: Step[]) {
  let stored: Alert[] = [];
  return list.map(({ sec, findings, rules, ...extra }) => {
    const input: TransitionInput = {
      host: 'ds01', at: at(sec), findings, resolvedRetentionMs: DAY_MS,
      evaluatedRules: new Set(rules ?? ['gpu-temperature']),
      ...extra,
    };
    const r = transition(stored, input);
    const byFp = new Map(stored.map((a) => [a.fingerprint, a]));
    for (const a of r.upsert) byFp.set(a.fingerprint, a);
    for (const fp of r.remove) byFp.delete(fp);
    stored = [...byFp.values()];
    return { ...r, stored };
  });
}

describe('alert state machine', () => {
  it('pending until `for` has elapsed, then firing, then resolved', () => {
    const [s0, s1, s2, s3] = steps([
      { sec: 0, findings: [finding()] },
      { sec: 240, findings: [finding()] },
      { sec: 300, findings: [finding()] },
      { sec: 330, findings: [] },
    ]);
    expect(s0?.stored.map((a) => a.state)).toEqual(['pending']);
    expect(s0?.changes.map((c) => [c.from, c.to])).toEqual([['inactive', 'pending']]);
    expect(s1?.stored[0]).toMatchObject({ state: 'pending', activeSince: at(0).toISOString() });
    expect(s1?.changes).toEqual([]);
    expect(s2?.stored[0]).toMatchObject({ state: 'firing', firedAt: at(300).toISOString() });
    expect(s2?.changes.map((c) => [c.from, c.to])).toEqual([['pending', 'firing']]);
    expect(s3?.stored[0]).toMatchObject({ state: 'resolved', resolvedAt: at(330).toISOString(), firedAt: at(300).toISOString() });
    expect(s3?.changes.map((c) => [c.from, c.to])).toEqual([['firing', 'resolved']]);
  });

  it('fires at once with for 0', () => {
    const [s0] = steps([{ sec: 0, findings: [finding({ forSec: 0 })] }]);
    expect(s0?.stored[0]?.state).toBe('firing');
    expect(s0?.changes.map((c) => c.to)).toEqual(['firing']);
  });

  it('drops a pending alert that stops matching, silently', () => {
    const [, s1] = steps([{ sec: 0, findings: [finding()] }, { sec: 30, findings: [] }]);
    expect(s1?.stored).toEqual([]);
    expect(s1?.changes).toEqual([]);
    expect(s1?.remove).toHaveLength(1);
  });

  it('a resolved alert that matches again starts a new episode', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [] },
      { sec: 60, findings: [finding()] },
    ]);
    expect(s[2]?.stored[0]).toMatchObject({ state: 'pending', activeSince: at(60).toISOString(), resolvedAt: null, firedAt: null });
  });

  it('reports an escalation while firing (stage and severity change) and a de-escalation', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [finding({ forSec: 0, severity: 'critical', stage: 'critical' })] },
      { sec: 60, findings: [finding({ forSec: 0 })] },
    ]);
    expect(s[1]?.changes).toMatchObject([{ from: 'firing', to: 'firing', escalated: true }]);
    expect(s[1]?.stored[0]).toMatchObject({ severity: 'critical', stage: 'critical', firedAt: at(0).toISOString() });
    expect(s[2]?.changes).toMatchObject([{ from: 'firing', to: 'firing', escalated: false }]);
  });

  it('leaves alerts of rules that were not evaluated alone (the tick evaluates host rules only)', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [], rules: ['host-silent'] },
    ]);
    expect(s[1]?.stored[0]?.state).toBe('firing');
  });

  it('keeps resolved alerts for the retention period, then drops them', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [] },
      { sec: 3600, findings: [] },
      { sec: 30 + DAY_MS / 1000 + 1, findings: [] },
    ]);
    expect(s[2]?.stored).toHaveLength(1);
    expect(s[3]?.stored).toEqual([]);
  });

  it('tracks each subject separately and takes the first of duplicate findings', () => {
    const a = finding({ forSec: 0 });
    const b = finding({ forSec: 0, labels: { host: 'ds01', gpu: 'GPU-b' } });
    const [s0] = steps([{ sec: 0, findings: [a, b, { ...a, severity: 'critical' }] }]);
    expect(s0?.stored.map((x) => [x.labels.gpu, x.severity])).toEqual([['GPU-a', 'warning'], ['GPU-b', 'warning']]);
  });
});

describe('stages with their own for', () => {
  it('a firing alert escalates only once the higher stage has held for its for; a move down applies at once', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 60, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
      { sec: 120, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
      { sec: 180, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
      { sec: 240, findings: [finding({ forSec: 0 })] },
    ]);
    expect(s[1]?.stored[0]).toMatchObject({ severity: 'warning', stage: null, pendingStage: { id: 'critical', since: at(60).toISOString() } });
    expect(s[1]?.changes).toEqual([]);
    expect(s[2]?.stored[0]).toMatchObject({ severity: 'warning', stage: null });
    expect(s[3]?.stored[0]).toMatchObject({ severity: 'critical', stage: 'critical', pendingStage: null });
    expect(s[3]?.changes).toMatchObject([{ from: 'firing', to: 'firing', escalated: true }]);
    expect(s[4]?.stored[0]).toMatchObject({ severity: 'warning', stage: null });
  });

  it('a candidate stage that stops matching starts over', () => {
    const s = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 60, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
      { sec: 90, findings: [finding({ forSec: 0 })] },
      { sec: 120, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
      { sec: 200, findings: [finding({ severity: 'critical', stage: 'critical', forSec: 120 })] },
    ]);
    expect(s[2]?.stored[0]?.pendingStage).toBeNull();
    expect(s[4]?.stored[0]).toMatchObject({ severity: 'warning', pendingStage: { id: 'critical', since: at(120).toISOString() } });
  });
});

describe('unknown is not absent: rules whose source failed', () => {
  const dockerDown = new Map([['gpu-temperature', ['docker']]]);

  it('a firing alert keeps firing, marked stale, and is not resolved while its source is down', () => {
    const [, s1, s2] = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [], staleRules: dockerDown },
      { sec: 60, findings: [], staleRules: dockerDown },
    ]);
    expect(s1?.stored[0]).toMatchObject({ state: 'firing', stale: { since: at(30).toISOString(), sources: ['docker'] } });
    expect(s1?.changes).toEqual([]);
    expect(s2?.upsert).toEqual([]); // nothing new to write: still stale since 30 s
    expect(s2?.changes).toEqual([]);
  });

  it('ignores findings of a stale rule: nothing new fires from a failed source', () => {
    const [s0] = steps([{ sec: 0, findings: [finding({ forSec: 0 })], staleRules: dockerDown }]);
    expect(s0?.stored).toEqual([]);
    expect(s0?.changes).toEqual([]);
  });

  it('clears the mark when the source is back and the condition still holds, without a notice', () => {
    const [, , s2] = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [], staleRules: dockerDown },
      { sec: 60, findings: [finding({ forSec: 0 })] },
    ]);
    expect(s2?.stored[0]).toMatchObject({ state: 'firing', stale: null, firedAt: at(0).toISOString() });
    expect(s2?.changes).toEqual([]);
  });

  it('resolves normally once the source is back and the condition has cleared', () => {
    const [, , s2] = steps([
      { sec: 0, findings: [finding({ forSec: 0 })] },
      { sec: 30, findings: [], staleRules: dockerDown },
      { sec: 60, findings: [] },
    ]);
    expect(s2?.stored[0]).toMatchObject({ state: 'resolved', resolvedReason: 'cleared', stale: null });
  });

  it("a pending alert's `for` does not advance while stale", () => {
    const [, , , s3, s4] = steps([
      { sec: 0, findings: [finding()] }, // for 300 s
      { sec: 100, findings: [finding()] },
      { sec: 200, findings: [], staleRules: dockerDown },
      { sec: 800, findings: [finding()] }, // 600 s paused: 100 s counted so far + 0 → still pending
      { sec: 1000, findings: [finding()] },
    ]);
    expect(s3?.stored[0]).toMatchObject({ state: 'pending', activeSince: at(600).toISOString(), stale: null });
    expect(s4?.stored[0]).toMatchObject({ state: 'firing', firedAt: at(1000).toISOString() });
  });

  it('after the bound, resolves with reason source-unavailable (pending ones just go)', () => {
    const [, s1, s2] = steps([
      { sec: 0, findings: [finding({ forSec: 0 }), finding({ labels: { host: 'ds01', gpu: 'GPU-b' } })] },
      { sec: 30, findings: [], staleRules: dockerDown, staleResolveAfterMs: 1_800_000 },
      { sec: 1830, findings: [], staleRules: dockerDown, staleResolveAfterMs: 1_800_000 },
    ]);
    expect(s1?.stored.map((a) => a.state).sort()).toEqual(['firing', 'pending']);
    expect(s2?.stored).toHaveLength(1);
    expect(s2?.stored[0]).toMatchObject({ state: 'resolved', resolvedReason: 'source-unavailable', stale: { since: at(30).toISOString(), sources: ['docker'] } });
    expect(s2?.changes.map((c) => [c.from, c.to])).toEqual([['firing', 'resolved']]);
  });
});

describe('keep_firing_for', () => {
  const keep60 = { keepFiringForSec: () => 60 };

  it('a condition flipping every 30 s for an hour fires once and resolves once', () => {
    const list: Step[] = [];
    for (let sec = 0; sec <= 3600; sec += 30) list.push({ sec, findings: sec % 60 === 0 ? [finding({ forSec: 0 })] : [], ...keep60 });
    list.push({ sec: 3630, findings: [], ...keep60 }, { sec: 3660, findings: [], ...keep60 }, { sec: 3690, findings: [], ...keep60 });
    const changes = steps(list).flatMap((s) => s.changes.map((c) => `${c.from}->${c.to}`));
    expect(changes).toEqual(['inactive->firing', 'firing->resolved']);
  });

  it('resolves once the condition has been false for keepFiringFor, counted from the first false evaluation', () => {
    const [, s1, s2, s3] = steps([
      { sec: 0, findings: [finding({ forSec: 0 })], ...keep60 },
      { sec: 30, findings: [], ...keep60 },
      { sec: 60, findings: [], ...keep60 },
      { sec: 90, findings: [], ...keep60 },
    ]);
    expect(s1?.stored[0]).toMatchObject({ state: 'firing', keepFiringSince: at(30).toISOString() });
    expect(s2?.stored[0]?.state).toBe('firing');
    expect(s3?.stored[0]).toMatchObject({ state: 'resolved', resolvedAt: at(90).toISOString(), keepFiringSince: null });
  });

  it('without keepFiringFor resolves at once (as before)', () => {
    const [, s1] = steps([{ sec: 0, findings: [finding({ forSec: 0 })] }, { sec: 30, findings: [] }]);
    expect(s1?.stored[0]?.state).toBe('resolved');
  });
});

describe('silent gaps', () => {
  it('a pending alert starts its `for` again after the host was silent', () => {
    const [, s1, s2] = steps([
      { sec: 0, findings: [finding()] },
      { sec: 3600, findings: [finding()], restartPending: true },
      { sec: 3630, findings: [finding()] },
    ]);
    expect(s1?.stored[0]).toMatchObject({ state: 'pending', activeSince: at(3600).toISOString() });
    expect(s2?.stored[0]?.state).toBe('pending');
  });

  it('without the restart the gap counts toward `for` (the old behaviour the service no longer uses after silence)', () => {
    const [, s1] = steps([{ sec: 0, findings: [finding()] }, { sec: 3600, findings: [finding()] }]);
    expect(s1?.stored[0]?.state).toBe('firing');
  });
});
