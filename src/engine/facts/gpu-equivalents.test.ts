import { describe, expect, it } from 'vitest';
import { container, gpu, migGpu, snapshot, t } from '../../../test/support/snapshot-factory.ts';
import { holdingOf, holdsGpus, migProfileWeight, slotsOf } from './gpu-equivalents.ts';

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

  it('a request for a device this host does not have holds nothing and names the device', () => {
    expect(hold({ devices: ['GPU-gone', 'MIG-gone', '7', '2:9'] })).toEqual({ slots: [], slotCount: 4, gpuEquivalents: 0, missingDevices: ['GPU-gone', 'MIG-gone', '7', '2:9'] });
    expect(hold({ devices: ['0', '7'] })).toMatchObject({ slotCount: 2, gpuEquivalents: 1, missingDevices: ['7'] });
  });

  it('a container that does not hold its GPUs now (created, stopped past its hold) holds nothing but keeps its request size', () => {
    const c = container('c', 'alice', { devices: ['GPU-1'] });
    expect(holdingOf(c, s, slots, false)).toEqual({ slots: [], slotCount: 1, gpuEquivalents: 0, missingDevices: [] });
    const all = container('a', 'alice', { gpu: { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' } });
    expect(holdingOf(all, s, slots, false)).toMatchObject({ slotCount: 3, gpuEquivalents: 0, slots: [] });
  });

  it('--gpus N on a host with fewer GPUs holds what exists', () => {
    expect(hold({ gpu: { requested: 'count', count: 8, deviceIds: [], uuids: [], via: 'device-requests' } })).toMatchObject({ slotCount: 8, gpuEquivalents: 3 });
  });
});

describe('holdsGpus (DS01: running hold, stopped hold until gpu_hold_after_stop_h, created hold nothing)', () => {
  const stillHeld = (c: { name: string }) => c.name === 'recent';
  it.each([
    ['running', 'any', true],
    ['paused', 'any', true],
    ['restarting', 'any', true],
    ['exited', 'recent', true],
    ['exited', 'long-ago', false],
    ['created', 'recent', false],
    ['dead', 'recent', false],
    ['removing', 'recent', false],
  ])('%s (%s) → %s', (state, name, expected) => {
    expect(holdsGpus(container(name, 'alice', { state, devices: ['0'] }), stillHeld)).toBe(expected);
  });
});
