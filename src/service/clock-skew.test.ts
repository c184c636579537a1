import { describe, expect, it } from 'vitest';
import { sentAtHeader } from '../server/routes/snapshots.ts';
import { evaluationTime } from './clock-skew.ts';

const R = new Date('2026-12-03T10:00:00.000Z');
const at = (offsetS: number): string => new Date(R.getTime() + offsetS * 1000).toISOString();
const BOUND = 120_000;

describe('evaluationTime', () => {
  it('a right clock: evaluated at takenAt, skew from the send time', () => {
    expect(evaluationTime(at(-30), R, new Date(at(-0.2)), BOUND)).toEqual({ at: new Date(at(-30)), skewMs: -200 });
  });
  it('a spooled snapshot from a right clock keeps its time (not skew)', () => {
    expect(evaluationTime(at(-3600), R, new Date(at(0)), BOUND)).toEqual({ at: new Date(at(-3600)), skewMs: 0 });
  });
  it('a clock 1 h ahead, no send time: evaluated at receipt', () => {
    expect(evaluationTime(at(3600), R, null, BOUND)).toEqual({ at: R, skewMs: 3_600_000 });
  });
  it('a clock 1 h behind with a send time: corrected by the skew', () => {
    expect(evaluationTime(at(-3630), R, new Date(at(-3600)), BOUND)).toEqual({ at: new Date(at(-30)), skewMs: -3_600_000 });
  });
  it('skew within the bound is measured, not corrected, and never evaluated later than receipt', () => {
    expect(evaluationTime(at(60), R, null, BOUND)).toEqual({ at: R, skewMs: 60_000 });
    expect(evaluationTime(at(-10), R, new Date(at(90)), BOUND)).toEqual({ at: new Date(at(-10)), skewMs: 90_000 });
  });
  it('without a send time a slow clock cannot be told from a spool: no skew', () => {
    expect(evaluationTime(at(-7200), R, null, BOUND)).toEqual({ at: new Date(at(-7200)), skewMs: null });
  });
});

describe('sentAtHeader', () => {
  it('reads an ISO time and ignores anything else (a bad header never rejects a snapshot)', () => {
    expect(sentAtHeader(at(0))).toEqual(R);
    for (const bad of [undefined, '', 'yesterday', '1764756000000', '2026-13-45T99:00:00Z']) expect(sentAtHeader(bad)).toBeNull();
  });
});
