import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuRequestSchema } from '../../snapshot/schema.ts';
import { gpuRequestOf, uuidsOf } from './gpu-request.ts';
import type { InspectedContainer } from './inspected-container.ts';
import { parseDockerInspect } from './parse-inspect.ts';
import { makeInspected } from './test-support.ts';

const FIXTURES = new URL('../../../test/fixtures/docker/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));

const GPU0 = 'GPU-a5e31522-3c2b-7b1e-9a41-5d1f0e2b7c01';
const GPU1 = 'GPU-63d1e50a-b952-d15c-0740-12bc14859142';
const MIG = 'MIG-4d0efb7d-0970-51d9-b761-0686be6b8af3';
const NONE = { requested: 'none', count: 0, deviceIds: [], uuids: [], via: 'none' };

describe('gpuRequestOf on the synthetic GPU fixture', () => {
  const { containers } = parseDockerInspect(load('synthetic__gpu_requests__docker_inspect.json'));
  const byName = new Map(containers.map((c) => [c.name, c]));
  const of = (name: string) => gpuRequestOf(byName.get(name) as InspectedContainer);

  it.each([
    ['gpus-all', { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' }],
    ['gpu-count-one', { requested: 'count', count: 1, deviceIds: [], uuids: [], via: 'device-requests' }],
    ['gpu-uuids', { requested: 'devices', count: 2, deviceIds: [GPU0, MIG], uuids: [GPU0, MIG], via: 'device-requests' }],
    ['gpu-indices', { requested: 'devices', count: 2, deviceIds: ['0', '1'], uuids: [], via: 'device-requests' }],
    ['gpu-count-two-caps', { requested: 'count', count: 2, deviceIds: [], uuids: [], via: 'device-requests' }],
    ['legacy-runtime-devices', { requested: 'devices', count: 2, deviceIds: [GPU1, '1'], uuids: [GPU1], via: 'nvidia-runtime' }],
    ['legacy-runtime-all', { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'nvidia-runtime' }],
    ['legacy-runtime-none', NONE],
    ['legacy-runtime-mig-index', { requested: 'devices', count: 1, deviceIds: ['0:1'], uuids: [], via: 'nvidia-runtime' }],
    ['cuda-image-no-gpu', NONE],
    ['cuda-image-old-engine', NONE],
    ['gpu-cdi', { requested: 'devices', count: 1, deviceIds: ['0'], uuids: [], via: 'device-requests' }],
    ['other-device-request', NONE],
  ])('%s', (name, expected) => {
    expect(byName.has(name)).toBe(true);
    const request = of(name);
    expect(request).toEqual(expected);
    expect(gpuRequestSchema.safeParse(request).success).toBe(true);
  });

  it('the CUDA images really carry NVIDIA_VISIBLE_DEVICES=all (so "none" is a real decision)', () => {
    expect(byName.get('cuda-image-no-gpu')!.env['NVIDIA_VISIBLE_DEVICES']).toBe('all');
    expect(byName.get('cuda-image-old-engine')!.env['NVIDIA_VISIBLE_DEVICES']).toBe('all');
  });
});

describe('gpuRequestOf rules', () => {
  const req = (deviceRequests: unknown[] | null, extra: Partial<InspectedContainer> = {}) =>
    gpuRequestOf(makeInspected({ deviceRequests, ...extra }));

  it('absent / null / [] DeviceRequests on runc → none', () => {
    expect(req(null)).toEqual(NONE);
    expect(req([])).toEqual(NONE);
    expect(req(null, { env: { NVIDIA_VISIBLE_DEVICES: 'all' } })).toEqual(NONE);
  });

  it('Driver nvidia counts without capabilities; capability "nvidia" counts without a driver', () => {
    expect(req([{ Driver: 'nvidia', Count: -1 }]).requested).toBe('all');
    expect(req([{ Driver: 'NVIDIA', Count: 3 }])).toMatchObject({ requested: 'count', count: 3 });
    expect(req([{ Driver: '', Count: 1, Capabilities: [['nvidia', 'compute']] }])).toMatchObject({ requested: 'count', count: 1 });
  });

  it('capabilities are an OR of AND-lists: any list naming gpu counts', () => {
    expect(req([{ Count: 1, Capabilities: [['tpu'], ['gpu', 'utility']] }])).toMatchObject({ requested: 'count', count: 1 });
    expect(req([{ Count: 1, Capabilities: ['gpu'] }])).toEqual(NONE); // not an array of arrays
    expect(req([{ Count: 1, Capabilities: [['compute']] }])).toEqual(NONE);
  });

  it('Count 0 without DeviceIDs grants nothing; other negative counts are ignored', () => {
    expect(req([{ Driver: 'nvidia', Count: 0 }])).toEqual(NONE);
    expect(req([{ Driver: 'nvidia', Count: -2 }])).toEqual(NONE);
    expect(req([{ Driver: 'nvidia', Count: 1.5 }])).toEqual(NONE);
  });

  it('several entries: all beats devices beats count; counts add up; ids dedupe', () => {
    expect(req([{ Driver: 'nvidia', Count: 1 }, { Driver: 'nvidia', Count: -1 }]).requested).toBe('all');
    expect(req([{ Driver: 'nvidia', Count: 1 }, { Driver: 'nvidia', DeviceIDs: ['2'] }])).toMatchObject({ requested: 'devices', deviceIds: ['2'] });
    expect(req([{ Driver: 'nvidia', Count: 1 }, { Driver: 'nvidia', Count: 2 }])).toMatchObject({ requested: 'count', count: 3 });
    expect(req([{ Driver: 'nvidia', DeviceIDs: ['0', '0'] }, { Driver: 'nvidia', DeviceIDs: ['0'] }])).toMatchObject({ deviceIds: ['0'], count: 1 });
  });

  it('comma-joined DeviceIDs are split', () => {
    expect(req([{ Driver: 'nvidia', DeviceIDs: ['0,1', ` ${GPU0} `] }])).toMatchObject({ deviceIds: ['0', '1', GPU0], uuids: [GPU0] });
  });

  it('CDI: nvidia.com/gpu=all → all; other vendors ignored', () => {
    expect(req([{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'] }])).toMatchObject({ requested: 'all', via: 'device-requests' });
    expect(req([{ Driver: 'cdi', DeviceIDs: [`nvidia.com/gpu=${MIG}`] }])).toMatchObject({ requested: 'devices', uuids: [MIG] });
    expect(req([{ Driver: 'cdi', DeviceIDs: ['vendor1.com/device=foo'] }])).toEqual(NONE);
  });

  it('DeviceRequests win over the legacy runtime', () => {
    const r = req([{ Driver: 'nvidia', DeviceIDs: ['3'] }], { runtime: 'nvidia', env: { NVIDIA_VISIBLE_DEVICES: 'all' } });
    expect(r).toMatchObject({ requested: 'devices', deviceIds: ['3'], via: 'device-requests' });
  });

  it('legacy runtime: all / none / void / empty / unset / lists', () => {
    const legacy = (value: string | undefined, runtime = 'nvidia') =>
      gpuRequestOf(makeInspected({ runtime, env: value === undefined ? {} : { NVIDIA_VISIBLE_DEVICES: value } }));
    expect(legacy('all')).toMatchObject({ requested: 'all', via: 'nvidia-runtime' });
    expect(legacy(' ALL ')).toMatchObject({ requested: 'all' });
    for (const v of ['none', 'void', '', '  ', ',', undefined]) expect(legacy(v), String(v)).toEqual(NONE);
    expect(legacy(`${MIG},MIG-GPU-${GPU0.slice(4)}/1/0`)).toMatchObject({
      requested: 'devices',
      uuids: [MIG, `MIG-GPU-${GPU0.slice(4)}/1/0`],
    });
    expect(legacy('0,1', 'nvidia-legacy')).toMatchObject({ deviceIds: ['0', '1'], via: 'nvidia-runtime' });
    expect(legacy('0', 'nvidia-cdi')).toMatchObject({ deviceIds: ['0'] });
    expect(legacy('all', 'runc')).toEqual(NONE);
    expect(legacy('all', 'nvidia-custom')).toEqual(NONE);
  });

  it('--device /dev/nvidiaN passes GPUs through; control nodes alone do not', () => {
    expect(req(null, { devices: ['/dev/nvidia1', '/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia1'] })).toEqual({
      requested: 'devices', count: 1, deviceIds: ['1'], uuids: [], via: 'device-nodes',
    });
    expect(req(null, { devices: ['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/fuse'] })).toEqual(NONE);
    expect(req([{ Driver: 'nvidia', Count: -1 }], { devices: ['/dev/nvidia0'] }).via).toBe('device-requests');
  });

  it('malformed entries and containers never throw', () => {
    expect(req([null, 1, 'gpu', [], { Driver: 5, Count: 'x', DeviceIDs: 'GPU-x', Capabilities: 'gpu' }])).toEqual(NONE);
    for (const junk of [null, undefined, 1, 'x', [], {}, { deviceRequests: 'x', env: null, runtime: 7 }]) {
      expect(gpuRequestOf(junk as unknown as InspectedContainer)).toEqual(NONE);
    }
  });
});

describe('uuidsOf', () => {
  it('keeps GPU-/MIG- ids only, as given', () => {
    expect(uuidsOf(['0', GPU0, MIG, 'gpu-lower', '0:1', 'MIG-GPU-x/1/0'])).toEqual([GPU0, MIG, 'MIG-GPU-x/1/0']);
  });
});
