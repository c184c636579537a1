import { describe, expect, it } from 'vitest';
import { sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { sampleSilence } from '../contract-silence.test-suite.ts';
import {
  compareDue, compareSilences, DEFAULT_NOTIFICATION_LIMIT, MAX_DUE_LIMIT, MAX_NOTIFICATION_LIMIT, resolveDueLimit,
  resolveNotificationLimit, sentPruneCutoff, silenceInForce,
} from './notify-order.ts';

describe('resolveNotificationLimit', () => {
  it('defaults when absent or not finite', () => {
    for (const limit of [undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(resolveNotificationLimit(limit)).toBe(DEFAULT_NOTIFICATION_LIMIT);
    }
  });

  it('truncates and clamps to 1..1000', () => {
    expect(resolveNotificationLimit(7.9)).toBe(7);
    expect(resolveNotificationLimit(0)).toBe(1);
    expect(resolveNotificationLimit(-5)).toBe(1);
    expect(resolveNotificationLimit(1000)).toBe(MAX_NOTIFICATION_LIMIT);
    expect(resolveNotificationLimit(10_000)).toBe(MAX_NOTIFICATION_LIMIT);
  });
});

describe('resolveDueLimit', () => {
  it('passes whole numbers through, capped', () => {
    expect(resolveDueLimit(1)).toBe(1);
    expect(resolveDueLimit(50)).toBe(50);
    expect(resolveDueLimit(10_000)).toBe(MAX_DUE_LIMIT);
  });

  it('throws a plain sentence for anything else', () => {
    for (const bad of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveDueLimit(bad)).toThrow(`dueOutbox: limit must be a whole number of at least 1, got ${String(bad)}.`);
    }
  });
});

describe('sentPruneCutoff', () => {
  it('is seven days before the completion time, as canonical ISO text', () => {
    expect(sentPruneCutoff('2026-11-25T10:00:00.000Z')).toBe('2026-11-18T10:00:00.000Z');
    expect(sentPruneCutoff('2026-11-25T10:00:00+01:00')).toBe('2026-11-18T09:00:00.000Z');
  });

  it('throws for a time it cannot read', () => {
    expect(() => sentPruneCutoff('yesterday')).toThrow('notification log entry: at must be an ISO time, got yesterday.');
    expect(() => sentPruneCutoff(undefined as unknown as string)).toThrow(/at must be an ISO time/);
  });
});

describe('compareDue', () => {
  it('orders by nextAttemptAt, then createdAt, then id', () => {
    const items = [
      sampleOutboxItem({ id: 'c', nextAttemptAt: 't2', createdAt: 't0' }),
      sampleOutboxItem({ id: 'b', nextAttemptAt: 't1', createdAt: 't1' }),
      sampleOutboxItem({ id: 'a', nextAttemptAt: 't1', createdAt: 't1' }),
      sampleOutboxItem({ id: 'd', nextAttemptAt: 't1', createdAt: 't0' }),
    ];
    expect(items.sort(compareDue).map((i) => i.id)).toEqual(['d', 'a', 'b', 'c']);
  });
});

describe('silenceInForce', () => {
  const s = sampleSilence({ startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-01-02T00:00:00.000Z' });

  it('includes startsAt and excludes endsAt', () => {
    expect(silenceInForce(s, '2025-12-31T23:59:59.999Z')).toBe(false);
    expect(silenceInForce(s, '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(silenceInForce(s, '2026-01-01T23:59:59.999Z')).toBe(true);
    expect(silenceInForce(s, '2026-01-02T00:00:00.000Z')).toBe(false);
  });

  it('ends at expiredAt, yet holds before it', () => {
    const expired = { ...s, expiredAt: '2026-01-01T12:00:00.000Z' };
    expect(silenceInForce(expired, '2026-01-01T11:59:59.999Z')).toBe(true);
    expect(silenceInForce(expired, '2026-01-01T12:00:00.000Z')).toBe(false);
  });
});

describe('compareSilences', () => {
  it('puts the newest createdAt first, ties by id', () => {
    const list = [sampleSilence({ id: 'b', createdAt: 't1' }), sampleSilence({ id: 'z', createdAt: 't0' }), sampleSilence({ id: 'a', createdAt: 't1' })];
    expect(list.sort(compareSilences).map((x) => x.id)).toEqual(['a', 'b', 'z']);
  });
});
