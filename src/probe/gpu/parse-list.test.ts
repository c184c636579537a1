import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLegacyMigUuid, parseNvidiaSmiList } from './parse-list.ts';

const LIST_DIR = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/list/', import.meta.url));
const readList = (name: string): string => readFileSync(join(LIST_DIR, name), 'utf8');

describe('parseNvidiaSmiList on real files', () => {
  it('8×H100 with 7 MIG 1g.10gb each: device index restarts at 0 for every GPU', () => {
    const result = parseNvidiaSmiList(readList('nvidia_gpu_exporter__list_gpus_8xH100_mig_56x1g.10gb.txt'));
    expect(result.unparsedLines).toEqual([]);
    expect(result.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const gpu of result.gpus) {
      expect(gpu.name).toBe('NVIDIA H100 80GB HBM3');
      expect(gpu.uuid).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(gpu.migDevices.map((d) => d.deviceIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(gpu.migDevices.every((d) => d.profile === '1g.10gb' && d.uuid.startsWith('MIG-'))).toBe(true);
    }
    const allMigUuids = result.gpus.flatMap((g) => g.migDevices.map((d) => d.uuid));
    expect(new Set(allMigUuids).size).toBe(56);
    expect(result.gpus[0]?.uuid).toBe('GPU-63d1e50a-b952-d15c-0740-12bc14859142');
    expect(result.gpus[0]?.migDevices[0]?.uuid).toBe('MIG-4d0efb7d-0970-51d9-b761-0686be6b8af3');
    expect(result.gpus[7]?.migDevices[6]?.uuid).toBe('MIG-bc03b921-4d24-573e-9d4b-1cdc47b1f4b4');
  });

  it('H100 MIG capture: mixed profiles 3g.40gb, 2g.20gb, 1g.10gb ×2', () => {
    const result = parseNvidiaSmiList(readList('nvidia_gpu_exporter__section-L__h100-mig__590.48.01.txt'));
    expect(result.unparsedLines).toEqual([]);
    expect(result.gpus).toHaveLength(1);
    expect(result.gpus[0]?.migDevices).toEqual([
      { profile: '3g.40gb', deviceIndex: 0, uuid: 'MIG-00000000-0000-0000-0000-000000000000' },
      { profile: '2g.20gb', deviceIndex: 1, uuid: 'MIG-00000001-0000-0000-0000-000000000001' },
      { profile: '1g.10gb', deviceIndex: 2, uuid: 'MIG-00000002-0000-0000-0000-000000000002' },
      { profile: '1g.10gb', deviceIndex: 3, uuid: 'MIG-00000003-0000-0000-0000-000000000003' },
    ]);
  });

  it('H200 MIG capture: compute-instance sub-profiles 1c.3g.71gb and 2c.3g.71gb (12-char padded)', () => {
    const text = readList('nvidia_gpu_exporter__section-L__h200-mig__590.48.01.txt');
    expect(text).toContain('  MIG 1c.3g.71gb  Device  0:');
    const result = parseNvidiaSmiList(text);
    expect(result.gpus[0]?.name).toBe('NVIDIA H200');
    expect(result.gpus[0]?.migDevices.map((d) => [d.deviceIndex, d.profile])).toEqual([
      [0, '1c.3g.71gb'],
      [1, '2c.3g.71gb'],
      [2, '2g.35gb'],
      [3, '1g.18gb'],
      [4, '1g.18gb'],
    ]);
  });

  it('L40S: one GPU, no MIG', () => {
    const result = parseNvidiaSmiList(readList('nvidia_gpu_exporter__section-L__l40s__595.80.txt'));
    expect(result).toEqual({
      gpus: [{ index: 0, name: 'NVIDIA L40S', uuid: 'GPU-00000000-0000-0000-0000-000000000000', migDevices: [] }],
      unparsedLines: [],
    });
  });
});

describe('parseNvidiaSmiList edge cases', () => {
  it('tolerates CRLF, CR-only line ends, trailing spaces and blank lines', () => {
    const text =
      'GPU 0: Tesla T4 (UUID: GPU-aaaa)  \r\n\r\n  MIG 1g.5gb  Device  0: (UUID: MIG-bbbb)\r\nGPU 1: Tesla T4 (UUID: GPU-cccc)\r';
    const result = parseNvidiaSmiList(text);
    expect(result.unparsedLines).toEqual([]);
    expect(result.gpus.map((g) => [g.index, g.uuid, g.migDevices.length])).toEqual([
      [0, 'GPU-aaaa', 1],
      [1, 'GPU-cccc', 0],
    ]);
  });

  it('accepts old-style MIG-GPU-<uuid>/<gi>/<ci> UUIDs (drivers before R470)', () => {
    const text = [
      'GPU 0: A100-SXM4-40GB (UUID: GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f)',
      '  MIG 3g.20gb Device 0: (UUID: MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/1/0)',
      '  MIG 3g.20gb Device 1: (UUID: MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/2/0)',
    ].join('\n');
    const result = parseNvidiaSmiList(text);
    expect(result.unparsedLines).toEqual([]);
    expect(result.gpus[0]?.migDevices.map((d) => d.uuid)).toEqual([
      'MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/1/0',
      'MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/2/0',
    ]);
  });

  it('names containing parentheses keep them', () => {
    const result = parseNvidiaSmiList('GPU 3: NVIDIA RTX A4000 (rev a1) (UUID: GPU-1234)\n');
    expect(result.gpus[0]).toMatchObject({ index: 3, name: 'NVIDIA RTX A4000 (rev a1)', uuid: 'GPU-1234' });
  });

  it('puts nvidia-smi error output into unparsedLines and finds no GPUs', () => {
    const errors = [
      'No devices found',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
      'Failed to initialize NVML: Driver/library version mismatch',
    ];
    const result = parseNvidiaSmiList(`${errors.join('\n')}\n`);
    expect(result.gpus).toEqual([]);
    expect(result.unparsedLines).toEqual(errors);
  });

  it('a MIG line before any GPU line, or a malformed line, is unparsed', () => {
    const text = '  MIG 1g.10gb Device 0: (UUID: MIG-x)\nGPU 0: T4 (UUID: GPU-y)\n  MIG broken line\nGPU x: bad (UUID: GPU-z)\n';
    const result = parseNvidiaSmiList(text);
    expect(result.gpus).toHaveLength(1);
    expect(result.gpus[0]?.migDevices).toEqual([]);
    expect(result.unparsedLines).toEqual(['  MIG 1g.10gb Device 0: (UUID: MIG-x)', '  MIG broken line', 'GPU x: bad (UUID: GPU-z)']);
  });

  it('empty input gives an empty result', () => {
    expect(parseNvidiaSmiList('')).toEqual({ gpus: [], unparsedLines: [] });
    expect(parseNvidiaSmiList('\n\r\n  \n')).toEqual({ gpus: [], unparsedLines: [] });
  });
});

describe('parseLegacyMigUuid', () => {
  it('splits the old form into GPU uuid, GI and CI', () => {
    expect(parseLegacyMigUuid('MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/2/1')).toEqual({
      gpuUuid: 'GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f',
      gpuInstanceId: 2,
      computeInstanceId: 1,
    });
  });

  it('returns null for modern UUIDs and junk', () => {
    expect(parseLegacyMigUuid('MIG-4d0efb7d-0970-51d9-b761-0686be6b8af3')).toBeNull();
    expect(parseLegacyMigUuid('MIG-GPU-abc/1')).toBeNull();
    expect(parseLegacyMigUuid('')).toBeNull();
  });
});
