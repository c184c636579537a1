import { describe, expect, it } from 'vitest';
import { emptyTrackedState, type TrackedState } from '../engine/facts/tracked.ts';
import { createTrackedCache } from './tracked-cache.ts';

const state = (lastTakenAt: string): TrackedState => ({ ...emptyTrackedState(), lastTakenAt });

describe('createTrackedCache', () => {
  it('reuses the state it was given only while the store holds exactly the JSON written with it', () => {
    const cache = createTrackedCache();
    const written = state('2026-11-25T10:00:00.000Z');
    const json = JSON.stringify(written);
    cache.wrote('a', json, written);
    expect(cache.read('a', json)).toBe(written);
    expect(cache.read('a', `${json} `)).not.toBe(written);
    expect(cache.read('a', `${json} `)).toEqual(written);
    const other = state('2026-11-25T10:01:00.000Z');
    expect(cache.read('a', JSON.stringify(other))).toEqual(other);
    expect(cache.read('b', json)).not.toBe(written);
  });

  it('parses what it does not hold, as parseTrackedState does (nothing stored, unreadable JSON)', () => {
    const cache = createTrackedCache();
    cache.wrote('a', JSON.stringify(state('2026-11-25T10:00:00.000Z')), state('2026-11-25T10:00:00.000Z'));
    expect(cache.read('a', null)).toEqual(emptyTrackedState());
    expect(cache.read('a', '')).toEqual(emptyTrackedState());
    expect(cache.read('a', '{not json')).toEqual(emptyTrackedState());
  });
});
