import { describe, expect, it } from 'vitest';
import { emptyTrackedState, parseTrackedState, trackedStateSchema } from './tracked.ts';

describe('parseTrackedState', () => {
  const state = {
    version: 1, lastTakenAt: '2026-11-25T10:00:00.000Z',
    containers: { abc: { firstSeenAt: '2026-11-25T09:00:00.000Z', lastActiveAt: '2026-11-25T09:30:00.000Z' } },
    processes: { '42:x': { firstSeenAt: '2026-11-25T09:00:00.000Z' } }, gpus: {}, users: { alice: { decayedGpuHours: 1.5, updatedAt: '2026-11-25T10:00:00.000Z' } },
  };

  it('round-trips what the engine writes, which the schema accepts', () => {
    expect(trackedStateSchema.parse(state)).toEqual(state);
    expect(parseTrackedState(JSON.stringify(state))).toEqual(state);
  });

  it.each([null, '', 'not json', '[]', '{"version":2}', JSON.stringify({ ...state, containers: [] }), JSON.stringify({ ...state, users: null })])(
    'starts afresh on %j',
    (text) => {
      expect(parseTrackedState(text)).toEqual(emptyTrackedState());
    },
  );
});
