import { describe, expect, it } from 'vitest';
import { container, gpu, migGpu, snapshot, t } from '../../../test/support/snapshot-factory.ts';
import { holdingOf, migProfileWeight, slotsOf } from './gpu-equivalents.ts';

describe('migProfileWeight', () => {
  it.each([
    ['1g.10gb', 1 / 7], ['2g.20gb', 2 / 7], ['3g.40gb', 3 / 7], ['7g.80gb', 1], ['1c.3g.71gb', 1 / 7], ['2c.3g.71gb', 2 / 7],
    [null, 1 / 7], ['weird', 1 / 7], ['9g.100gb', 1],
  ])('%s → %d', (profile, weight) => {
    expect(migProfileWeight(profile)).toBeCloseTo(weight, 10);
  });
});

describe('slotsOf', () => {
  it('lists MIG instances of MIG GPUs and whole GPUs otherwise; a MIG GPU without instances has none', () => {
    const slots = slotsOf([gpu(0), migGpu(1, ['3g.40gb', '1g.10gb']), migGpu(2, [])]);
    expect(slots.map((s) => [s.uuid, Math.round(s.weight * 7)])).toEqual([['GPU-0', 7], ['MIG-1-0', 3], ['MIG-1-1', 1]]);
  });
});

describe('holdingOf', () => {
  const s = snapshot(t(0), { gpus: [gpu(0), gpu(1), migGpu(2, ['2g.20gb', '1g.10gb'])] });
  const slots = slotsOf(s.gpus);
  const hold = (over: Parameters<typeof container>[2]) => holdingOf(container('c', 'alice', over), s, slots);

  it('resolves GPU and MIG UUIDs, indices and <gpu>:<mig> ids', () => {
    expect(hold({ devices: ['GPU-1', 'MIG-2-0'] })).toMatchObject({ slotCount: 2, gpuEquivalents: 1 + 2 / 7 });
    expect(hold({ devices: ['0'] }).slots.map((x) => x.uuid)).toEqual(['GPU-0']);
    expect(hold({ devices: ['2:1'] }).gpuEquivalents).toBeCloseTo(1 / 7, 10);
  });

  it('counts --gpus all as every physical GPU and --gpus N as N', () => {
    expect(hold({ gpu: { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' } })).toMatchObject({ slotCount: 3, gpuEquivalents: 3 });
    expect(hold({ gpu: { requested: 'count', count: 2, deviceIds: [], uuids: [], via: 'device-requests' } })).toMatchObject({ slotCount: 2, gpuEquivalents: 2, slots: [] });
  });

  it('still weighs ids that are not on this host (a stale assignment)', () => {
    expect(hold({ devices: ['GPU-gone', 'MIG-gone'] }).gpuEquivalents).toBeCloseTo(1 + 1 / 7, 10);
  });
});
